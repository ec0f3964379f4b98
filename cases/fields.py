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
