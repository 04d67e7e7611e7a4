"""Runs from before tallies existed get theirs counted from history once (PostgreSQL: the
recount is SQL of its own; on SQLite, a development database, old runs start from zero)."""

from django.db import migrations


def recount(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from training.campaigns.services.statistics import rebuild_run_statistics

    for run in apps.get_model("campaigns", "CampaignRun").objects.order_by("pk"):
        rebuild_run_statistics(run)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0011_notification_run_status")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop, elidable=True)]
