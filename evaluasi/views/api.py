"""The read-only JSON API of the statistics, for the inspectorate's own tools (issue 12, DESIGN §6).

- ``GET api/v1/statistik/?periode=&unit=``: every kind's dashboard panel and the follow-up percentage, the very
  figures of ``evaluasi.statistics.dashboard`` (serialised by evaluasi/serializers.py);
- ``GET api/v1/tren/?kind=&periode=&unit=``: received and closed over 12 periods (``statistics.trend``);
- ``GET api/v1/unit/``: the units the caller may read;
- ``GET api/schema/``: the OpenAPI description (drf-spectacular; no Swagger UI, nothing from other sites);
- ``api/token/``: the page where a reader of the statistics makes (once shown) or revokes their own token.

Who reads what is the dashboard's rule (evaluasi/access.py), checked on every request: the inspectorate every
unit, a unit head their units, nobody else (403); a unit outside the caller's is 403, whether or not it
exists. A token (``Authorization: Token <key>``) or a signed-in session authenticates. Only GET, HEAD and
OPTIONS exist: anything else is 405 before authentication matters. Each user has a rate
(REST_FRAMEWORK's ``evaluasi_api``), so a script in a loop cannot starve the database.

Tokens: DRF's authtoken, made here or by an admin in Pengaturan. A token opens nothing but this API (no other
view authenticates with it) and is shown once; the two-factor sign-in guards the page that makes it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, ParseError, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from cases import workdays
from cases.models import Unit
from evaluasi import access, statistics
from evaluasi import serializers as shapes
from evaluasi.access import ReadsStatistics
from evaluasi.periods import Period, PeriodError, default_period

# ---------------------------------------------------------------------------------------------------------
# Who may call


class StatisticsTokenAuthentication(TokenAuthentication):
    """DRF's token check, answering in the API's language: its own "Invalid token." has no Indonesian."""

    def authenticate_credentials(self, key):
        try:
            return super().authenticate_credentials(key)
        except AuthenticationFailed:
            raise AuthenticationFailed(_("Token tidak dikenal, sudah dicabut, atau penggunanya tidak aktif.")) from None


class StatisticsThrottle(UserRateThrottle):
    scope = "evaluasi_api"


class StatisticsAPIView(APIView):
    """What every endpoint of the API shares: read-only, token or session, the dashboard's permission."""

    authentication_classes = [StatisticsTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, ReadsStatistics]
    throttle_classes = [StatisticsThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]


def _unit_forbidden() -> PermissionDenied:
    return PermissionDenied(_("Anda tidak berhak membaca statistik unit kerja ini."))


def request_scope(request) -> statistics.Scope:
    """The period and unit of the query string, checked like the dashboard checks them. No period: the current
    quarter; no unit: every unit for the inspectorate, the first unit they head for a unit head. A period that
    cannot be read is 400 with the message the dashboard shows; a unit the caller may not read is 403, and so
    is an unknown one for anyone but the inspectorate (it does not tell which codes exist)."""
    text = request.query_params.get("periode", "")
    try:
        period = Period.parse(text) if text else default_period(workdays.today())
    except PeriodError as problem:
        raise ParseError(str(problem)) from None
    allowed = access.statistics_unit_ids(request.user)
    code = request.query_params.get("unit", "")
    if code:
        unit = statistics.unit_by_code(code)
        if unit is None:
            if allowed is None:
                raise ParseError(_("Unit kerja %(code)s tidak dikenal.") % {"code": code[:40]})
            raise _unit_forbidden()
    elif allowed is None:
        unit = None
    else:
        unit = Unit.objects.filter(pk__in=allowed, head=request.user).select_related("parent").order_by("code").first()
    if not access.may_read_unit(request.user, unit):
        raise _unit_forbidden()
    return statistics.Scope.of(period, unit, inspectorate=access.is_inspector(request.user))


PERIODE = OpenApiParameter(
    "periode",
    str,
    description="2026, 2026-S1, 2026-Q3, 2026-07 atau 2026-01-01..2026-03-31; kosong: triwulan berjalan.",
)
UNIT = OpenApiParameter(
    "unit",
    str,
    description="Kode unit kerja (beserta sub-unitnya); kosong: semua unit (Inspektorat) atau unit yang dipimpin.",
)
ERRORS = {
    400: OpenApiResponse(shapes.ErrorSerializer, description="Periode atau unit tidak dapat dibaca."),
    401: OpenApiResponse(shapes.ErrorSerializer, description="Tanpa token atau sesi."),
    403: OpenApiResponse(shapes.ErrorSerializer, description="Tidak berhak membaca statistik unit ini."),
    429: OpenApiResponse(shapes.ErrorSerializer, description="Terlalu banyak permintaan."),
}


# ---------------------------------------------------------------------------------------------------------
# Endpoints


class StatistikView(StatisticsAPIView):
    @extend_schema(
        operation_id="statistik",
        summary="Statistik dasbor per jenis kasus dan tindak lanjut rekomendasi",
        parameters=[PERIODE, UNIT],
        responses={200: shapes.StatistikSerializer, **ERRORS},
    )
    def get(self, request):
        scope = request_scope(request)
        return Response(shapes.StatistikSerializer(shapes.statistik_data(scope)).data)


class TrenView(StatisticsAPIView):
    @extend_schema(
        operation_id="tren",
        summary="Diterima dan selesai per periode, 12 periode sampai periode yang diminta",
        parameters=[
            OpenApiParameter("kind", str, required=True, description="Kode jenis kasus, mis. gratifikasi, wbs."),
            PERIODE,
            UNIT,
        ],
        responses={200: shapes.TrenSerializer, **ERRORS},
    )
    def get(self, request):
        scope = request_scope(request)
        code = request.query_params.get("kind", "")
        kinds = statistics.stat_kinds(scope)  # no WBS for a unit head
        if not code:
            raise ParseError(
                _("Sebutkan jenis kasus: kind=%(known)s.") % {"known": "|".join(kind.code for kind in kinds)}
            )
        kind = next((kind for kind in kinds if kind.code == code), None)
        if kind is None:
            known = ", ".join(kind.code for kind in kinds)
            raise ParseError(
                _("Jenis kasus %(code)s tidak dikenal. Pilihan: %(known)s.")
                % {"code": code[:40] or "—", "known": known}
            )
        return Response(shapes.TrenSerializer(shapes.tren_data(kind, scope)).data)


class UnitListView(StatisticsAPIView):
    @extend_schema(
        operation_id="unit",
        summary="Unit kerja yang statistiknya boleh dibaca pemanggil",
        responses={200: shapes.UnitSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        allowed = access.statistics_unit_ids(request.user)
        units = Unit.objects.select_related("parent").order_by("code")
        if allowed is not None:
            units = units.filter(pk__in=allowed)
        return Response(shapes.UnitSerializer([shapes.unit_data(unit) for unit in units], many=True).data)


# ---------------------------------------------------------------------------------------------------------
# The token page (a signed-in session with CSRF, like every form)


NEW_TOKEN_SESSION_KEY = "evaluasi_new_api_token"


@login_required
def api_token(request):
    """Make or revoke one's own API token. A new token replaces the old one; the POST redirects (reloading the
    page must not make another and silently revoke the one just shown) and the page that follows shows the key
    once: afterwards it says that a token exists and since when, never its key."""
    if not access.may_read_statistics(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "buat":
            Token.objects.filter(user=request.user).delete()
            request.session[NEW_TOKEN_SESSION_KEY] = Token.objects.create(user=request.user).key
        elif action == "cabut":
            request.session[NEW_TOKEN_SESSION_KEY] = ""
            if Token.objects.filter(user=request.user).delete()[0]:
                messages.success(request, _("Token API dicabut."))
        else:
            return HttpResponseBadRequest(_("Tindakan tidak dikenal."))
        return redirect(request.path)
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, "")
    return render(
        request,
        "evaluasi/api_token.html",
        {"token": Token.objects.filter(user=request.user).first(), "new_key": new_key, "revoked": False},
    )


v1_urlpatterns = [
    path("statistik/", StatistikView.as_view(), name="api_statistik"),
    path("tren/", TrenView.as_view(), name="api_tren"),
    path("unit/", UnitListView.as_view(), name="api_unit"),
]

# The schema describes this API only (not the other DRF views of the project, e.g. Open311), at its real paths.
SCHEMA_URLCONF = [path("evaluasi/api/v1/", include(v1_urlpatterns))]

urlpatterns = [
    path("api/v1/", include(v1_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf=SCHEMA_URLCONF), name="api_schema"),
    path("api/token/", api_token, name="api_token"),
]
