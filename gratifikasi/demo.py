"""Demo gratifikasi data for `manage.py seed_demo` (never in production: the command refuses there).

The core's command makes the units and users and calls this through the registry (`CaseKind.demo_data`).
"""

import datetime as dt

from cases import services, workdays
from gratifikasi.models import GratifikasiObject


def seed(units: dict, users: dict) -> list[str]:
    """Demo gratifikasi reports at every stage, by the demo's pegawai and handled by its UPG officers."""
    today = workdays.today()
    pegawai, upg = users["pegawai"], users["upg"]
    forward = {"kpk_forwarded_on": today, "kpk_channel": "gol_institusi", "kpk_reference": "GOL-2026-0412"}
    plan = [
        # (days ago received, type, occasion, giver, objects, steps by the UPG after submission)
        (2, "penerimaan", "kedinasan", ("Hendro", "PT Sinar Rekanan"), [("makanan", "Parsel buah", 750_000)], []),
        (
            12,
            "penerimaan",
            "kedinasan",
            ("Lina", "CV Peserta Lelang"),
            [("voucher", "Voucher belanja", 2_500_000)],
            [("start_verification", {})],
        ),
        (
            40,
            "penerimaan",
            "kedinasan",
            ("Yusuf", "PT Mitra Kerja"),
            [("tiket", "Tiket pesawat PP", 3_200_000)],
            [("start_verification", {}), ("start_analysis", {})],
        ),
        (
            5,
            "penolakan",
            "kedinasan",
            ("Anonim", "Pemohon izin"),
            [("uang", "Amplop uang (ditolak)", 1_000_000)],
            [("start_verification", {})],
        ),
        (
            20,
            "penerimaan",
            "kedinasan",
            ("Santi", "PT Vendor Aplikasi"),
            [("barang", "Jam tangan", 4_000_000)],
            [("start_verification", {}), ("start_analysis", {}), ("forward_to_kpk", forward)],
        ),
        (
            3,
            "penerimaan",
            "pernikahan_upacara",
            ("Rudi", "Rekan sekolah"),
            [("uang", "Amplop pernikahan", 1_000_000)],
            [],
        ),
    ]
    reports = []
    for days_ago, report_type, occasion, (giver, institution), items, steps in plan:
        report = services.create_case(
            kind="gratifikasi",
            actor=pegawai,
            unit=units["SEKR"],
            reporter=pegawai,
            report_type=report_type,
            date_received=today - dt.timedelta(days=days_ago),
            occasion=occasion,
            giver_name=giver,
            giver_institution=institution,
            giver_relationship="rekanan",
            place="Kantor",
            summary=f"{items[0][1]} dari {giver} ({institution}).",
        )
        for kind, description, value in items:
            GratifikasiObject.objects.create(report=report, kind=kind, description=description, value=value)
        report = services.transition(report, "submit", pegawai)
        for step, data in steps:
            report = services.transition(report, step, upg, **data)
        reports.append(report)
    draft = services.create_case(
        kind="gratifikasi",
        actor=pegawai,
        unit=units["SEKR"],
        reporter=pegawai,
        report_type="penerimaan",
        date_received=today,
        summary="Cendera mata dari tamu dinas",
    )
    GratifikasiObject.objects.create(
        report_id=draft.pk, kind="cenderamata", description="Miniatur kapal", value=350_000
    )
    services.assign(reports[4], upg, upg)
    services.assign(reports[2], users["upg2"], upg)
    return []
