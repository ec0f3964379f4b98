"""Demo surveys for `manage.py seed_demo` (which refuses in production), registered by SurveiConfig.ready() as a
cases.registry demo data hook: the demo office's yearly SKM with two services, answered by about 60 people and
published, and an IPAK survey open now with about 20 responses — six of them from one device on one day, so the
officer's page of repeated submissions has something to show.

The surveys move through survei.services as an officer's clicks would. The responses are made here directly,
with generated answers: they stand for what the public form (survei/views/respond.py) stores, nothing more.
"""

import datetime as dt
import random

from cases import workdays
from survei import scoring, services
from survei.models import Answer, Instrument, Response, Survey

SKM_SERVICES = (("Konsultasi pengadaan barang/jasa", 40), ("Informasi publik", 25))
IPAK_SERVICES = (("Pengaduan masyarakat", 500),)


def seed(units: dict, users: dict) -> list[str]:
    officer, office = users["petugas_survei"], units["KANTOR"]
    today = workdays.today()
    rng = random.Random(13)  # the same demo every time

    skm = services.survey_create(
        unit=office,
        title=f"Survei Kepuasan Masyarakat {today.year}",
        instrument=Instrument.objects.get(code="skm-permenpanrb-14-2017"),
        period_start=today - dt.timedelta(days=70),
        period_end=today - dt.timedelta(days=10),
        services=[services.ServiceSpec(name, population) for name, population in SKM_SERVICES],
        actor=officer,
    )
    skm = services.survey_open(survey=skm, actor=officer)
    for service in skm.services.all():
        # Each service just past its target (Krejcie–Morgan, at least 30, at most the population).
        for _n in range(scoring.target_sample(service.population) + 1):
            day = skm.period_start + dt.timedelta(days=rng.randrange(60))
            _respond(skm, service, day, f"{rng.getrandbits(24):06x}", rng, good=(3, 3, 4, 4, 4, 2))
    skm = services.survey_close(survey=skm, actor=officer)
    services.follow_up_plan_set(
        survey=skm,
        text="Memperjelas informasi persyaratan di papan layanan dan laman unit; menambah satu petugas loket pada "
        "hari Senin; melaporkan perkembangan kepada pimpinan setiap triwulan.",
        actor=officer,
    )
    skm = services.survey_publish(survey=skm, actor=officer, confirm=True)

    ipak = services.survey_create(
        unit=office,
        title=f"Survei Persepsi Anti Korupsi {today.year}",
        instrument=Instrument.objects.get(code="ipak-kemenpanrb"),
        period_start=today - dt.timedelta(days=7),
        period_end=today + dt.timedelta(days=21),
        services=[services.ServiceSpec(name, population) for name, population in IPAK_SERVICES],
        actor=officer,
    )
    ipak = services.survey_open(survey=ipak, actor=officer)
    service = ipak.services.get()
    for _n in range(14):
        _respond(ipak, service, today - dt.timedelta(days=rng.randrange(7)), f"{rng.getrandbits(24):06x}", rng)
    burst_day, burst_device = today - dt.timedelta(days=2), f"{rng.getrandbits(24):06x}"
    for _n in range(6):  # one device, one day, the same answers: shown on the page of repeated submissions
        _respond(ipak, service, burst_day, burst_device, random.Random(6), good=(6,))
    return [
        f"  Survei: {skm.title} diumumkan ({skm.responses.count()} responden, /survei/hasil/{skm.token}/); "
        f"{ipak.title} dibuka ({ipak.responses.count()} responden) — isi di /survei/{ipak.token}/; "
        "petugas_survei mengelola di /kelola/survei/",
    ]


def _respond(survey: Survey, service, day: dt.date, device_tag: str, rng: random.Random, good=(4, 5, 5, 6, 6, 3)):
    response = Response.objects.create(
        survey=survey,
        service=service,
        received_on=day,
        age_band=rng.choice(["20-29", "30-39", "40-49", "50-59", ""]),
        sex=rng.choice(["L", "P", ""]),
        pressured=False if rng.random() < 0.9 else None,
        device_tag=device_tag,
    )
    Answer.objects.bulk_create(
        Answer.of(response, item.pk, rng.choice(good)) for item in survey.instrument_version.items()
    )
    return response
