"""Demo data of the follow-up and evaluation records, for `manage.py seed_demo` (which refuses in production).

Called through cases.registry.demo_data_hooks after every kind made its demo cases (EvaluasiConfig.ready()
registers it). Made through evaluasi.services, as the pages would: one evaluation per registered module for the
demo office, two quarters back, each with two recommendations whose follow-up is done, in process or overdue, and
one recommendation on a demo case.
"""

import datetime as dt

from cases import registry, workdays
from cases.models import Case
from evaluasi import services
from evaluasi.periods import Period

FINDINGS = (
    "Sosialisasi telah dilakukan, tetapi rekap {module} belum dilaporkan kepada pimpinan setiap triwulan. "
    "Dua berkas belum dilengkapi bukti tindak lanjut."
)
RECOMMENDATIONS = (
    "Menyusun rekap triwulanan {module} dan melaporkannya kepada pimpinan unit.",
    "Melengkapi bukti tindak lanjut berkas yang belum lengkap dan mengunggahnya ke SIGAP.",
)


def seed(units: dict, users: dict) -> list[str]:
    inspektur, office = users["inspektur"], units["KANTOR"]
    today = workdays.today()
    period = Period.containing("quarter", today).previous().previous()
    held_on = min(period.end + dt.timedelta(days=7), today)
    owners = [users["atasan"], users["pegawai"], users["pengaduan"]]
    made = 0
    for index, kind in enumerate(registry.all_kinds()):
        evaluation = services.evaluation_record(
            module=kind.code,
            unit=office,
            period=period,
            held_on=held_on,
            participants="Inspektur, kepala bagian umum, petugas pengelola modul, perwakilan pegawai.",
            findings=FINDINGS.format(module=kind.label),
            actor=inspektur,
        )
        for number, text in enumerate(RECOMMENDATIONS):
            # Across the modules: done, in process, overdue (nothing done, due date passed), in turn.
            state = (2 * index + number) % 3
            owner = owners[(index + number) % len(owners)]
            due_on = held_on + dt.timedelta(days=30) if state == 2 else today + dt.timedelta(days=30)
            recommendation = services.recommendation_add(
                evaluation=evaluation,
                text=text.format(module=kind.label),
                owner=owner,
                due_on=due_on,
                actor=inspektur,
                issued_on=held_on,
            )
            made += 1
            if state in (0, 1):
                services.action_record(
                    recommendation=recommendation,
                    done_on=min(held_on + dt.timedelta(days=14), today),
                    description="Rekap disusun dan disampaikan kepada pimpinan melalui nota dinas.",
                    actor=owner,
                )
            if state == 0:
                services.accept(recommendation=recommendation, actor=inspektur)
    made += _case_recommendation(inspektur, owners, today)
    return [f"  Evaluasi: {len(registry.all_kinds())} evaluasi berkala dan {made} rekomendasi demo."]


def _case_recommendation(inspektur, owners, today: dt.date) -> int:
    """A recommendation on the first submitted demo case that the inspectorate and an owner may take part in,
    of a kind whose content is not restricted (a WBS report's recommendation is the inspectorate's to word)."""
    restricted = [kind.code for kind in registry.all_kinds() if kind.restricted_content]
    for case in Case.objects.exclude(status=services.DRAFT).exclude(kind__in=restricted).order_by("pk"):
        if services.case_actor_refusal(inspektur, case):
            continue
        owner = next((person for person in owners if not services.owner_refusal(person, case)), None)
        if owner is None:
            continue
        services.recommendation_add(
            case=case,
            text="Menyempurnakan prosedur penanganan agar kejadian serupa tidak berulang.",
            owner=owner,
            due_on=today + dt.timedelta(days=21),
            actor=inspektur,
        )
        return 1
    return 0
