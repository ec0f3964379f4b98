"""Encryption at rest with rotatable server keys (settings.DATA_ENCRYPTION_KEYS, newest first).

Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: any listed key decrypts, the first encrypts, and
`rotate()` re-encrypts a token under the first key — what `manage.py rotate_data_keys` does to every row and
file, so an old key can be retired without downtime.

A Fernet token carries the time it was made in clear. We never use token expiry, and the time a
whistleblower's report was encrypted is exactly what must not be stored (DESIGN §3), so every token is made
at time 0.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

TOKEN_TIME = 0


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.DATA_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return _current().encrypt_at_time(data, TOKEN_TIME)


def decrypt_bytes(token: bytes) -> bytes:
    return _current().decrypt(token)


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode()


def rotate(token: bytes) -> bytes:
    """Re-encrypt under the newest key, with the token time cleared as well."""
    return encrypt_bytes(decrypt_bytes(token))


__all__ = ["InvalidToken", "decrypt_bytes", "decrypt_text", "encrypt_bytes", "encrypt_text", "rotate"]
