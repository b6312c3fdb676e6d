"""Departments move from ``plans`` to their own app (the accounts ↔ plans cycle broken). The tables stay
where they are for now (state only); ``0002`` gives them the app's own names once every reference points
here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("plans", "0002_department_email"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="名称")),
                        ("short_name", models.CharField(blank=True, max_length=30, verbose_name="简称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("市级部门", "市级部门"),
                                    ("区镇", "区镇"),
                                    ("企业", "企业"),
                                    ("其他", "其他"),
                                ],
                                default="其他",
                                max_length=10,
                                verbose_name="类型",
                            ),
                        ),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="预警通知邮箱")),
                    ],
                    options={
                        "verbose_name": "部门/单位",
                        "verbose_name_plural": "部门/单位",
                        "ordering": ["kind", "name"],
                        "db_table": "plans_department",
                    },
                ),
                migrations.CreateModel(
                    name="DepartmentAlias",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="别名")),
                        (
                            "department",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="aliases",
                                to="departments.department",
                                verbose_name="部门",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "部门别名",
                        "verbose_name_plural": "部门别名",
                        "db_table": "plans_departmentalias",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
