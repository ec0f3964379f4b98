"""Pengaturan (the Django admin) reads in Bahasa Indonesia: its titles, the sections of third-party apps,
role and status labels instead of codes, people by full name; guardian's AnonymousUser is not listed."""

import importlib
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import strip_tags
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.utils import get_anonymous_user

from cases import policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user, login_verified):
    login_verified(admin_user)
    return client


@pytest.fixture
def restore_language():
    """A request in English leaves English active in this thread (the locale middleware does not reset it)."""
    with translation.override("id"):
        yield


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_the_site_and_every_section_have_indonesian_names(admin_client):
    page = text(admin_client.get("/admin/"))
    assert "Pengaturan SIGAP" in page
    for english in ("Django", "Otp_Totp", "Otp_Static", "TOTP devices", "static devices", "Axes"):
        assert english not in page, english
    # Django's default section name is the app label, title-cased: every registered app has its own name.
    for model in admin.site._registry:
        config = model._meta.app_config
        assert config.verbose_name != config.label.title(), config.label


def test_the_user_list_shows_full_names_and_roles_and_hides_guardians_anonymous_user(admin_client, make_user):
    anonymous = get_anonymous_user()
    make_user("rina", policy.PETUGAS_UPG, policy.PEGAWAI, first_name="Rina", last_name="Marlina")
    page = text(admin_client.get("/admin/auth/user/"))
    assert "Rina Marlina" in page
    assert "Petugas UPG" in page and "petugas_upg" not in page
    assert anonymous.username not in page
    assert admin_client.get(f"/admin/auth/user/{anonymous.pk}/change/").status_code == 302  # not found → index


def test_role_policies_and_groups_show_what_the_role_is(admin_client):
    assert "Kustodian identitas" in text(admin_client.get("/admin/cases/rolepolicy/"))
    assert "Pengelola WBS" in text(admin_client.get("/admin/auth/group/"))


def test_the_event_log_shows_labels_and_names_not_codes(admin_client, make_widget, handler):
    handler.first_name, handler.last_name = "Dewi", "Lestari"
    handler.save()
    make_widget("reviewing")
    page = text(admin_client.get("/admin/cases/caseevent/"))
    assert "Diajukan" in page and "Ditelaah" in page
    assert not re.search(r"\b(submitted|reviewing)\b", page)
    assert "Dewi Lestari (handler)" in page


def test_employee_profiles_show_full_names(admin_client, make_user, atasan):
    atasan.first_name, atasan.last_name = "Sri", "Wahyuni"
    atasan.save()
    make_user("budi", policy.PEGAWAI, supervisor=atasan, first_name="Budi", last_name="Santoso")
    page = text(admin_client.get("/admin/cases/employeeprofile/"))
    assert "Budi Santoso (budi)" in page and "Sri Wahyuni (atasan)" in page


def test_an_admin_resets_a_lost_phone_from_the_user_list(admin_client, make_user):
    user = make_user("hilang", policy.PEGAWAI)
    TOTPDevice.objects.create(user=user, name="hp", confirmed=True)
    response = admin_client.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [user.pk]}, follow=True
    )
    assert "diatur ulang" in text(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_sigaps_own_permissions_and_columns_are_named_in_indonesian(admin_client, make_user, make_widget, handler):
    make_widget("reviewing")
    user = make_user("budi", policy.PEGAWAI)
    permissions = text(admin_client.get(f"/admin/auth/user/{user.pk}/change/"))
    assert "Dapat menangani kasus ini" in permissions
    assert "Can handle this case" not in permissions and "Can receive and assign" not in permissions
    events = admin_client.get("/admin/cases/caseevent/").content.decode()
    policies = admin_client.get("/admin/cases/rolepolicy/").content.decode()
    headers = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", events + policies, re.S)
    headers = " ".join(strip_tags(header) for header in headers)
    assert "Kasus" in headers and "Urutan" in headers and "Grup" in headers
    assert not re.search(r"\b(Case|Seq|Group)\b", headers)


def test_the_migration_renames_the_permissions_of_an_existing_installation():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    rename = importlib.import_module("cases.migrations.0008_admin_indonesian_names").rename
    Permission.objects.filter(codename="handle_case").update(name="Can handle this case")
    rename(apps, None)
    assert Permission.objects.get(codename="handle_case").name == "Dapat menangani kasus ini"


def test_the_user_form_offers_roles_by_name(admin_client, make_user):
    user = make_user("budi", policy.PEGAWAI)
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert ">Kustodian identitas</option>" in page and ">kustodian_identitas</option>" not in page


@pytest.mark.usefixtures("restore_language")
def test_in_english_the_settings_read_in_english(admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(admin_client.get("/admin/auth/user/")).lower()
    assert "sigap settings" in page and "users and roles" in page and "full name" in page


def test_a_unit_cannot_be_put_under_itself_or_below_it(db):
    from django.core.exceptions import ValidationError

    from cases.models import Unit

    top = Unit.objects.create(code="TOP", name="Top")
    child = Unit.objects.create(code="CHILD", name="Child", parent=top)
    top.parent = child
    with pytest.raises(ValidationError):
        top.full_clean()
    # Already stored that way (older data): the walk down ends instead of looping.
    Unit.objects.filter(pk=top.pk).update(parent=child)
    assert sorted(top.descendant_ids()) == sorted([top.pk, child.pk])
