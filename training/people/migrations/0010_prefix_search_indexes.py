"""Prefix search on the members page ("ali" finds Alice and alice.wong@…): Django's
istartswith is UPPER(column) LIKE 'ALI%', which these PostgreSQL indexes answer. SQLite (the
embedded default) has no operator classes and gets none: a small organisation needs none."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_user_{column}_prefix "
            f"ON people_user (UPPER({column}::text) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_user_{column}_prefix")


class Migration(migrations.Migration):
    dependencies = [("people", "0009_roster_new_groups")]

    operations = [migrations.RunPython(create, drop)]
