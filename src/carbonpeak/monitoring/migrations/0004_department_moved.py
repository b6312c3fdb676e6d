"""Department is departments.Department (state only: the column and its constraint are unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_initial"),
        ("monitoring", "0003_warning_is_early_warning"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="earlywarning",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="warnings",
                        to="departments.department",
                        verbose_name="责任部门",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="indicators",
                        to="departments.department",
                        verbose_name="责任部门",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
