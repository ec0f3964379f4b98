"""Demo whistleblowing data for `manage.py seed_demo` (never in production: the command refuses there)."""

from cases import intake, services
from cases.models import TrackingCredential
from wbs import services as wbs_services

# Fixed so the README can name them: a demo installation is for trying things, not for keeping secrets.
DEMO_PASSPHRASE = "kustodian-demo-2026"
DEMO_RECEIPT = "2026112312345678"


def seed(units: dict, users: dict) -> list[str]:
    wbs_services.custodian_key_create(user=users["kustodian"], passphrase=DEMO_PASSPHRASE)
    report, receipt = wbs_services.report_submit(
        fields={
            "category": "pengadaan",
            "description": (
                "Panitia pengadaan meminta uang pelicin 5% dari nilai kontrak kepada calon penyedia laptop "
                "sebelum pengumuman pemenang."
            ),
            "involved": "Ketua panitia pengadaan (Bagian Umum)",
            "location": "Ruang rapat Bagian Umum",
            "occurred": "Awal bulan ini",
            "method": "Permintaan disampaikan lisan dalam rapat klarifikasi, lalu lewat pesan singkat.",
            "knowledge": "melihat",
            "knowledge_detail": "",
        },
        unit=units["SEKR"],
        identity={"name": "Pelapor Demo", "id_number": "", "contact": "pelapor-demo@contoh.id", "note": ""},
        files=[],
    )
    # The demo's receipt is a known one, so it can be printed again and typed in the tracking page.
    TrackingCredential.objects.filter(case_id=report.pk).update(receipt_hash=intake.receipt_hash(DEMO_RECEIPT))
    report = services.transition(report, "start_verification", users["wbs"])
    services.add_message(report, users["wbs"], "Terima kasih. Apakah Anda menyimpan tangkapan layar pesan itu?")
    return [
        f"  WBS demo: tracking receipt {intake.format_receipt(DEMO_RECEIPT)} at /wbs/lapor/pantau/; "
        f"custodian passphrase (user kustodian): {DEMO_PASSPHRASE}"
    ]
