from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The table of the database cache (settings.CACHES), so that no deployment step can
    # forget it; the command does nothing when the table exists or another backend is set.
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("partyorg", "0002_prefill_holidays")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
