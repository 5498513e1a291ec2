"""Shared by the benchmarks: the machine they ran on, and writing one section of
docs/performance.md without touching the others."""

import os
import platform
import re
from pathlib import Path

from django.db import connection

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def machine() -> str:
    """One line: CPUs, memory, load, Python and PostgreSQL versions."""
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {memory_kb / 1024 / 1024:.0f} GiB memory, "
        f"load average {load} at the end of the run, Python {platform.python_version()}, "
        f"PostgreSQL {server} on the same machine"
    )


def _pattern(title: str) -> re.Pattern:
    return re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)


def section_text(title: str) -> str:
    """The `## title` section of docs/performance.md as it stands, or ""."""
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else ""
    found = _pattern(title).search(text)
    return found.group(0) if found else ""


def write_section(title: str, body: str) -> None:
    """Replace the `## title` section of docs/performance.md (or append it)."""
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else "# Performance\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = _pattern(title)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    PERFORMANCE_MD.write_text(text)


def table(header: list[str], rows: list[list], align: str) -> str:
    """A Markdown table; `align` has one letter per column, l or r."""
    marks = {"l": "---", "r": "---:"}
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(marks[a] for a in align) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
