"""Demo complaints for `manage.py seed_demo` (never in production: the command refuses there)."""

import datetime as dt

from django.utils import timezone

from cases import intake, services, workdays
from pengaduan.models import Channel, IdentityMode, Service

SERVICES = [
    ("izin-usaha", "Perizinan berusaha", "Perizinan", "SEKR"),
    ("legalisir", "Legalisasi dokumen", "Administrasi", "SEKR"),
    ("informasi-publik", "Layanan informasi publik (PPID)", "Informasi", "HUMAS"),
]


def seed(units: dict, users: dict) -> list[str]:
    from pengaduan import services as pengaduan_services  # the kind's services read the registry at call time

    catalogue = {
        code: Service.objects.create(code=code, name=name, group=group, unit=units[unit])
        for code, name, group, unit in SERVICES
    }
    today = workdays.today()
    web, pin = pengaduan_services.complaint_file(
        fields={
            "service": catalogue["izin-usaha"],
            "service_date": today - dt.timedelta(days=3),
            "location": "Loket 2, Mal Pelayanan Publik",
            "category": "02",
            "description": "Berkas izin saya dinyatakan lengkap dua minggu lalu, tetapi belum ada kabar sama sekali.",
            "expectation": "Kepastian kapan izin terbit.",
            "truth_statement": True,
        },
        identity_mode=IdentityMode.IDENTIFIED,
        identity={"complainant_name": "Warga Demo", "complainant_contact": "0812-1111-2222", "complainant_email": ""},
        files=[],
    )
    web = services.transition(web, "start_verification", users["pengaduan"])
    services.add_message(web, users["pengaduan"], "Terima kasih. Kami sedang memeriksa status berkas Anda.")

    phone, _pin = pengaduan_services.complaint_file(
        fields={
            "service": catalogue["legalisir"],
            "service_date": today - dt.timedelta(days=45),
            "location": "Loket legalisasi",
            "category": "03",
            "description": "Penelepon diminta membayar Rp50.000 di luar tarif resmi untuk legalisasi ijazah.",
            "truth_statement": True,
        },
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"complainant_name": "Penelepon Demo", "complainant_contact": "0813-3333-4444"},
        files=[],
        channel=Channel.TELEPON,
        received_at=timezone.now() - dt.timedelta(days=1),
        actor=users["pengaduan"],
    )
    shown = intake.credential_for("pengaduan").display(pin)  # "ADU-2026-000001 · PIN 1234-5678"
    return [
        f"  Pengaduan demo: public form at /pengaduan/; tracking number {shown.number} with PIN {shown.pin} at "
        f"/pengaduan/pantau/; a telephone complaint {phone.reference} (confidential, lodged late) waits for user "
        "pengaduan"
    ]
