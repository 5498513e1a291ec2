"""The 2025 reform of the demo province, as an office performs it: a restructuring plan
(the annex of the resolution, one operation a row) uploaded as a spreadsheet and applied
through the import engine by the demo superuser. From 1/7/2025 the districts are
dissolved; the communes of each district are merged by twos and threes into new
commune-level committees, the ones left alone (the district town among them) move under
the province and become commune-level committees, the district's agencies go under the
committee of the district seat; the island district becomes a special zone (đặc khu)."""

import datetime
import random

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone

from admission.restructuring_plan import OPERATION_WORDS, PlanResource
from branches.enums import NodeKind, Operation, Sector
from branches.models import OrganizationNode
from branches.resources import KIND_WORDS, SECTOR_WORDS
from demo.tree import code_prefix
from partyorg.enums import ImportKind, ImportStatus
from partyorg.imports.files import store_bytes
from partyorg.imports.services import run_import
from partyorg.models import ImportBatch

REFORM_DAY = datetime.date(2025, 7, 1)
PLAN_FILE = "phu-luc-sap-xep-to-chuc-dang-2025.xlsx"
DECISION = "1250-QĐ/TU"


def _row(operation, old="", new="", name="", kind="", parent="", sector=""):
    return {
        "operation": OPERATION_WORDS[operation],
        "old_codes": ", ".join(old) if isinstance(old, list) else old,
        "new_code": new,
        "name": name,
        "kind": KIND_WORDS[kind] if kind else "",
        "sector": SECTOR_WORDS[sector] if sector else "",
        "parent_code": parent,
        "parts": "",
        "on": f"{REFORM_DAY:%d/%m/%Y}",
        "document_number": DECISION,
    }


def _committee_name(commune: OrganizationNode, special_zone: str = "") -> str:
    if special_zone:
        return f"Đảng ủy đặc khu {special_zone}"
    town = "thị trấn" in commune.name
    place = commune.name.removeprefix("Đảng bộ ").removeprefix("thị trấn ").removeprefix("xã ")
    return f"Đảng ủy {'phường' if town else 'xã'} {place}"


def _renames(communes: list[OrganizationNode]) -> list[dict]:
    """Rows renaming the branches the merged `communes` bring along whose names the
    merged committee holds already, as offices do: the villages are numbered on ("Chi bộ
    thôn 1" of the second commune becomes "Chi bộ thôn 6" after five), a name without a
    number gets the former commune's name."""
    rows, taken, number = [], set(), 0
    for commune in communes:
        for branch in OrganizationNode.objects.get_children(commune).order_by("path"):
            number += 1
            name = branch.name
            if name in taken:
                word, _space, label = name.rpartition(" ")
                place = commune.name.removeprefix("Đảng bộ ")
                name = f"{word} {number}" if label.isdigit() else f"{name} ({place})"
                rows.append(_row(Operation.RENAME, branch.code, name=name))
            taken.add(name)
    return rows


def plan_rows(rng: random.Random, province: OrganizationNode) -> list[dict]:
    """The plan's rows for the pre-reform tree of `province` in the database (codes
    "X001"… for the new communes, "DK01" for the special zone, after the province's
    code prefix)."""
    prefix = code_prefix(province)
    rows, number = [], 0
    for district in OrganizationNode.objects.get_children(province).filter(
        kind=NodeKind.DISTRICT_COMMITTEE
    ):
        children = list(OrganizationNode.objects.get_children(district))
        communes = [c for c in children if c.sector == Sector.COMMUNE]
        if district.place_name in ISLANDS:
            rows.append(
                _row(
                    Operation.MERGE,
                    [c.code for c in communes],
                    f"{prefix}DK01",
                    _committee_name(communes[0], special_zone=district.place_name),
                    NodeKind.COMMUNE_COMMITTEE,
                    province.code,
                    Sector.SPECIAL_ZONE,
                )
            )
            rows.extend(_renames(communes))
            rows.append(_row(Operation.DISSOLVE, district.code, parent=f"{prefix}DK01"))
            continue
        seat, rest = communes[0], communes[1:]
        groups = []
        while rest:
            size = min(len(rest), rng.choice([2, 2, 3]))
            groups.append(rest[:size])
            rest = rest[size:]
        for commune in [seat, *(g[0] for g in groups if len(g) == 1)]:
            rows.append(_row(Operation.MOVE, commune.code, parent=province.code))
            rows.append(
                _row(
                    Operation.RENAME,
                    commune.code,
                    name=_committee_name(commune),
                    kind=NodeKind.COMMUNE_COMMITTEE,
                )
            )
        for group in (g for g in groups if len(g) > 1):
            number += 1
            rows.append(
                _row(
                    Operation.MERGE,
                    [c.code for c in group],
                    f"{prefix}X{number:03d}",
                    _committee_name(group[0]),
                    NodeKind.COMMUNE_COMMITTEE,
                    province.code,
                    Sector.COMMUNE,
                )
            )
            rows.extend(_renames(group))
        rows.append(_row(Operation.DISSOLVE, district.code, parent=seat.code))
    return rows


ISLANDS = {"Lý Sơn"}


def perform_reform(rng: random.Random, by, province: OrganizationNode) -> ImportBatch:
    """Upload `province`'s plan as `by` and apply it through the import engine (checked
    and rehearsed, then written all at once); the batch keeps who applied it."""
    columns = PlanResource().fields
    headers = [columns[name].column_name for name in PlanResource.Meta.fields]
    data = tablib.Dataset(headers=headers)
    for row in plan_rows(rng, province):
        data.append([row[name] for name in PlanResource.Meta.fields])
    content = data.export("xlsx")
    batch = ImportBatch.objects.create(
        kind=ImportKind.PLAN,
        file_name=PLAN_FILE,
        stored_file=store_bytes(PLAN_FILE, content),
        user=by,
        status=ImportStatus.APPLYING,
    )
    report = run_import(PlanResource, batch.stored_file, user=by, label=batch.label, dry_run=False)
    if not report.ok:
        raise ValidationError(f"The demo's reform plan was refused: {report.errors[:3]}")
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.APPLIED,
        applied_at=timezone.now(),
        rows_total=report.total,
        rows_done=report.total,
        rows_new=report.new,
    )
    return batch
