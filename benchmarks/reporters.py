"""What the simulated reporters of `python -m benchmarks submissions` type into each form, by field name. Without
Django: the Locust process (benchmarks/locustfile_submissions.py) imports it, and so does the test that fills the
real forms with it (tests/benchmarks/test_submissions.py)."""

import datetime as dt
import secrets

from benchmarks.htmlform import CLICKED, FIRST


def answers(kind: str) -> dict:
    """What the reporter types, by field name. The text differs every time: the public forms answer the same text
    from the same client within the hour with the earlier receipt (and every request comes from 127.0.0.1)."""
    tag = secrets.token_hex(6)
    today = dt.date.today()
    if kind == "wbs":
        return {
            "category": FIRST,
            "description": (
                f"Laporan uji beban {tag}. Seorang pejabat pengadaan meminta imbalan sepuluh persen dari nilai "
                "kontrak kepada penyedia sebelum penandatanganan kontrak pekerjaan jalan."
            ),
            "involved": "Pejabat pengadaan, Bagian Umum",
            "location": "Kantor Bagian Umum",
            "occurred": "Bulan lalu",
            "method": "Disampaikan lisan saat rapat persiapan kontrak.",
            "knowledge": FIRST,
        }
    if kind == "gratifikasi":
        return {
            "report_type": "penerimaan",
            "date_received": (today - dt.timedelta(days=2)).isoformat(),
            "place": "Kantor",
            "occasion": FIRST,
            "event": "Kunjungan rekanan",
            "giver_name": "Budi Santoso",
            "giver_institution": "PT Rekanan Jaya",
            "giver_relationship": FIRST,
            "related_to_duties": "0",
            "summary": f"Parsel makanan dari rekanan ({tag}), diterima di kantor.",
            "objek-0-kind": FIRST,
            "objek-0-description": "Parsel makanan",
            "objek-0-value": "750.000",
            # The button clicked, which the browser sends with the form: "Ajukan", not "Simpan draf".
            "submit": CLICKED,
        }
    return {  # pengaduan
        "service_date": (today - dt.timedelta(days=3)).isoformat(),
        "location": "Loket 2, Mal Pelayanan Publik",
        "service": FIRST,
        "category": "02",
        "description": (
            f"Pengaduan uji beban {tag}. Berkas izin saya dinyatakan lengkap dua minggu lalu di loket 2, tetapi "
            "sampai hari ini belum ada kabar. Petugas meminta saya datang lagi minggu depan tanpa kepastian."
        ),
        "expectation": "Kepastian kapan izin terbit, sesuai standar pelayanan.",
        "identity_mode": "anonymous",
        "truth_statement": True,
    }
