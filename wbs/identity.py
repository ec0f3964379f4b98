"""Sealing a whistleblower's identity to the identity custodians (DESIGN §3, "Confidentiality").

- Each custodian has an X25519 key pair. The private key is stored only wrapped (AES-256-GCM) by a key
  derived from the custodian's passphrase with Argon2id, so neither the database nor the server's settings
  can open it.
- An identity is encrypted once with a fresh AES-256-GCM data key; that data key is sealed to every active
  custodian's public key (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM). The running server can seal — it
  holds the public keys — but cannot unseal without a custodian's passphrase.
- A new custodian gets seals for the existing identities when a current custodian re-seals them with their
  passphrase; a removed custodian's seals are deleted.

Every ciphertext is bound to its report (the report's UUID is the associated data), so a sealed key or an
identity cannot be moved to another report.
"""

import json
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Argon2id for passphrases: RFC 9106's second recommended option (64 MiB, 3 passes).
KDF_TIME_COST = 3
KDF_MEMORY_KIB = 64 * 1024
KDF_PARALLELISM = 2
NONCE = 12


class WrongPassphrase(Exception):
    pass


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return hash_secret_raw(passphrase.encode(), salt, KDF_TIME_COST, KDF_MEMORY_KIB, KDF_PARALLELISM, 32, Type.ID)


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    wrapped_private: bytes
    salt: bytes


def new_keypair(passphrase: str, *, owner: str) -> KeyPair:
    """A custodian's key pair, the private half wrapped by their passphrase. `owner` binds it to them."""
    if len(passphrase) < 12:
        raise ValueError("passphrase too short")
    private = X25519PrivateKey.generate()
    salt = os.urandom(16)
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    wrapped = _encrypt(_passphrase_key(passphrase, salt), raw_private, b"sigap-custodian:" + owner.encode())
    return KeyPair(_raw(private.public_key()), wrapped, salt)


def unwrap_private(keypair: KeyPair, passphrase: str, *, owner: str) -> X25519PrivateKey:
    try:
        raw = _decrypt(
            _passphrase_key(passphrase, keypair.salt), keypair.wrapped_private, b"sigap-custodian:" + owner.encode()
        )
    except InvalidTag:
        raise WrongPassphrase from None
    return X25519PrivateKey.from_private_bytes(raw)


def rewrap_private(keypair: KeyPair, old: str, new: str, *, owner: str) -> KeyPair:
    """Change a custodian's passphrase without changing the key pair (nothing needs re-sealing)."""
    private = unwrap_private(keypair, old, owner=owner)
    salt = os.urandom(16)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return KeyPair(
        keypair.public, _encrypt(_passphrase_key(new, salt), raw, b"sigap-custodian:" + owner.encode()), salt
    )


def _kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"sigap-seal" + ephemeral_public + recipient_public
    ).derive(shared)


def seal_key(data_key: bytes, recipient_public: bytes, *, report_id: str) -> tuple[bytes, bytes]:
    """Seal a data key to one public key; returns (ephemeral public key, sealed key)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    return ephemeral_public, _encrypt(_kek(shared, ephemeral_public, recipient_public), data_key, report_id.encode())


def unseal_key(private: X25519PrivateKey, ephemeral_public: bytes, sealed: bytes, *, report_id: str) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    return _decrypt(_kek(shared, ephemeral_public, _raw(private.public_key())), sealed, report_id.encode())


def encrypt_identity(identity: dict, *, report_id: str) -> tuple[bytes, bytes]:
    """Returns (data key, ciphertext). The caller seals the data key and then forgets it."""
    data_key = AESGCM.generate_key(bit_length=256)
    blob = _encrypt(
        data_key, json.dumps(identity, ensure_ascii=False).encode(), b"sigap-identity:" + report_id.encode()
    )
    return data_key, blob


def decrypt_identity(data_key: bytes, blob: bytes, *, report_id: str) -> dict:
    return json.loads(_decrypt(data_key, blob, b"sigap-identity:" + report_id.encode()))
