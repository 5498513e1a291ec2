import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from members.models import Member
from partyorg.models import ImportBatch
from tests.factories_imports import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(xlsx_bytes([member_row("10000001"), member_row("10000002")]))
    return path


def test_dry_run_reports_and_saves_nothing(world, good_file, capsys):
    call_command("import_xlsx", "members", str(good_file), "--dry-run", "--user", "officer")
    assert "2 rows checked (dry run): 2 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert not Member.objects.exists()


def test_import_then_again_changes_nothing(world, good_file, capsys):
    call_command("import_xlsx", "members", str(good_file), "--user", "officer")
    batch = ImportBatch.objects.get()
    assert Member.objects.count() == 2
    assert Member.objects.first().history.get().history_change_reason == batch.label
    call_command("import_xlsx", "members", str(good_file), "--user", "officer")
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Member.history.count() == 2


def test_errors_fail_the_command(world, tmp_path, capsys):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(xlsx_bytes([member_row(branch="H2-CB")]))
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_xlsx", "members", str(path), "--user", "officer")
    assert "row 2, Mã chi bộ" in capsys.readouterr().err
    assert not Member.objects.exists()


def test_viewer_may_not_import(world, good_file):
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_xlsx", "members", str(good_file), "--user", "viewer")
    assert not ImportBatch.objects.exists()


def test_not_a_spreadsheet(world, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    with translation.override("en"), pytest.raises(CommandError, match="not an Excel"):
        call_command("import_xlsx", "members", str(path), "--user", "officer")
