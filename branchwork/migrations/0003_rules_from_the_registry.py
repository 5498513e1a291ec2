"""The evaluation and dues rules move from tables to partyorg.rules: each evaluation and
dues row keeps the number of its regulation instead of a link to a rule row."""

from django.conf import settings
from django.db import migrations, models


def copy_regulation_numbers(apps, schema_editor):
    for rule_model, names in [
        ("EvaluationRule", ["Evaluation", "OrganizationEvaluation"]),
        ("DuesRule", ["Dues"]),
    ]:
        for rule in apps.get_model("branchwork", rule_model).objects.all():
            for name in names:
                for model in (name, f"Historical{name}"):
                    apps.get_model("branchwork", model).objects.filter(rule_id=rule.pk).update(
                        regulation=rule.regulation
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0001_initial"),
        ("branchwork", "0002_evaluation_and_dues_rules"),
        ("members", "0005_national_id_validator"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dues",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="evaluation",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaldues",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalorganizationevaluation",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="organizationevaluation",
            name="regulation",
            field=models.CharField(default="", max_length=40, verbose_name="regulation"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_regulation_numbers, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="dues",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="historicaldues",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="historicalorganizationevaluation",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="historicalevaluation",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="organizationevaluation",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="evaluation",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="historicalduesrule",
            name="history_user",
        ),
        migrations.RemoveField(
            model_name="historicalevaluationrule",
            name="history_user",
        ),
        migrations.RemoveConstraint(
            model_name="evaluation",
            name="evaluation_score_max",
        ),
        migrations.RemoveConstraint(
            model_name="organizationevaluation",
            name="org_evaluation_score_max",
        ),
        migrations.AddField(
            model_name="evaluation",
            name="excellent_conditions",
            field=models.BooleanField(
                default=False,
                verbose_name="every task on time, at least 30% beyond requirements, no discipline",
            ),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="excellent_conditions",
            field=models.BooleanField(
                default=False,
                verbose_name="every task on time, at least 30% beyond requirements, no discipline",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganizationevaluation",
            name="excellent_conditions",
            field=models.BooleanField(
                default=False,
                verbose_name="every task on time, at least 30% beyond requirements, no discipline",
            ),
        ),
        migrations.AddField(
            model_name="organizationevaluation",
            name="excellent_conditions",
            field=models.BooleanField(
                default=False,
                verbose_name="every task on time, at least 30% beyond requirements, no discipline",
            ),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=1, max_digits=4, null=True, verbose_name="score"
            ),
        ),
        migrations.AlterField(
            model_name="historicalevaluation",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=1, max_digits=4, null=True, verbose_name="score"
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganizationevaluation",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=1, max_digits=4, null=True, verbose_name="score"
            ),
        ),
        migrations.AlterField(
            model_name="organizationevaluation",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=1, max_digits=4, null=True, verbose_name="score"
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 0), ("score__lte", 100)),
                name="evaluation_score_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="organizationevaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 0), ("score__lte", 100)),
                name="org_evaluation_score_range",
            ),
        ),
        migrations.DeleteModel(
            name="DuesRule",
        ),
        migrations.DeleteModel(
            name="EvaluationRule",
        ),
        migrations.DeleteModel(
            name="HistoricalDuesRule",
        ),
        migrations.DeleteModel(
            name="HistoricalEvaluationRule",
        ),
    ]
