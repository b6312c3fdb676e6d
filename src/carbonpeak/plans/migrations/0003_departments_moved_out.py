"""Department and DepartmentAlias now belong to the departments app (state only: no table is dropped)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_department_moved"),
        ("departments", "0001_initial"),
        ("monitoring", "0004_department_moved"),
        ("plans", "0002_department_email"),
        ("supervision", "0003_department_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="responsibility",
                    name="department",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="responsibilities",
                        to="departments.department",
                        verbose_name="部门",
                    ),
                ),
                migrations.RemoveField(
                    model_name="departmentalias",
                    name="department",
                ),
                migrations.AlterField(
                    model_name="task",
                    name="departments",
                    field=models.ManyToManyField(
                        related_name="tasks", through="plans.Responsibility", to="departments.department"
                    ),
                ),
                migrations.DeleteModel(
                    name="Department",
                ),
                migrations.DeleteModel(
                    name="DepartmentAlias",
                ),
            ],
            database_operations=[],
        ),
    ]
