"""Imports and report files whose process died: ended after WORK_STALE_AFTER_SECONDS,
then retried or cancelled by their owner or an officer above.

A dead process is simulated as it looks in the database: the row left in a running
status with a heartbeat older than the timeout."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from branches.enums import RoleKind
from members.models import Member
from office.imports import tasks
from office.imports.registry import resource_class
from partyorg.enums import ImportStatus
from partyorg.imports import services
from partyorg.models import ImportBatch
from reports.enums import ReportStatus
from tests.factories import make_user
from tests.factories_imports import member_row, xlsx_bytes
from tests.factories_reports import YEAR, build_district
from tests.factories_work import members_batch, running_report, stale_heartbeat

pytestmark = pytest.mark.django_db
STOPPED = "The process stopped; nothing was imported."
REFRESH = 'http-equiv="refresh"'


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def checked_batch(client) -> ImportBatch:
    rows = [member_row("10000001"), member_row("10000002")]
    client.post(
        reverse("imports:index"),
        {"kind": "members", "file": SimpleUploadedFile("dang-vien.xlsx", xlsx_bytes(rows))},
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportStatus.CHECKED
    return batch


def died(batch: ImportBatch, status: str, when) -> None:
    """The process working on the batch was killed: the row stays as it left it."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, rows_done=0, heartbeat_at=when)


def stopped_batch(client) -> ImportBatch:
    """A checked batch whose apply died long ago."""
    batch = checked_batch(client)
    died(batch, ImportStatus.APPLYING, stale_heartbeat())
    return batch


# --- imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ImportStatus.APPLYING, ImportStatus.CHECKING])
def test_an_import_whose_process_died_is_shown_failed_without_refreshing(
    world, as_user, settings, status
):
    client = as_user(world.officer)
    batch = checked_batch(client)
    died(batch, status, stale_heartbeat())

    page = client.get(batch.get_absolute_url()).content.decode()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.errors == [{"row": None, "column": "", "message": STOPPED}]
    assert STOPPED in page and REFRESH not in page
    assert reverse("imports:retry", args=[batch.pk]) in page
    assert reverse("imports:cancel", args=[batch.pk]) in page
    assert not Member.objects.exists()


def test_a_running_import_with_a_recent_heartbeat_keeps_running(world, as_user, settings):
    client = as_user(world.officer)
    batch = checked_batch(client)
    died(batch, ImportStatus.APPLYING, timezone.now() - datetime.timedelta(seconds=30))

    page = client.get(batch.get_absolute_url()).content.decode()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLYING and REFRESH in page
    assert reverse("imports:retry", args=[batch.pk]) not in page


def test_the_import_list_ends_stopped_imports(world, as_user, settings):
    client = as_user(world.officer)
    batch = checked_batch(client)
    died(batch, ImportStatus.QUEUED, stale_heartbeat())

    page = client.get(reverse("imports:index")).content.decode()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "imp-failed" in page and "imp-queued" not in page


def test_retry_checks_the_same_file_again_then_it_imports(world, as_user, settings):
    client = as_user(world.officer)
    batch = stopped_batch(client)
    client.get(batch.get_absolute_url())

    response = client.post(reverse("imports:retry", args=[batch.pk]))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.rows_new, batch.errors) == (ImportStatus.CHECKED, 2, [])
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert Member.objects.count() == 2


def test_cancel_marks_the_import_cancelled_and_it_can_no_longer_be_applied(
    world, as_user, settings
):
    client = as_user(world.officer)
    batch = stopped_batch(client)
    client.get(batch.get_absolute_url())

    client.post(reverse("imports:cancel", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "The import was cancelled; nothing was imported." in page
    assert reverse("imports:retry", args=[batch.pk]) not in page
    response = client.post(reverse("imports:retry", args=[batch.pk]), follow=True)
    assert "Only a failed import can be retried or cancelled." in response.content.decode()
    # A worker that picks up the apply it was queued for leaves it alone.
    tasks.apply_import.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and not Member.objects.exists()


def test_a_worker_starting_any_task_ends_stopped_imports(world, as_user, settings):
    client = as_user(world.officer)
    stopped = stopped_batch(client)
    fresh = members_batch(world.officer, stored_file=stopped.stored_file)

    tasks.check_import.enqueue(fresh.pk)

    stopped.refresh_from_db()
    fresh.refresh_from_db()
    assert stopped.status == ImportStatus.FAILED
    assert fresh.status == ImportStatus.CHECKED


def test_an_apply_ended_as_stopped_meanwhile_writes_nothing(world, as_user, settings):
    """A slow worker, not dead, finds its batch ended when it comes to write."""
    client = as_user(world.officer)
    batch = checked_batch(client)
    services.start_apply(batch)
    died(batch, ImportStatus.APPLYING, stale_heartbeat())
    services.end_stopped_batches()

    report = services.apply_batch(batch, resource_class=resource_class(batch.kind))

    assert not report.ok
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and not Member.objects.exists()


def test_progress_is_a_heartbeat(world, as_user, settings):
    client = as_user(world.officer)
    batch = stopped_batch(client)
    before = timezone.now()

    services._progress(batch)(1, 2)

    batch.refresh_from_db()
    assert batch.heartbeat_at >= before and not batch.is_stopped


def test_one_who_writes_above_may_retry_or_cancel_others_may_not(world, as_user, settings):
    batch = stopped_batch(as_user(world.secretary))
    province_officer = make_user(world.province, RoleKind.OFFICER, username="province")
    cancel = reverse("imports:cancel", args=[batch.pk])

    for stranger in (world.outsider, world.viewer, make_user(world.branch_b, RoleKind.SECRETARY)):
        assert as_user(stranger).post(cancel).status_code == 404
    client = as_user(world.officer)
    assert client.get(cancel).status_code == 405
    page = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("imports:retry", args=[batch.pk]) in page
    # The officer above may not import the secretary's file in the secretary's name.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKED)
    assert client.post(reverse("imports:apply", args=[batch.pk])).status_code == 403
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED)
    assert as_user(province_officer).post(cancel).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


def test_retry_of_a_file_no_longer_kept_says_so(world, as_user, settings):
    from django.core.files.storage import default_storage

    client = as_user(world.officer)
    batch = stopped_batch(client)
    client.get(batch.get_absolute_url())
    default_storage.delete(batch.stored_file)

    response = client.post(reverse("imports:retry", args=[batch.pk]), follow=True)

    assert "The file is no longer kept; upload it again." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


# --- report files -----------------------------------------------------------------------------


@pytest.fixture
def stopped_report(world, settings):
    build_district(world)
    return running_report(world.district, world.viewer, heartbeat_at=stale_heartbeat())


def report_url(name, generated):
    return reverse(f"reports:{name}", args=[generated.pk])


def test_a_report_whose_process_died_is_shown_failed_and_can_be_prepared_again(
    world, as_user, stopped_report
):
    client = as_user(world.viewer)
    page = client.get(report_url("file", stopped_report)).content.decode()

    stopped_report.refresh_from_db()
    assert stopped_report.status == ReportStatus.FAILED and stopped_report.finished_at
    assert "The process preparing the report stopped" in page and REFRESH not in page
    assert report_url("file_retry", stopped_report) in page

    response = client.post(report_url("file_retry", stopped_report))

    assert response["Location"] == report_url("file", stopped_report)
    stopped_report.refresh_from_db()
    assert (stopped_report.status, stopped_report.progress) == (ReportStatus.DONE, 100)
    assert stopped_report.file and stopped_report.heartbeat_at > stopped_report.requested_at


def test_the_dashboard_list_ends_stopped_reports(world, as_user, stopped_report):
    page = as_user(world.officer).get(reverse("reports:dashboard", args=["H1", YEAR]))
    stopped_report.refresh_from_db()
    assert stopped_report.status == ReportStatus.FAILED
    assert "rs-failed" in page.content.decode()


def test_a_stopped_report_can_be_cancelled_and_a_late_worker_leaves_it(
    world, as_user, stopped_report
):
    from reports import tasks as report_tasks

    client = as_user(world.officer)  # an officer above the viewer who asked for it
    client.get(report_url("file", stopped_report))
    client.post(report_url("file_cancel", stopped_report))

    stopped_report.refresh_from_db()
    assert stopped_report.status == ReportStatus.CANCELLED
    report_tasks.generate_report.enqueue(stopped_report.pk)
    stopped_report.refresh_from_db()
    assert stopped_report.status == ReportStatus.CANCELLED and not stopped_report.file


def test_only_the_owner_or_an_officer_above_manages_a_report(world, as_user, stopped_report):
    colleague = make_user(world.district, RoleKind.VIEWER, username="colleague")
    client = as_user(colleague)
    client.get(report_url("file", stopped_report))
    assert client.post(report_url("file_cancel", stopped_report)).status_code == 403
    assert (
        as_user(world.outsider).post(report_url("file_cancel", stopped_report)).status_code == 404
    )
    page = client.get(report_url("file", stopped_report)).content.decode()
    assert report_url("file_retry", stopped_report) not in page
