"""The identity sealing primitives, without the database."""

import pytest

from wbs import identity

PASS_A = "kata sandi kustodian A yang panjang"
PASS_B = "kata sandi kustodian B yang panjang"
IDENTITY = {"name": "Siti Aminah", "nik": "3173014501900001", "contact": "0812-0000-1111"}


@pytest.fixture(scope="module")
def custodians():
    return identity.new_keypair(PASS_A, owner="1"), identity.new_keypair(PASS_B, owner="2")


def seal_to(keypairs, report_id="r-1"):
    data_key, blob = identity.encrypt_identity(IDENTITY, report_id=report_id)
    seals = [identity.seal_key(data_key, kp.public, report_id=report_id) for kp in keypairs]
    return blob, seals


def test_each_custodian_opens_the_identity_with_their_passphrase(custodians):
    blob, seals = seal_to(custodians)
    for (keypair, owner, passphrase), (ephemeral, sealed) in zip(
        [(custodians[0], "1", PASS_A), (custodians[1], "2", PASS_B)], seals, strict=True
    ):
        private = identity.unwrap_private(keypair, passphrase, owner=owner)
        data_key = identity.unseal_key(private, ephemeral, sealed, report_id="r-1")
        assert identity.decrypt_identity(data_key, blob, report_id="r-1") == IDENTITY


def test_nothing_in_storage_shows_the_identity_or_the_private_key(custodians):
    blob, seals = seal_to(custodians)
    stored = blob + b"".join(e + s for e, s in seals) + custodians[0].wrapped_private
    for value in IDENTITY.values():
        assert value.encode() not in stored


def test_a_wrong_passphrase_opens_nothing(custodians):
    with pytest.raises(identity.WrongPassphrase):
        identity.unwrap_private(custodians[0], PASS_B, owner="1")
    with pytest.raises(identity.WrongPassphrase):
        identity.unwrap_private(custodians[0], PASS_A, owner="2")  # the wrapped key is bound to its owner


def test_a_sealed_key_cannot_be_moved_to_another_report(custodians):
    from cryptography.exceptions import InvalidTag

    blob, seals = seal_to(custodians, report_id="r-1")
    private = identity.unwrap_private(custodians[0], PASS_A, owner="1")
    with pytest.raises(InvalidTag):
        identity.unseal_key(private, *seals[0], report_id="r-2")
    data_key = identity.unseal_key(private, *seals[0], report_id="r-1")
    with pytest.raises(InvalidTag):
        identity.decrypt_identity(data_key, blob, report_id="r-2")


def test_a_passphrase_change_keeps_the_same_key_pair(custodians):
    blob, seals = seal_to(custodians)
    changed = identity.rewrap_private(custodians[0], PASS_A, "frasa sandi baru yang panjang", owner="1")
    assert changed.public == custodians[0].public
    private = identity.unwrap_private(changed, "frasa sandi baru yang panjang", owner="1")
    assert (
        identity.decrypt_identity(identity.unseal_key(private, *seals[0], report_id="r-1"), blob, report_id="r-1")
        == IDENTITY
    )


def test_short_passphrases_are_refused():
    with pytest.raises(ValueError):
        identity.new_keypair("pendek", owner="1")
