# The audit log moved from accounts to core (the bottom layer), so that plans and accounts no longer import
# each other. The table stays where it is (accounts_auditevent): only Django's model state moves.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("username", models.CharField(blank=True, max_length=150, verbose_name="用户名")),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("create", "创建"),
                                    ("update", "修改"),
                                    ("delete", "删除"),
                                    ("submit", "报送"),
                                    ("approve", "审核通过"),
                                    ("return", "退回"),
                                    ("open", "开启"),
                                    ("close", "关闭"),
                                    ("recompute", "重算"),
                                    ("merge", "合并"),
                                ],
                                db_index=True,
                                max_length=12,
                                verbose_name="操作",
                            ),
                        ),
                        (
                            "object_type",
                            models.CharField(db_index=True, max_length=60, verbose_name="对象类型"),
                        ),
                        ("object_id", models.CharField(blank=True, max_length=40, verbose_name="对象编号")),
                        ("object_repr", models.CharField(blank=True, max_length=300, verbose_name="对象")),
                        ("before", models.JSONField(blank=True, null=True, verbose_name="修改前")),
                        ("after", models.JSONField(blank=True, null=True, verbose_name="修改后")),
                        ("comment", models.TextField(blank=True, verbose_name="说明")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "审计日志",
                        "verbose_name_plural": "审计日志",
                        "ordering": ["-at", "-id"],
                        "db_table": "accounts_auditevent",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
