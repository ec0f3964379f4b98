"""Reads of benturan kepentingan that several places need (pages, exports, statistics, benchmarks)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from benturan import access
from benturan.models import MainFunction, MapStatus, RiskMap, RiskMapEntry
from cases.models import Unit

# --- Risk map

# LKE Penguatan Pengawasan, benturan kepentingan (a): "Telah terdapat identifikasi/pemetaan benturan kepentingan
# dalam tugas fungsi utama" — answered from the share of the unit's main functions that the approved map covers.
LKE_ANSWERS = {
    "semua": _("Semua"),
    "sebagian_besar": _("Sebagian besar"),
    "sebagian_kecil": _("Sebagian kecil"),
    "belum": _("Belum ada"),
}


def lke_answer(mapped: int, total: int, approved: bool = True) -> str:
    """The LKE answer for `mapped` of `total` functions: semua at 100 %, sebagian besar from 50 %, sebagian kecil
    above 0, belum at 0 or without an approved map (a draft is not yet the unit's identification)."""
    if not approved or total == 0 or mapped == 0:
        return "belum"
    if mapped >= total:
        return "semua"
    if mapped * 2 >= total:
        return "sebagian_besar"
    return "sebagian_kecil"


def latest_approved_map(*, unit: Unit, year: int) -> RiskMap | None:
    return RiskMap.objects.filter(unit=unit, year=year, status=MapStatus.APPROVED).order_by("-version").first()


def map_coverage(*, unit: Unit, year: int) -> dict:
    """How far the unit's main functions are mapped in `year` (LKE benturan a), counted on the latest APPROVED
    version of the unit's map for that year (a draft does not count yet).

    Only active main functions count; a row of the map without a function maps nothing. Returns:

    - ``unit``, ``year``; ``risk_map``: the approved version counted, or None;
    - ``mapped``, ``unmapped``: lists of MainFunction;
    - ``total``, ``mapped_count``, ``unmapped_count``: ints;
    - ``percent``: int 0–100, rounded down (100 only when every function is mapped), 0 without functions;
    - ``answer``: "semua" | "sebagian_besar" | "sebagian_kecil" | "belum" (LKE_ANSWERS), ``answer_label``.
    """
    return _coverage(unit, year, latest_approved_map(unit=unit, year=year))


def version_coverage(risk_map: RiskMap) -> dict:
    """map_coverage's figures for one version, draft or not: what it covers (for a draft: would cover once
    approved). Its ``answer`` is what the LKE answer would be if this version were the approved one."""
    return _coverage(risk_map.unit, risk_map.year, risk_map, counted_as_approved=True)


def _coverage(unit: Unit, year: int, risk_map: RiskMap | None, counted_as_approved: bool = False) -> dict:
    functions = list(MainFunction.objects.filter(unit=unit, is_active=True).order_by("order", "name"))
    mapped_ids = set()
    if risk_map is not None:
        mapped_ids = set(
            risk_map.entries.filter(function__isnull=False).values_list("function_id", flat=True).distinct()
        )
    mapped = [function for function in functions if function.pk in mapped_ids]
    unmapped = [function for function in functions if function.pk not in mapped_ids]
    total = len(functions)
    answer = lke_answer(len(mapped), total, approved=counted_as_approved or risk_map is not None)
    return {
        "unit": unit,
        "year": year,
        "risk_map": risk_map,
        "mapped": mapped,
        "unmapped": unmapped,
        "total": total,
        "mapped_count": len(mapped),
        "unmapped_count": len(unmapped),
        "percent": (len(mapped) * 100 // total) if total else 0,
        "answer": answer,
        "answer_label": LKE_ANSWERS[answer],
    }


def readable_map_unit_ids(user) -> set[int] | None:
    """The units whose maps `user` may read (benturan.access.may_read_map): every unit (None) for the
    inspectorate; otherwise the units they head with those below, and their own unit with those above it."""
    if access.is_inspector(user):
        return None
    ids = set(access.headed_unit_ids(user))
    profile = getattr(user, "profile", None)
    unit = profile.unit if profile is not None else None
    while unit is not None and unit.pk not in ids:
        ids.add(unit.pk)
        unit = unit.parent
    return ids


def map_visible(user, risk_map: RiskMap) -> bool:
    """A preparer reads every version; an employee of the unit reads the approved ones (a draft is not yet
    the unit's document)."""
    if access.may_prepare_map(user, risk_map.unit):
        return True
    return risk_map.is_approved and access.may_read_map(user, risk_map.unit)


@dataclass
class MapYear:
    """One unit and year on the maps page: its versions, the current draft, the latest approved version."""

    unit: Unit
    year: int
    versions: list
    draft: RiskMap | None
    approved: RiskMap | None
    coverage: dict | None = None

    @property
    def latest(self) -> RiskMap:
        return self.versions[0]


def map_years(user) -> list[MapYear]:
    """Every unit and year with a map that `user` may read, newest year first, with its coverage."""
    maps = RiskMap.objects.select_related("unit", "approved_by").order_by("-year", "unit__code", "-version")
    unit_ids = readable_map_unit_ids(user)
    if unit_ids is not None:
        maps = maps.filter(unit_id__in=unit_ids)
    groups: dict[tuple[int, int], MapYear] = {}
    for risk_map in maps:
        if not map_visible(user, risk_map):
            continue
        key = (risk_map.unit_id, risk_map.year)
        group = groups.get(key)
        if group is None:
            group = groups[key] = MapYear(
                unit=risk_map.unit, year=risk_map.year, versions=[], draft=None, approved=None
            )
        group.versions.append(risk_map)
        if risk_map.status == MapStatus.DRAFT:
            group.draft = risk_map
        elif group.approved is None:
            group.approved = risk_map
    for group in groups.values():
        group.coverage = map_coverage(unit=group.unit, year=group.year)
    return list(groups.values())


def preparable_units(user):
    """The units whose maps and main functions `user` may prepare."""
    units = Unit.objects.filter(is_active=True).order_by("code")
    if access.is_inspector(user):
        return units
    return units.filter(pk__in=access.headed_unit_ids(user))


def map_entries(risk_map: RiskMap) -> list[RiskMapEntry]:
    return list(risk_map.entries.select_related("function").order_by("order", "pk"))
