# The natural keys and the version an assessment is read against.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("brag", "0001_initial"),
        ("ladder", "0003_versions_and_default_ladder"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="current_level_code",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="assessment",
            name="ladder_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ladder.ladderversion",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="track_key",
            field=models.CharField(blank=True, editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="assessment",
            name="target_level_code",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="rating",
            name="dimension_key",
            field=models.CharField(default="", editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="rating",
            name="level_code",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
    ]
