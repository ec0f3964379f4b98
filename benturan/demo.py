"""Demo data for benturan kepentingan, for `manage.py seed_demo` (never in production: the command refuses there).

The core's command makes the units and users, sets the heads of the units (kepala the office, atasan the
Sekretariat, inspektur the inspectorate) and calls this through the registry (`CaseKind.demo_data`). This adds,
through the same services as the pages: the Sekretariat's main functions and its risk map approved by its head,
an open statement campaign with two statements, and one declaration waiting for the atasan's decision (the
evaluation of benturan kepentingan with its recommendations is evaluasi's demo data, evaluasi/demo.py).
"""

import datetime as dt

from benturan import services
from cases import services as case_services
from cases import workdays

MAIN_FUNCTIONS = [
    "Pengadaan barang/jasa",
    "Pengelolaan keuangan dan pembayaran",
    "Layanan umum dan persuratan",
    "Pengelolaan kepegawaian",
]

# (function index, position, conflict form, situation, source, likelihood, impact, control)
MAP_ENTRIES = [
    (
        0,
        "Analis Pengadaan Barang/Jasa",
        "Menilai penawaran dari penyedia yang dimiliki atau dipimpin keluarga sendiri.",
        "Evaluasi penawaran dan pembuktian kualifikasi pada tender atau pengadaan langsung.",
        "keluarga",
        3,
        4,
        "Pakta integritas setiap paket; deklarasi sebelum evaluasi; anggota yang berbenturan diganti.",
    ),
    (
        0,
        "Pejabat Pembuat Komitmen",
        "Menyusun spesifikasi yang mengarah pada produk penyedia titipan pihak tertentu.",
        "Penyusunan HPS dan spesifikasi teknis atas permintaan pejabat atau rekanan.",
        "rekomendasi",
        3,
        4,
        "Reviu spesifikasi oleh APIP sebelum tender; catat setiap permintaan pihak luar.",
    ),
    (
        0,
        "Pejabat Pembuat Komitmen",
        "Menerima pemberian dari penyedia selama pelaksanaan kontrak.",
        "Pemeriksaan hasil pekerjaan dan penandatanganan berita acara serah terima.",
        "gratifikasi",
        2,
        4,
        "Penolakan dan pelaporan gratifikasi ke UPG paling lama 30 hari kerja; sosialisasi kepada penyedia.",
    ),
    (
        1,
        "Bendahara Pengeluaran",
        "Mendahulukan pembayaran tagihan penyedia yang memiliki hubungan usaha dengan bendahara.",
        "Antrean pembayaran tagihan menjelang akhir tahun anggaran.",
        "kepentingan_pribadi",
        2,
        3,
        "Pembayaran menurut urutan tanggal SPM; pemisahan tugas verifikasi dan pembayaran.",
    ),
    (
        2,
        "Petugas Pelayanan",
        "Mendahulukan permohonan kenalan atau keluarga di luar antrean.",
        "Layanan tatap muka di loket dan permohonan melalui pesan pribadi.",
        "keluarga",
        3,
        2,
        "Antrean elektronik; layanan hanya melalui kanal resmi; petugas lain melayani bila ada hubungan keluarga.",
    ),
    (
        3,
        "Analis Kepegawaian",
        "Ikut menilai seleksi jabatan yang diikuti kerabat sendiri.",
        "Seleksi terbuka, mutasi, dan penilaian kinerja pegawai.",
        "keluarga",
        2,
        4,
        "Panitia seleksi menyatakan hubungan dengan peserta; anggota yang berbenturan tidak menilai.",
    ),
]


def seed(units: dict, users: dict) -> list[str]:
    today = workdays.today()
    atasan, pegawai, inspektur, upg = users["atasan"], users["pegawai"], users["inspektur"], users["upg"]
    sekr, kantor = units["SEKR"], units["KANTOR"]

    # The Sekretariat's main functions and its risk map for this year, prepared and approved by its head (the
    # atasan), through the same services as the pages.
    functions = [services.function_add(actor=atasan, unit=sekr, name=name) for name in MAIN_FUNCTIONS]
    risk_map = services.map_create(actor=atasan, unit=sekr, year=today.year)
    for function, position, form, situation, source, likelihood, impact, control in MAP_ENTRIES:
        services.entry_save(
            actor=atasan,
            risk_map=risk_map,
            fields={
                "function": functions[function],
                "position": position,
                "conflict_form": form,
                "situation": situation,
                "source": source,
                "likelihood": likelihood,
                "impact": impact,
                "control": control,
            },
        )
    services.map_approve(actor=atasan, risk_map=risk_map)

    # The yearly statements: an open campaign over the whole office, opened by the inspektur; the atasan has
    # filed a statement of no conflict, the UPG officer one with an interest.
    campaign = services.campaign_create(
        actor=inspektur,
        fields={
            "year": today.year,
            "title": f"Pernyataan kepentingan pribadi {today.year}",
            "unit": kantor,
            "opens_on": today - dt.timedelta(days=7),
            "closes_on": today + dt.timedelta(days=30),
        },
    )
    services.statement_file(employee=atasan, campaign=campaign, has_interests=False, interests=[])
    services.statement_file(
        employee=upg,
        campaign=campaign,
        has_interests=True,
        interests=[
            {
                "category": "keluarga",
                "party": "CV Sinar Abadi (milik kakak kandung)",
                "description": "Kakak kandung pemilik CV yang kadang menjadi penyedia alat tulis kantor.",
            }
        ],
    )

    # A declaration by the pegawai, routed to the atasan and under analysis, its 7 HK clock running.
    draft = services.declaration_save(
        actor=pegawai,
        fields={
            "subject": f"Evaluasi penawaran paket pengadaan laptop {today.year + 1}",
            "activity_kind": "pengadaan",
            "activity_date": today + dt.timedelta(days=10),
            "source": "keluarga",
            "interest": "Adik ipar saya direktur PT Sinar Laptop, salah satu peserta tender.",
            "people_involved": "PT Sinar Laptop (direktur: adik ipar)",
        },
    )
    declaration = services.declaration_submit(draft, "submit", pegawai)
    declaration = case_services.transition(declaration, "start_analysis", atasan)

    return [
        "Benturan kepentingan: 'pegawai' has a declaration "
        f"({declaration.reference}) waiting for 'atasan' (head of SEKR); 'kepala' decides when 'atasan' is part "
        "of a conflict; 'inspektur' reads the risk map, the open statement campaign and the statistics at "
        "/benturan/."
    ]
