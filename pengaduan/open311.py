"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): partner applications file complaints and follow them.

Mounted under the public prefix (/pengaduan/open311/v2/), so PublicIntakePrivacyMiddleware drops the client's
address and user agent before any view or log sees them. The format comes from the extension (.json / .xml);
errors are the spec's list of {code, description}.

What an answer shows (docs/decisions/0013-open311-and-transparency.md): the reference as
service_request_id, the service, open or closed, the complainant's plain-words stage as status_notes, the
handling unit, the dates. Never the description, the address, the complainant's identity, internal notes or
staff names, whatever the identity mode: a GET needs no key, and what the complainant wrote is read on our
tracking page with their PIN.

CSRF does not apply: the API authenticates a POST by its `api_key` field, not by a cookie, and the public
prefix ignores the session cookie anyway, so a forged cross-site request carries nothing a browser would add.
"""

import datetime as dt
import uuid
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, renderers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import intake
from cases.services import CaseError
from pengaduan import selectors
from pengaduan.models import (
    FINAL_STATES,
    REPORTER_STAGES,
    ApiClient,
    Category,
    Channel,
    Complaint,
    IdentityMode,
    Open311Request,
    Service,
)
from pengaduan.services import complaint_file

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+07:00"
# The spec's XML names the items of a list after the list: <services><service>, <endpoints><endpoint>.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
DESCRIPTION_MAX = 4000


class GeoReportXMLRenderer(renderers.BaseRenderer):
    """The spec's XML. The view names the root (`response.xml_root`); a list is wrapped in it, one item
    element each; booleans are written true/false, None as an empty element."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        root_name = getattr(response, "xml_root", "errors" if isinstance(data, list) else "response")
        root = ET.Element(root_name)
        _fill(root, root_name, data)
        return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _fill(element: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), key, item)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, XML_ITEMS.get(name, "item")), XML_ITEMS.get(name, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


class Open311Error(exceptions.APIException):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status_code = status


class GeoReportView(APIView):
    """Authentication is the `api_key` of a POST (ApiClient), checked in the view: no session, no CSRF."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer, GeoReportXMLRenderer]
    parser_classes = [parsers.FormParser, parsers.MultiPartParser]
    xml_root = "response"

    def answer(self, data, status: int = 200) -> Response:
        response = Response(data, status=status)
        response.xml_root = self.xml_root
        return response

    def handle_exception(self, exc):
        """Every error in the spec's shape: [{"code": 403, "description": "..."}]."""
        response = super().handle_exception(exc)
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, (list, dict)):
            detail = _("Permintaan tidak dapat dibaca.")
        response.data = [{"code": response.status_code, "description": str(detail)}]
        response.xml_root = "errors"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        jurisdiction = request.query_params.get("jurisdiction_id") or request.data.get("jurisdiction_id")
        if jurisdiction and jurisdiction != settings.SIGAP_OPEN311_JURISDICTION:
            raise Open311Error(404, _("jurisdiction_id tidak dikenal di server ini."))


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _service_notice() -> str:
    return _(
        "Pengaduan ditangani sesuai Perpres 76/2013: verifikasi %(verification)s, penyelesaian paling lama "
        "%(resolution)s."
    ) % {"verification": selectors.clock_length("verification"), "resolution": selectors.clock_length("resolution")}


class Discovery(GeoReportView):
    xml_root = "discovery"

    def get(self, request, format=None):
        base = request.build_absolute_uri(reverse("pengaduan_publik:open311_root"))
        return self.answer(
            {
                "changeset": CHANGESET,
                "contact": _("Koordinator pengaduan, melalui %(url)s") % {"url": settings.SIGAP_BASE_URL},
                "key_service": _("Kunci API diberikan oleh admin SIGAP (Pengaturan › Aplikasi mitra Open311)."),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["application/json", "text/xml"],
                    }
                ],
            }
        )


def _service(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "pengaduan",
        "group": service.group,
    }


class ServiceList(GeoReportView):
    xml_root = "services"

    def get(self, request, format=None):
        return self.answer([_service(service) for service in Service.objects.filter(is_active=True)])


def _active_service(code: str, status: int) -> Service:
    service = Service.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise Open311Error(status, _("service_code %(code)s tidak dikenal.") % {"code": code})
    return service


class ServiceDefinition(GeoReportView):
    """Our extra attributes, kept to what the complaint needs: the problem category (required), the date of
    the service (for the 30-day rule of Perpres 76/2013) and whether the identity is kept confidential."""

    xml_root = "service_definition"

    def get(self, request, code, format=None):
        service = _active_service(code, 404)
        attributes = [
            {
                "variable": True,
                "code": "category",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("Kategori masalah (kode 01–10)."),
                "order": 1,
                "description": _("Kategori masalah"),
                "values": [{"key": code, "name": str(label)} for code, label in Category.choices],
            },
            {
                "variable": True,
                "code": "service_date",
                "datatype": "datetime",
                "required": False,
                "datatype_description": _("Tanggal layanan, YYYY-MM-DD."),
                "order": 2,
                "description": _("Tanggal layanan yang diadukan"),
            },
            {
                "variable": True,
                "code": "confidential",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("true: identitas hanya dilihat koordinator pengaduan."),
                "order": 3,
                "description": _("Rahasiakan identitas saya"),
                "values": [{"key": "true", "name": _("Ya")}, {"key": "false", "name": _("Tidak")}],
            },
        ]
        return self.answer({"service_code": service.code, "attributes": attributes})


def _request(complaint: Complaint) -> dict:
    """One service request as any GET answer shows it: no content, no identity, no staff."""
    closed = complaint.status in FINAL_STATES
    unit = complaint.disposed_unit or complaint.unit
    return {
        "service_request_id": complaint.reference,
        "status": "closed" if closed else "open",
        "status_notes": str(REPORTER_STAGES.get(complaint.status, "")),
        "service_name": complaint.service.name if complaint.service else "",
        "service_code": complaint.service.code if complaint.service else "",
        "description": None,
        "agency_responsible": unit.name,
        "service_notice": _service_notice(),
        "requested_datetime": _iso(complaint.received_at),
        "updated_datetime": _iso(complaint.status_changed_at or complaint.received_at),
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _list_param(request, name: str) -> list[str]:
    return [item.strip() for item in request.query_params.get(name, "").split(",") if item.strip()]


def _datetime_param(request, name: str) -> dt.datetime | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise Open311Error(400, _("%(name)s harus berformat W3C, misalnya 2026-01-31T00:00:00Z.") % {"name": name})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _attribute(data, name: str) -> str:
    return (data.get(f"attribute[{name}]") or "").strip()


class Requests(GeoReportView):
    xml_root = "service_requests"

    def get(self, request, format=None):
        statuses = _list_param(request, "status")
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, _("status hanya boleh open atau closed."))
        start, end = _datetime_param(request, "start_date"), _datetime_param(request, "end_date")
        if start and end and end - start > dt.timedelta(days=selectors.OPEN311_DEFAULT_DAYS):
            raise Open311Error(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
        complaints = selectors.open311_search(
            ids=_list_param(request, "service_request_id"),
            service_codes=_list_param(request, "service_code"),
            start=start,
            end=end,
            statuses=statuses,
        )
        return self.answer([_request(complaint) for complaint in complaints])

    def post(self, request, format=None):
        data = request.data
        client = ApiClient.authenticate((data.get("api_key") or "").strip())
        if client is None:
            raise Open311Error(403, _("api_key tidak ada, salah, atau sudah tidak aktif."))
        service = _active_service((data.get("service_code") or "").strip(), 400)
        fields = self._fields(data, service)
        identity_mode, identity = self._identity(data)
        verdict = intake.rate_limit(
            "open311", f"client-{client.pk}", limit=settings.SIGAP_OPEN311_POSTS_PER_HOUR, window_seconds=3600
        )
        if not verdict.allowed:
            raise Open311Error(429, _("Terlalu banyak pengaduan dari aplikasi ini; coba lagi dalam satu jam."))
        try:
            with transaction.atomic():
                complaint, _pin = complaint_file(
                    fields=fields, identity_mode=identity_mode, identity=identity, files=[], channel=Channel.OPEN311
                )
                link = Open311Request.objects.create(complaint=complaint, client=client, token=uuid.uuid4())
        except CaseError as error:
            raise Open311Error(400, str(error)) from None
        # The PIN is not returned: the partner application is not the complainant, and the PIN opens what they
        # wrote and the answers. The complainant hears of news by e-mail when they gave an address.
        return self.answer(
            [
                {
                    "service_request_id": complaint.reference,
                    "token": str(link.token),
                    "service_notice": _service_notice(),
                }
            ],
            status=201,
        )

    @staticmethod
    def _fields(data, service: Service) -> dict:
        description = (data.get("description") or "").strip()
        if not description:
            raise Open311Error(400, _("description wajib diisi: ceritakan apa yang terjadi."))
        if len(description) > DESCRIPTION_MAX:
            raise Open311Error(400, _("description paling panjang %(n)d karakter.") % {"n": DESCRIPTION_MAX})
        category = _attribute(data, "category")
        if category not in Category.values:
            raise Open311Error(400, _("attribute[category] wajib diisi dengan kode 01 sampai 10."))
        service_date = None
        if raw := _attribute(data, "service_date"):
            service_date = parse_date(raw[:10])
            if service_date is None or service_date > timezone.localdate():
                raise Open311Error(400, _("attribute[service_date] harus tanggal YYYY-MM-DD yang sudah lewat."))
        # The spec requires a location: an address, or lat/long. Only its text is kept, as the complaint's place.
        location = (data.get("address_string") or "").strip()
        lat, long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
        if not location and lat and long:
            try:
                location = f"{float(lat):.6f}, {float(long):.6f}"
            except ValueError:
                raise Open311Error(400, _("lat dan long harus berupa angka.")) from None
        if not location:
            raise Open311Error(400, _("Lokasi wajib diisi: address_string, atau lat dan long."))
        return {
            "service": service,
            "service_date": service_date,
            "location": location[:200],
            "category": category,
            "description": description,
        }

    @staticmethod
    def _identity(data) -> tuple[str, dict | None]:
        """With a name, e-mail or telephone: identified, or confidential when attribute[confidential]=true;
        with none of them: anonymous."""
        name = " ".join(
            part for part in ((data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()) if part
        )
        identity = {
            "complainant_name": name,
            "complainant_contact": (data.get("phone") or "").strip(),
            "complainant_email": (data.get("email") or "").strip(),
        }
        if not any(identity.values()):
            return IdentityMode.ANONYMOUS, None
        if _attribute(data, "confidential").lower() == "true":
            return IdentityMode.CONFIDENTIAL, identity
        return IdentityMode.IDENTIFIED, identity


class RequestDetail(GeoReportView):
    xml_root = "service_requests"

    def get(self, request, reference, format=None):
        complaint = selectors.open311_requests().filter(reference=reference).first()
        if complaint is None:
            raise Open311Error(404, _("service_request_id tidak ditemukan."))
        return self.answer([_request(complaint)])


class Token(GeoReportView):
    xml_root = "service_requests"

    def get(self, request, token, format=None):
        try:
            link = Open311Request.objects.select_related("complaint").get(token=uuid.UUID(token))
        except (ValueError, Open311Request.DoesNotExist):
            raise Open311Error(404, _("token tidak ditemukan.")) from None
        return self.answer([{"service_request_id": link.complaint.reference, "token": str(link.token)}])
