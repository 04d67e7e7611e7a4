"""Bulk inserts that skip rows already there: the launch's hot path."""

from collections.abc import Iterable

from django.db import connection, transaction


def insert_new_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert rows, leaving out any that would break a unique constraint.

    On PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING,
    about ten times faster here than bulk_create. Elsewhere: bulk_create(ignore_conflicts).
    """
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(name).attname for name in fields]  # run -> run_id
        model.objects.bulk_create(
            (model(**dict(zip(names, row, strict=True))) for row in rows),
            batch_size=5000,
            ignore_conflicts=True,
        )
        return
    table = model._meta.db_table
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    # The names come from the model's own metadata, never from input. The temporary table
    # has the same column types and no constraints, and lasts until the transaction ends.
    create = f'CREATE TEMPORARY TABLE new_rows ON COMMIT DROP AS SELECT {columns} FROM "{table}" WITH NO DATA'  # noqa: E501, S608
    insert = (
        f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM new_rows ON CONFLICT DO NOTHING'  # noqa: S608
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(create)
        with cursor.copy(f"COPY new_rows ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(insert)
        cursor.execute("DROP TABLE new_rows")
