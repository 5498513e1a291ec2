"""Each residential area stored before coverage was dated is covered by its branch from
the branch's establishment: the earliest day it can have covered it, and the one that
leaves the reports of every year the branch stood as they were before this migration.
An office that knows a later day gives it in the area import's "covering since" column."""

from django.db import migrations


def cover_from_establishment(apps, schema_editor):
    ResidentialArea = apps.get_model("branches", "ResidentialArea")
    AreaCoverage = apps.get_model("branches", "AreaCoverage")
    AreaCoverage.objects.bulk_create(
        [
            AreaCoverage(area_id=pk, branch_id=branch_id, valid_from=established)
            for pk, branch_id, established in ResidentialArea.objects.filter(
                coverages__isnull=True
            ).values_list("pk", "branch_id", "branch__established_on")
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0008_area_coverage"),
    ]

    operations = [
        migrations.RunPython(cover_from_establishment, migrations.RunPython.noop),
    ]
