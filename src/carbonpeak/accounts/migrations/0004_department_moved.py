"""Department is departments.Department (state only: the column and its constraint are unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_auditevent_to_core"),
        ("departments", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="department",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="departments.department",
                        verbose_name="所属部门/区镇",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
