# Ratings keep natural keys, so a level or dimension may leave the live ladder.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_versions_from_snapshots")]

    operations = [
        migrations.RemoveConstraint(
            model_name="rating",
            name="one_rating_per_dimension",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="snapshot",
        ),
        migrations.AlterField(
            model_name="rating",
            name="dimension",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ladder.dimension",
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="level",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ladder.level",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                fields=("assessment", "dimension_key"), name="one_rating_per_dimension"
            ),
        ),
    ]
