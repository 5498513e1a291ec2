"""The evaluation and dues rules of the regulations the app starts with."""

import datetime

from django.db import migrations

EVALUATION_RULES = [
    {
        "regulation": "124-QĐ/TW",
        "issued_on": datetime.date(2023, 10, 4),
        "effective_from": datetime.date(2023, 10, 4),
        "scored": False,
        "note": "Excellent at most 20% of those rated good; exempted, suspended and members "
        "admitted less than 6 months before are not classified.",
    },
    {
        "regulation": "366-QĐ/TW",
        "issued_on": datetime.date(2025, 8, 30),
        "effective_from": datetime.date(2025, 8, 30),
        "scored": True,
        "note": "100-point score. Quota and exclusions unconfirmed: the values of 124-QĐ/TW "
        "are kept until confirmed.",
    },
]
DUES_RULES = [
    {
        "regulation": "342-QĐ/TW",
        "issued_on": datetime.date(2010, 12, 28),
        "effective_from": datetime.date(2010, 12, 28),
    },
    {
        "regulation": "01-QĐ/TW",
        "issued_on": datetime.date(2026, 2, 3),
        "effective_from": datetime.date(2026, 2, 3),
    },
]


def add_rules(apps, schema_editor):
    EvaluationRule = apps.get_model("branchwork", "EvaluationRule")
    DuesRule = apps.get_model("branchwork", "DuesRule")
    for fields in EVALUATION_RULES:
        EvaluationRule.objects.get_or_create(regulation=fields["regulation"], defaults=fields)
    for fields in DUES_RULES:
        DuesRule.objects.get_or_create(regulation=fields["regulation"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("branchwork", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
