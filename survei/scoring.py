"""From answer counts to the published score (DESIGN §7, REFERENCE "Surveys"). Pure functions: the counts come
from survei.selectors (one grouped query), the instrument and rule from the database, and nothing here reads or
writes anything, so the worked examples in tests/survei/test_scoring.py check the arithmetic alone.

The steps, for every method:

1. An answer's value is taken as shown (1..scale); an item worded negatively is reversed (scale + 1 − value).
2. Item mean = Σ value × n / Σ n over the responses that answered it.
3. Variable mean = the mean of its items' means (an item nobody answered is left out).
4. Instrument mean = Σ variable mean × weight, the weights normalised to 1 over the variables that have
   answers (equal unless the instrument's variables carry weights).

Then by the rule's method:

- ``skm`` (PermenPANRB 14/2017): the instrument mean is the NRR tertimbang, weight 1/9 each (or the
  regulation's printed 0.111 with ``"weight": "0.111"``, which gives at most 99.90); index = NRR tertimbang ×
  25; the grade is the first interval whose lower bound the index (rounded to 2 decimals) reaches.
- ``linear``: the 0–4 value = (mean − 1) / (scale − 1) × 4 (1 → 0, the top of the scale → 4).
- ``ratio``: the 0–4 value = mean / scale × 4 (6 → 4, 1 → 0.67).
- ``map``: each answer value is mapped to 0–4 by the rule's table before steps 2–4.

Published numbers are rounded half up to 2 decimals (the index too), and thresholds are compared with the
rounded number, as the reader sees it: an IPAK of 3.595 shows 3.60 and meets the 3.60 minimum.
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TWO = Decimal("0.01")
FOUR = Decimal(4)
# The seed's minimum number of respondents (REFERENCE "Surveys", seed 002).
MINIMUM_RESPONDENTS = 30


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------------
# Sample size


def krejcie_morgan(population: int) -> int:
    """Krejcie & Morgan (1970): S = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05, rounded
    half up as in their table (N = 50 → 44, 100 → 80, 1,000 → 278, large N → 384)."""
    if population <= 0:
        return 0
    chi, p, d = Decimal("3.841"), Decimal("0.5"), Decimal("0.05")
    size = chi * population * p * (1 - p) / (d * d * (population - 1) + chi * p * (1 - p))
    return int(size.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def target_sample(population: int | None) -> int:
    """The responses a service needs: the Krejcie–Morgan size, at least the seed's 30, at most the population
    itself (a service with 12 users is asked of all 12). Without a population, the minimum of 30."""
    if population is None:
        return MINIMUM_RESPONDENTS
    return min(population, max(krejcie_morgan(population), MINIMUM_RESPONDENTS))


# ---------------------------------------------------------------------------------------------------------
# Rules


SKM_INTERVALS = [
    # PermenPANRB 14/2017 Lampiran: index 25.00–64.99 D tidak baik; 65.00–76.60 C kurang baik; 76.61–88.30 B
    # baik; 88.31–100.00 A sangat baik.
    ["88.31", "A", "Sangat baik"],
    ["76.61", "B", "Baik"],
    ["65.00", "C", "Kurang baik"],
    ["25.00", "D", "Tidak baik"],
]


def _positive(value) -> bool:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return False
    return number.is_finite() and number > 0


def check_params(method: str, params) -> str:
    """Why `params` do not fit `method`, or "" when they do (ScoringRule.clean)."""
    if not isinstance(params, dict):
        return _("Parameter harus berupa objek JSON.")
    if method == "skm":
        weight = params.get("weight", "equal")
        if weight != "equal" and not _positive(weight):
            return _("Bobot SKM harus 'equal' atau angka positif.")
        if not _positive(params.get("multiplier", 25)):
            return _("Pengali indeks SKM harus angka positif (PermenPANRB 14/2017: 25).")
        intervals = params.get("intervals")
        if not isinstance(intervals, list) or not intervals:
            return _("Aturan SKM perlu tabel interval: [[batas bawah indeks, mutu, kinerja], ...].")
        try:
            bounds = [Decimal(str(row[0])) for row in intervals]
            if any(len(row) != 3 or not str(row[1]).strip() for row in intervals):
                raise ValueError
        except (ArithmeticError, ValueError, TypeError, IndexError):
            return _("Setiap baris interval: [batas bawah indeks, mutu, kinerja].")
        if bounds != sorted(bounds, reverse=True):
            return _("Baris interval diurutkan dari batas bawah tertinggi.")
        return ""
    if method in ("linear", "ratio"):
        return ""
    if method == "map":
        table = params.get("map")
        if not isinstance(table, dict) or not table:
            return _('Aturan pemetaan perlu tabel "map": {"1": 0, ..., "6": 4}.')
        try:
            values = [Decimal(str(value)) for value in table.values()]
            keys = sorted(int(key) for key in table)
        except (ArithmeticError, ValueError, TypeError):
            return _("Tabel pemetaan: kunci nilai jawaban, isi angka 0–4.")
        if any(not (value.is_finite() and 0 <= value <= FOUR) for value in values):
            return _("Tabel pemetaan: kunci nilai jawaban, isi angka 0–4.")
        # Every answer value from 1 up must have its 0–4 value: a gap would fail every result with that answer.
        if keys != list(range(1, len(keys) + 1)) or len(keys) < 2:
            return _("Tabel pemetaan harus memuat setiap nilai jawaban dari 1 sampai nilai tertinggi skala.")
        return ""
    return _("Metode %(method)s tidak dikenal.") % {"method": method}


def rule_fits(method: str, params, scale: int, kind: str) -> str:
    """Why a rule cannot score an instrument (its kind and scale), or "": the SKM rule only SKM's 1–4 answers
    (an index × 25 of a 1–6 scale would reach 150), the perception rules only IPAK and IPKP, and a map rule only
    a scale whose every value it maps."""
    if (method == "skm") != (kind == "skm"):
        return _("Aturan SKM hanya untuk instrumen SKM, dan instrumen SKM hanya dengan aturan SKM.")
    if method == "skm" and scale != 4:
        return _("Aturan SKM menghitung jawaban 1–4.")
    if method == "map" and isinstance(params, dict) and len(params.get("map") or {}) != scale:
        return _("Tabel pemetaan harus memuat nilai 1 sampai %(n)d, sesuai skala instrumen.") % {"n": scale}
    return ""


# ---------------------------------------------------------------------------------------------------------
# The instrument as scoring sees it


@dataclass(frozen=True)
class ItemSpec:
    id: int
    code: str
    text: str
    negative: bool = False


@dataclass(frozen=True)
class VariableSpec:
    code: str
    name: str
    items: tuple[ItemSpec, ...]
    weight: Decimal | None = None


@dataclass(frozen=True)
class InstrumentSpec:
    scale: int
    variables: tuple[VariableSpec, ...]

    @classmethod
    def of(cls, version) -> "InstrumentSpec":
        """The spec of an InstrumentVersion (two queries)."""
        variables = list(version.variables.order_by("order", "pk"))
        items: dict[int, list[ItemSpec]] = {variable.pk: [] for variable in variables}
        for item in version.items():
            items[item.variable_id].append(ItemSpec(item.pk, item.code, item.text, item.negative))
        return cls(
            scale=version.scale,
            variables=tuple(
                VariableSpec(variable.code, variable.name, tuple(items[variable.pk]), variable.weight)
                for variable in variables
            ),
        )


@dataclass(frozen=True)
class RuleSpec:
    code: str
    version: int
    name: str
    method: str
    params: Mapping

    @classmethod
    def of(cls, rule) -> "RuleSpec":
        return cls(rule.code, rule.version, rule.name, rule.method, rule.params or {})


@dataclass(frozen=True)
class Thresholds:
    """The instrument's LKE weight and minimum values (Instrument.lke_weight, minimum_wbk, minimum_wbbm)."""

    lke_weight: Decimal | None = None
    minimum_wbk: Decimal | None = None
    minimum_wbbm: Decimal | None = None

    @classmethod
    def of(cls, instrument) -> "Thresholds":
        return cls(instrument.lke_weight, instrument.minimum_wbk, instrument.minimum_wbbm)


# ---------------------------------------------------------------------------------------------------------
# Results


@dataclass
class Score:
    code: str
    label: str
    answered: int  # answers counted (items) or the fewest answers among its items (variables)
    mean: Decimal | None  # on the instrument's scale, after reversing negative items
    value: Decimal | None = None  # on 0–4 (perception rules) or the SKM index of the element (mean × 25)
    distribution: dict[int, int] = field(default_factory=dict)  # items: value as answered → count


@dataclass
class Result:
    rule: RuleSpec
    scale: int
    respondents: int
    items: list[Score]
    variables: list[Score]
    mean: Decimal | None  # the instrument mean (SKM: NRR tertimbang)
    value: Decimal | None  # 0–4 for the LKE (perception rules), None for SKM
    index: Decimal | None = None  # SKM: 25–100
    grade: str = ""
    grade_label: str = ""
    lke_score: Decimal | None = None  # value / 4 × the instrument's LKE weight
    meets_wbk: bool | None = None
    meets_wbbm: bool | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    def as_dict(self) -> dict:
        """JSON-ready, Decimals as strings (Survey.published_result)."""

        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {str(key): plain(item) for key, item in value.items()}
            if isinstance(value, list | tuple):
                return [plain(item) for item in value]
            return value

        return plain(asdict(self))


def _mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Weighted mean of (value, weight) pairs, the weights normalised over the pairs present."""
    total = sum((weight for _value, weight in pairs), Decimal(0))
    if not pairs or total == 0:
        return None
    return sum((value * weight for value, weight in pairs), Decimal(0)) / total


def _convert(method: str, params: Mapping, scale: int, value: int) -> Decimal:
    """One oriented answer value on 0–4 (methods linear, ratio, map)."""
    if method == "linear":
        return Decimal(value - 1) / Decimal(scale - 1) * FOUR
    if method == "ratio":
        return Decimal(value) / Decimal(scale) * FOUR
    if method == "map":
        return Decimal(str(params["map"][str(value)]))
    raise ValueError(method)


def _weights(variables: tuple[VariableSpec, ...], method: str, params: Mapping) -> list[Decimal]:
    if method == "skm" and params.get("weight", "equal") != "equal":
        return [Decimal(str(params["weight"]))] * len(variables)
    if all(variable.weight is None for variable in variables):
        return [Decimal(1)] * len(variables)
    return [variable.weight or Decimal(0) for variable in variables]


def compute(
    spec: InstrumentSpec,
    rule: RuleSpec,
    counts: Mapping[int, Mapping[int, int]],
    respondents: int,
    thresholds: Thresholds | None = None,
) -> Result:
    """The result of a survey from `counts` (item id → {value as answered → number of answers}).

    `respondents` is the number of responses counted (not excluded); items may have fewer answers."""
    thresholds = thresholds or Thresholds()
    method, params, scale = rule.method, rule.params, spec.scale
    perception = method != "skm"
    items: list[Score] = []
    variables: list[Score] = []
    weighted_means: list[tuple[Decimal, Decimal]] = []
    weighted_values: list[tuple[Decimal, Decimal]] = []
    equal_skm = method == "skm" and params.get("weight", "equal") == "equal"
    for variable, weight in zip(spec.variables, _weights(spec.variables, method, params), strict=True):
        item_means, item_values, answered = [], [], []
        for item in variable.items:
            distribution = {int(value): int(n) for value, n in (counts.get(item.id) or {}).items() if n}
            total = sum(distribution.values())
            mean = value = None
            if total:
                oriented = {(scale + 1 - v if item.negative else v): n for v, n in distribution.items()}
                mean = Decimal(sum(v * n for v, n in oriented.items())) / Decimal(total)
                if perception:
                    value = sum((_convert(method, params, scale, v) * n for v, n in oriented.items()), Decimal(0))
                    value /= Decimal(total)
                    item_values.append((value, Decimal(1)))
                else:
                    value = mean * 25
                item_means.append((mean, Decimal(1)))
            answered.append(total)
            items.append(
                Score(item.code, item.text, total, rounded(mean), rounded(value), dict(sorted(distribution.items())))
            )
        v_mean = _mean(item_means)
        v_value = _mean(item_values) if perception else (None if v_mean is None else v_mean * 25)
        variables.append(
            Score(variable.code, variable.name, min(answered, default=0), rounded(v_mean), rounded(v_value))
        )
        if v_mean is not None:
            weighted_means.append((v_mean, weight))
            if perception:
                weighted_values.append((v_value, weight))
    result = Result(rule, scale, respondents, items, variables, None, None, thresholds=thresholds)
    if method == "skm":
        if equal_skm:
            nrr = _mean(weighted_means)
        else:
            # The regulation's printed weight (0.111) is applied as printed: Σ NRR × 0.111, not normalised.
            nrr = sum((mean * weight for mean, weight in weighted_means), Decimal(0)) if weighted_means else None
        result.mean = rounded(nrr)
        if nrr is not None:
            multiplier = Decimal(str(params.get("multiplier", 25)))
            result.index = rounded(nrr * multiplier)
            for bound, grade, label in params["intervals"]:
                if result.index >= Decimal(str(bound)):
                    result.grade, result.grade_label = str(grade), str(label)
                    break
        return result
    result.mean = rounded(_mean(weighted_means))
    value = _mean(weighted_values)
    result.value = rounded(value)
    if result.value is not None:
        if thresholds.lke_weight is not None:
            result.lke_score = rounded(result.value / FOUR * thresholds.lke_weight)
        if thresholds.minimum_wbk is not None:
            result.meets_wbk = result.value >= thresholds.minimum_wbk
        if thresholds.minimum_wbbm is not None:
            result.meets_wbbm = result.value >= thresholds.minimum_wbbm
    return result


# ---------------------------------------------------------------------------------------------------------
# Warnings


@dataclass(frozen=True)
class Coverage:
    """Responses of one service against its target."""

    name: str
    population: int | None
    target: int
    responses: int

    @property
    def reached(self) -> bool:
        return self.responses >= self.target

    @property
    def percent(self) -> int:
        return 100 if self.target == 0 else min(100, math.floor(self.responses * 100 / self.target))


def warnings(respondents: int, coverage: list[Coverage], pressured: int = 0) -> list[str]:
    """What a reader of the result must know about its sample, and about its integrity: `pressured` respondents
    said someone pressed or steered them to answer, which undermines the result as much as a short sample (so
    publishing it needs the same knowing confirmation, survei.services.survey_publish)."""
    found = []
    if respondents < MINIMUM_RESPONDENTS:
        found.append(
            _("Responden baru %(n)d, di bawah minimum %(min)d: hasil belum dapat dipakai sebagai nilai survei.")
            % {"n": respondents, "min": MINIMUM_RESPONDENTS}
        )
    for service in coverage:
        if not service.reached:
            found.append(
                _("Layanan %(name)s: %(n)d dari target %(target)d responden.")
                % {"name": service.name, "n": service.responses, "target": service.target}
            )
        if service.population is None:
            found.append(
                _("Layanan %(name)s: populasi belum diisi; target memakai minimum %(min)d responden.")
                % {"name": service.name, "min": MINIMUM_RESPONDENTS}
            )
    if pressured > 0:
        found.append(
            ngettext(
                "%(n)d responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini.",
                "%(n)d responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini.",
                pressured,
            )
            % {"n": pressured}
        )
    return found
