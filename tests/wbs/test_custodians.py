"""Identity custodians: keys wrapped by their passphrase, added and removed without losing any identity."""

import pytest

from cases import services
from tests.wbs.conftest import IDENTITY, PASSPHRASE, PASSPHRASE2
from wbs import services as wbs_services
from wbs.models import CustodianKey, DisclosureDecision, DisclosureRequest, IdentitySeal

pytestmark = pytest.mark.django_db

# Revoking a key needs a reason and a confirmation.
REVOKE = {"reason": "Pensiun.", "confirmed": True}

REASON = "Pelapor perlu dimintai keterangan sebagai saksi dalam pemeriksaan."


def approve(report, requester, custodian, passphrase):
    request = wbs_services.disclosure_request(report=report, requester=requester, reason=REASON)
    wbs_services.disclosure_decide(
        disclosure=request, custodian=custodian, approve=True, reason="Perlu.", passphrase=passphrase
    )
    return wbs_services.disclosure_read(disclosure=DisclosureRequest.objects.get(pk=request.pk), user=requester)


def test_a_key_needs_the_role_a_long_passphrase_and_is_made_once(kustodian, pegawai):
    with pytest.raises(services.NotAllowed):
        wbs_services.custodian_key_create(user=pegawai, passphrase=PASSPHRASE)
    with pytest.raises(services.CaseError, match="12 karakter"):
        wbs_services.custodian_key_create(user=kustodian, passphrase="pendek")
    key = wbs_services.custodian_key_create(user=kustodian, passphrase=PASSPHRASE)
    assert PASSPHRASE.encode() not in bytes(key.wrapped_private) + bytes(key.salt)
    with pytest.raises(services.CaseError, match="sudah memiliki"):
        wbs_services.custodian_key_create(user=kustodian, passphrase=PASSPHRASE)


def test_a_report_is_sealed_to_every_active_custodian(make_report, custodian_key, custodian_key2):
    report = make_report(identity=IDENTITY)
    assert set(report.seals.values_list("custodian_id", flat=True)) == {custodian_key.pk, custodian_key2.pk}


def test_a_new_custodian_gains_existing_identities_by_a_reseal(
    make_report, coordinator, kustodian, kustodian2, custodian_key
):
    report = make_report(identity=IDENTITY)
    wbs_services.custodian_key_create(user=kustodian2, passphrase=PASSPHRASE2)
    assert wbs_services.reports_missing_seals() == 1
    with pytest.raises(services.CaseError, match="tidak tersegel untuk kunci Anda"):
        approve(report, coordinator, kustodian2, PASSPHRASE2)
    DisclosureRequest.objects.all().delete()
    with pytest.raises(services.CaseError, match="salah"):
        wbs_services.custodian_reseal(user=kustodian, passphrase="bukan frasa sandinya")
    assert wbs_services.custodian_reseal(user=kustodian, passphrase=PASSPHRASE) == 1
    assert wbs_services.reports_missing_seals() == 0
    assert approve(report, coordinator, kustodian2, PASSPHRASE2)["name"] == IDENTITY["name"]


def test_removing_the_only_key_of_an_identity_is_refused(make_report, kustodian, kustodian2, custodian_key):
    make_report(identity=IDENTITY)
    key2 = wbs_services.custodian_key_create(user=kustodian2, passphrase=PASSPHRASE2)
    with pytest.raises(services.CaseError, match="hanya dapat dibuka dengan kunci ini"):
        wbs_services.custodian_key_remove(key=custodian_key, actor=kustodian2, **REVOKE)
    assert CustodianKey.objects.get(pk=custodian_key.pk).is_active
    wbs_services.custodian_reseal(user=kustodian, passphrase=PASSPHRASE)
    wbs_services.custodian_key_remove(key=custodian_key, actor=kustodian2, **REVOKE)
    assert not CustodianKey.objects.get(pk=custodian_key.pk).is_active
    assert list(IdentitySeal.objects.values_list("custodian_id", flat=True)) == [key2.pk]


def test_a_removed_custodian_cannot_decide_and_new_reports_skip_them(make_report, coordinator, kustodian, kustodian2,
                                                                     custodian_key, custodian_key2):  # fmt: skip
    report = make_report(identity=IDENTITY)
    wbs_services.custodian_key_remove(key=custodian_key, actor=kustodian2, **REVOKE)
    request = wbs_services.disclosure_request(report=report, requester=coordinator, reason=REASON)
    with pytest.raises(services.CaseError, match="belum memiliki kunci"):
        wbs_services.disclosure_decide(
            disclosure=request, custodian=kustodian, approve=True, reason="x", passphrase=PASSPHRASE
        )
    assert DisclosureRequest.objects.get().decision == DisclosureDecision.PENDING
    later = make_report(identity=IDENTITY)
    assert list(later.seals.values_list("custodian_id", flat=True)) == [custodian_key2.pk]


def test_a_passphrase_change_keeps_every_identity(make_report, coordinator, kustodian, custodian_key):
    report = make_report(identity=IDENTITY)
    with pytest.raises(services.CaseError, match="salah"):
        wbs_services.custodian_passphrase_change(
            user=kustodian, old="salah sekali ini", new="frasa sandi baru yang panjang"
        )
    wbs_services.custodian_passphrase_change(user=kustodian, old=PASSPHRASE, new="frasa sandi baru yang panjang")
    with pytest.raises(services.CaseError, match="salah"):
        approve(report, coordinator, kustodian, PASSPHRASE)
    DisclosureRequest.objects.all().delete()
    assert approve(report, coordinator, kustodian, "frasa sandi baru yang panjang")["name"] == IDENTITY["name"]


def test_a_wrapped_key_cannot_be_moved_to_another_custodian(make_report, coordinator, kustodian, kustodian2,
                                                            custodian_key, custodian_key2):  # fmt: skip
    """Copying custodian 1's wrapped key onto custodian 2's row does not let custodian 1's passphrase work
    there: the wrapping is bound to the row."""
    report = make_report(identity=IDENTITY)
    CustodianKey.objects.filter(pk=custodian_key2.pk).update(
        wrapped_private=custodian_key.wrapped_private, salt=custodian_key.salt, public_key=custodian_key.public_key
    )
    with pytest.raises(services.CaseError, match="salah"):
        approve(report, coordinator, kustodian2, PASSPHRASE)


def test_the_custodian_pages_set_up_a_key_and_report_missing_seals(client, kustodian, kustodian2, make_report,
                                                                    custodian_key):  # fmt: skip
    make_report(identity=IDENTITY)
    client.force_login(kustodian2)
    page = client.get("/wbs/kustodian/").content.decode()
    assert "Buat kunci kustodian" in page
    response = client.post(
        "/wbs/kustodian/kunci/", {"passphrase": PASSPHRASE2, "passphrase_again": PASSPHRASE2 + "x"}, follow=True
    )
    assert "tidak sama" in response.content.decode() and not CustodianKey.objects.filter(user=kustodian2).exists()
    client.post("/wbs/kustodian/kunci/", {"passphrase": PASSPHRASE2, "passphrase_again": PASSPHRASE2})
    page = client.get("/wbs/kustodian/").content.decode()
    assert "belum tersegel untuk semua kustodian" in page
    client.force_login(kustodian)
    page = client.post("/wbs/kustodian/segel-ulang/", {"passphrase": PASSPHRASE}, follow=True).content.decode()
    assert "1 segel identitas ditambahkan" in page
