# The audit log's model now lives in core (its table is unchanged, see core/0001_initial).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
