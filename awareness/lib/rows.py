"""Single rows in plain SQL, for the player's hot path: every request of a learner playing a
module reads its attempt (a question step also its answer), and every answer writes one row.
Building those statements with the ORM cost several times more than running them, so these
write the SQL directly and convert values exactly as the ORM does; anything else uses the ORM.
"""

from functools import cache

from django.db import connection, models


def read_row(model: type[models.Model], where: str, params: list) -> models.Model | None:
    """The row of `model` matching `where` (a unique key, with %s placeholders), or None."""
    table, columns, attnames, converters = _reader(model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, field_converters in converters:
        for convert in field_converters:
            values[index] = convert(values[index], column, connection)
    return model.from_db(connection.alias, attnames, values)


def insert_row(instance: models.Model) -> models.Model:
    """Save a new `instance` in one INSERT ... RETURNING its primary key. Like a bulk insert,
    it sends no save signals (nothing in the project listens for these models')."""
    model = type(instance)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    primary_key = connection.ops.quote_name(model._meta.pk.column)
    placeholders = ", ".join(["%s"] * len(fields))
    # Names come from the model, values are bound: nothing a learner sends reaches the text.
    statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {primary_key}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, connection.alias
    return instance


@cache
def _reader(model: type[models.Model]) -> tuple[str, str, list[str], list]:
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return connection.ops.quote_name(table), columns, [f.attname for f in fields], converters
