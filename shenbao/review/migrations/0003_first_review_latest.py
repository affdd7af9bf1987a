"""Each application's newest first-review record is flagged (`FirstReviewRecord.is_latest`): the column is added
false for every stored record, the newest record of each application (the highest key, the order the summary used
before) is then flagged, and only then does the one-latest-per-application constraint hold."""

from django.db import migrations, models
from django.db.models import Max


def flag_latest_records(apps, schema_editor):
    record = apps.get_model("review", "FirstReviewRecord")
    newest = record.objects.values("application").annotate(newest=Max("pk")).values("newest")
    record.objects.filter(pk__in=newest).update(is_latest=True)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_first_review_seal"),
    ]

    operations = [
        migrations.AddField(
            model_name="firstreviewrecord",
            name="is_latest",
            field=models.BooleanField(default=False, editable=False, verbose_name="最新一次初审"),
        ),
        migrations.RunPython(flag_latest_records, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="firstreviewrecord",
            name="is_latest",
            field=models.BooleanField(default=True, editable=False, verbose_name="最新一次初审"),
        ),
        migrations.AddConstraint(
            model_name="firstreviewrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_latest", True)),
                fields=("application",),
                name="review_one_latest_first_review",
            ),
        ),
    ]
