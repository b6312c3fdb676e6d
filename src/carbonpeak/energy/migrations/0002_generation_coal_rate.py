"""Factor kinds for the 等价值 (the year's average 发电 coal rate, the 供电 rate kept apart) and the grid's
non-fossil share by structure."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="factor",
            name="kind",
            field=models.CharField(
                choices=[
                    ("standard_coal", "标准煤定义"),
                    ("coal_coefficient", "折标准煤系数（当量值）"),
                    ("ncv", "平均低位发热量"),
                    ("carbon_content", "单位热值含碳量"),
                    ("oxidation", "碳氧化率"),
                    ("co2_per_unit", "单位实物量二氧化碳排放"),
                    ("grid_co2", "电网平均排放因子"),
                    ("heat_co2", "热力排放因子"),
                    ("generation_coal_rate", "平均发电标准煤耗（等价值，能源平衡表口径）"),
                    ("supply_coal_rate", "供电标准煤耗（中电联口径，仅供参考，不用于等价值）"),
                    ("grid_non_fossil_share", "电网非化石电量占比（调入电力中的非化石电量，分电网结构）"),
                ],
                max_length=30,
                verbose_name="类别",
            ),
        ),
    ]
