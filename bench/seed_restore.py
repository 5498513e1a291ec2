"""seed_demo against pg_restore of the database it made (issue 18: the seed within 2× the
restore). Each step is timed from outside, as `time` would, start-up included:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/seed_restore.py [--scale district] [--keep]

It creates <name>_seed on the server of DATABASE_URL, migrates it (timed apart: a restore
makes the schema too, so the ratio is given with and without it), seeds it with
`seed_demo --scale SCALE --seed 1 -v2`, dumps it with `pg_dump -Fc` and restores the dump
with `pg_restore` (one job) into <name>_restore. Both databases are dropped at the end
unless --keep. The seed's own steps are printed as it reports them.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from save_minutes_load import recreate

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command[:3])} failed:\n{done.stderr[-2000:]}")
    return time.monotonic() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district")
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    args = parser.parse_args()

    parts = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("DATABASE_URL must point at PostgreSQL.")
    admin = parts._replace(path="/postgres").geturl()
    seeded, restored = (
        parts._replace(path=f"{parts.path}_{suffix}").geturl() for suffix in ("seed", "restore")
    )
    python = sys.executable
    env = os.environ | {"DATABASE_URL": seeded, "DEBUG": os.environ.get("DEBUG", "1")}
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for url in (seeded, restored):
        recreate(admin, url)
    try:
        migrate, _ = timed([python, "manage.py", "migrate", "-v0"], env)
        seed, steps = timed(
            [python, "manage.py", "seed_demo", "--scale", args.scale, "--seed", "1", "-v2"], env
        )
        print("".join(line + "\n" for line in steps.splitlines() if line.endswith(" s")), end="")
        with tempfile.TemporaryDirectory() as scratch:
            dump = str(Path(scratch) / "seeded.dump")
            dumped, _ = timed(["pg_dump", "-Fc", "-f", dump, "-d", seeded], env)
            restore, _ = timed(["pg_restore", "--no-owner", "-d", restored, dump], env)
            size = Path(dump).stat().st_size
    finally:
        if not args.keep:
            for url in (seeded, restored):
                recreate(admin, url, drop_only=True)
    print(f"migrate {migrate:.1f} s, seed_demo --scale {args.scale} {seed:.1f} s")
    print(f"pg_dump -Fc {dumped:.1f} s ({size / 2**20:.1f} MB), pg_restore {restore:.1f} s")
    ratio, with_schema = seed / restore, (migrate + seed) / restore
    print(f"seed / restore: {ratio:.2f}x; with the migration: {with_schema:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
