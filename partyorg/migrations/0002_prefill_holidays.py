"""Once the holiday table was prefilled here; since 0004 the `holidays` package gives
Vietnam's calendar and the table holds only the announced corrections."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partyorg", "0001_initial")]

    operations = []
