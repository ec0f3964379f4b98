"""Model fields whose content is encrypted at rest with the server data keys (cases.crypto)."""

from django.db import models

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
    from django.apps import apps

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


def rotate_all(batch_size: int = 500) -> int:
    """Re-encrypt every encrypted column under the newest key; returns the rows rewritten.

    Reading decrypts with any listed key and writing encrypts with the first, so the web keeps reading
    throughout. Rows are walked by primary key in batches: bounded memory, short transactions."""
    count = 0
    for model, names in encrypted_fields():
        last = None
        while True:
            rows = model._base_manager.order_by("pk").only("pk", *names)
            if last is not None:
                rows = rows.filter(pk__gt=last)
            batch = list(rows[:batch_size])
            if not batch:
                break
            model._base_manager.bulk_update(batch, names)
            count += len(batch)
            last = batch[-1].pk
    return count
