"""The app's day is the local date of its time zone (Asia/Ho_Chi_Minh), django.utils.timezone
.localdate(): from 17:00 UTC the machine's date is still yesterday there. A test asks the same
day as the code it tests."""

import pathlib
import re

from django.conf import settings

CALLS = re.compile(r"\bdate\.today\(\)")
SKIPPED = {".venv", "node_modules", "bench", "migrations"}


def test_no_code_or_test_asks_the_machine_date():
    root = pathlib.Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not SKIPPED & set(path.relative_to(root).parts)
        and path.name != "test_local_day.py"
        and CALLS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
