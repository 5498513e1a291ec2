"""Dates on user roles. A role that exists already started when it was created: the date
of its first history row, or, without one, the day its organization was established."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def date_existing_roles(apps, schema_editor):
    UserRole = apps.get_model("branches", "UserRole")
    HistoricalUserRole = apps.get_model("branches", "HistoricalUserRole")
    for role in UserRole.objects.select_related("node"):
        first = HistoricalUserRole.objects.filter(id=role.id).order_by("history_date").first()
        started = (
            django.utils.timezone.localdate(first.history_date) if first else role.node.established_on
        )
        UserRole.objects.filter(pk=role.pk).update(started_on=started)
        HistoricalUserRole.objects.filter(id=role.id).update(started_on=started)


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaluserrole',
            name='ended_on',
            field=models.DateField(blank=True, null=True, verbose_name='role held until'),
        ),
        migrations.AddField(
            model_name='historicaluserrole',
            name='started_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='role held from'),
        ),
        migrations.AddField(
            model_name='userrole',
            name='ended_on',
            field=models.DateField(blank=True, null=True, verbose_name='role held until'),
        ),
        migrations.AddField(
            model_name='userrole',
            name='started_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='role held from'),
        ),
        migrations.RunPython(date_existing_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='userrole',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='user_role_ends_after_start'),
        ),
    ]
