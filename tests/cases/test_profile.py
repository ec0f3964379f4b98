"""The employee profile holds what KPK's reporting form asks of a reporter (NIK, pangkat/golongan, jabatan,
instansi, address, phone), editable by the admin; NIK and address are encrypted at rest."""

import pytest
from django.core.exceptions import ValidationError
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import EmployeeProfile

pytestmark = pytest.mark.django_db


def login_verified(client, user) -> None:
    """Signed in with a verified second factor, as the admin's role requires."""
    device = TOTPDevice.objects.create(user=user, name="hp", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_admin_edits_the_reporting_fields_of_a_profile(client, admin_user, pegawai):
    login_verified(client, admin_user)
    url = f"/admin/cases/employeeprofile/{pegawai.profile.pk}/change/"
    html = client.get(url).content.decode()
    for name in ("nik", "rank", "institution", "address", "phone", "position"):
        assert f'name="{name}"' in html, name

    response = client.post(
        url,
        {
            "user": pegawai.pk,
            "nip": "198001012005011001",
            "position": "Analis Keuangan",
            "unit": pegawai.profile.unit_id,
            "supervisor": "",
            "phone": "0812-1",
            "nik": "3171012345678901",
            "rank": "Penata, III/c",
            "institution": "Kementerian Contoh",
            "address": "Jl. Merdeka 7",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    profile = EmployeeProfile.objects.get(pk=pegawai.profile.pk)
    assert (profile.nik, profile.rank, profile.institution, profile.address) == (
        "3171012345678901",
        "Penata, III/c",
        "Kementerian Contoh",
        "Jl. Merdeka 7",
    )


@pytest.mark.parametrize("nik", ["123", "31710123456789012", "317101234567890A"])
def test_a_nik_has_sixteen_digits(pegawai, nik):
    profile = pegawai.profile
    profile.nik = nik
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "nik" in error.value.message_dict
