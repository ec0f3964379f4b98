"""Model fields whose content is encrypted at rest with the server data keys (cases.crypto)."""

from django.apps import apps
from django.db import connection, models, transaction

from cases import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; read back as plain text. Empty text is stored empty.

    Not searchable or sortable in the database, by design: the database alone must reveal nothing of what it
    holds. `manage.py rotate_data_keys` finds every field of this class (history tables included) and
    re-encrypts it under the newest key.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return crypto.decrypt_text(value)

    def to_python(self, value):
        return "" if value is None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt_text(value)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model (history tables included) with its EncryptedTextField columns."""
    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField) and field.model is model
        ]
        if names:
            found.append((model, names))
    return found


def rotate_all(batch_size: int = 1000) -> int:
    """Re-encrypt every encrypted column under the newest key; returns the rows rewritten.

    Any listed key decrypts and the first encrypts, so the web keeps reading throughout. Rows are walked by
    primary key in batches (bounded memory, short transactions) and rewritten with one parameterised UPDATE
    per row sent as a batch: Django's bulk_update builds a CASE expression per column that PostgreSQL plans
    slowly (benchmarks/wbs.py: ~250 rows/s that way)."""

    def rotated(token):
        return crypto.rotate(token.encode()).decode() if token else token

    quote = connection.ops.quote_name
    count = 0
    for model, names in encrypted_fields():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = [quote(model._meta.get_field(name).column) for name in names]
        # Identifiers are quoted from the models' own metadata; every value goes in as a parameter.
        select = f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
        update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s"
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                if last is None:
                    cursor.execute(select.replace(f"WHERE {pk} > %s ", ""), [batch_size])
                else:
                    cursor.execute(select, [last, batch_size])
                rows = cursor.fetchall()
                if not rows:
                    break
                cursor.executemany(update, [[*(rotated(value) for value in row[1:]), row[0]] for row in rows])
            count += len(rows)
            last = rows[-1][0]
    return count
