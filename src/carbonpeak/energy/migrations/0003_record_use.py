"""Energy records carry a use: 燃料 (default) or 原料 (803号)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0002_generation_coal_rate"),
    ]

    operations = [
        migrations.AddField(
            model_name="energyrecord",
            name="use",
            field=models.CharField(
                choices=[("燃料", "燃料"), ("原料", "原料")],
                db_default="燃料",
                default="燃料",
                help_text="原料用能：计入能源消费总量，考核时扣除，不计燃烧排放（发改环资〔2022〕803号）",
                max_length=4,
                verbose_name="用途",
            ),
        ),
    ]
