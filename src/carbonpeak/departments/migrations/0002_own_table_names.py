"""The departments' tables take their app's names, and what named them by the old app follows: content types
(so admin permissions stay attached) and audit records of departments (merges)."""

from django.db import migrations


def rename_labels(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("department", "departmentalias"):
        if not content_type.objects.filter(app_label="departments", model=model).exists():
            content_type.objects.filter(app_label="plans", model=model).update(app_label="departments")
    audit_event = apps.get_model("core", "AuditEvent")
    for name in ("Department", "DepartmentAlias"):
        audit_event.objects.filter(object_type=f"plans.{name}").update(object_type=f"departments.{name}")


def restore_labels(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="departments").update(app_label="plans")
    audit_event = apps.get_model("core", "AuditEvent")
    for name in ("Department", "DepartmentAlias"):
        audit_event.objects.filter(object_type=f"departments.{name}").update(object_type=f"plans.{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0001_initial"),
        ("plans", "0003_departments_moved_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="department", table=None),
        migrations.AlterModelTable(name="departmentalias", table=None),
        migrations.RunPython(rename_labels, restore_labels),
    ]
