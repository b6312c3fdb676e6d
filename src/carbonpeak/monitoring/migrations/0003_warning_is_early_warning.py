"""monitoring.Warning is monitoring.EarlyWarning (预警): the name no longer shadows Python's builtin. The rows
move with the table."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_review_lifecycle_in_core"),
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Warning", new_name="EarlyWarning"),
    ]
