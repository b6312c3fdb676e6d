"""Computed figures kept as JSON, not pickles: the kept rows are a cache of figures the platform can work out
again, so they are emptied rather than converted."""

from django.db import migrations, models


def forget_kept_figures(apps, schema_editor):
    apps.get_model("core", "ComputedFigure").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_alter_auditevent_action")]

    operations = [
        migrations.RunPython(forget_kept_figures, migrations.RunPython.noop),
        migrations.RemoveField(model_name="computedfigure", name="payload"),
        migrations.AddField(
            model_name="computedfigure",
            name="payload",
            field=models.JSONField(default=list, verbose_name="内容"),
            preserve_default=False,
        ),
    ]
