"""Department is departments.Department (state only: the columns and their constraints are unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_initial"),
        ("supervision", "0002_review_lifecycle_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contribution",
                    name="department",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="departments.department",
                        verbose_name="配合部门",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressreport",
                    name="department",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="progress_reports",
                        to="departments.department",
                        verbose_name="牵头部门",
                    ),
                ),
                migrations.AlterField(
                    model_name="reminder",
                    name="department",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="departments.department",
                        verbose_name="部门",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
