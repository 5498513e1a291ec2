from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2020, 2030


def prefill(apps, schema_editor):
    from partyorg.workdays import vietnam_public_holidays

    Holiday = apps.get_model("partyorg", "Holiday")
    days = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in vietnam_public_holidays(year):
            days.setdefault(day, name)
    Holiday.objects.bulk_create(
        [Holiday(date=day, name=name) for day, name in sorted(days.items())],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("partyorg", "0001_initial")]

    operations = [migrations.RunPython(prefill, migrations.RunPython.noop)]
