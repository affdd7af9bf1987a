"""Each call names the prefix of its 申报编号, unique among calls (a second call of one year no longer collides).

Existing calls keep the prefix their numbers already use, the year; should two existing calls share a year (which
could not number applications before), the later one gets `<year>-<id>`.
"""

from django.db import migrations, models


def fill_prefixes(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    taken = set()
    for call in Call.objects.order_by("pk"):
        prefix = str(call.year)
        if prefix in taken:
            prefix = f"{call.year}-{call.pk}"
        taken.add(prefix)
        call.application_number_prefix = prefix
        call.save(update_fields=["application_number_prefix"])


class Migration(migrations.Migration):
    dependencies = [("calls", "0004_call_file_acceptance_and_plaque_settings")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="application_number_prefix",
            field=models.CharField(max_length=16, null=True, verbose_name="申报编号前缀"),
        ),
        migrations.RunPython(fill_prefixes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="call",
            name="application_number_prefix",
            field=models.CharField(max_length=16, unique=True, verbose_name="申报编号前缀"),
        ),
    ]
