"""Seed the instruments and scoring rules as data (issue 13; REFERENCE "Surveys"): the SKM of PermenPANRB
14/2017 (9 elements, answers 1–4), and both ZI perception instruments in their two variable sets in use — the
seed's (service 9, anti-corruption 6) and the widely used KemenPANRB format (service 8, anti-corruption 5) —
answered on 1–6. Also the survey officer's role. An admin edits all of it; a change after responses exist is
saved as a new version (survei.admin)."""

from django.db import migrations

SKM_INTERVALS = [
    ["88.31", "A", "Sangat baik"],
    ["76.61", "B", "Baik"],
    ["65.00", "C", "Kurang baik"],
    ["25.00", "D", "Tidak baik"],
]

RULES = [
    {
        "code": "skm-permenpanrb-14-2017",
        "name": "SKM PermenPANRB 14/2017",
        "method": "skm",
        "params": {"weight": "equal", "multiplier": 25, "intervals": SKM_INTERVALS},
        "basis": "PermenPANRB 14/2017, Lampiran: NRR per unsur, penimbang sama (1/9; tercetak 0,111), IKM = NRR "
        "tertimbang × 25, mutu pelayanan A–D menurut tabel interval.",
    },
    {
        "code": "zi-linear",
        "name": "Persepsi ZI: rata-rata 1–6 dikonversi linear ke 0–4",
        "method": "linear",
        "params": {},
        "basis": "Konversi jawaban 1–6 ke nilai 0–4 LKE (PermenPANRB 90/2021) tidak diatur dalam teks yang terbit. "
        "Aturan ini memetakan 1 → 0 dan 6 → 4 secara linear: nilai = (rata-rata − 1) / 5 × 4.",
    },
    {
        "code": "zi-rasio",
        "name": "Persepsi ZI: rata-rata 1–6 dikonversi proporsional ke 0–4",
        "method": "ratio",
        "params": {},
        "basis": "Alternatif yang dipakai sebagian unit: nilai = rata-rata / 6 × 4 (6 → 4, 1 → 0,67). Konversi ini "
        "tidak diatur dalam teks yang terbit.",
    },
]


def _options(*labels):
    return [{"label": label, "value": n} for n, label in enumerate(labels, start=1)]


SKM_ITEMS = [
    ("U1", "Persyaratan", "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
     _options("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U2", "Sistem, mekanisme dan prosedur", "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
     _options("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    ("U3", "Waktu penyelesaian", "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
     _options("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    ("U4", "Biaya/tarif", "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
     _options("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    ("U5", "Produk spesifikasi jenis pelayanan",
     "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan "
     "hasil yang diberikan?",
     _options("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U6", "Kompetensi pelaksana", "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
     _options("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    ("U7", "Perilaku pelaksana",
     "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
     _options("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah")),
    ("U8", "Sarana dan prasarana", "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
     _options("Buruk", "Cukup", "Baik", "Sangat baik")),
    ("U9", "Penanganan pengaduan, saran dan masukan",
     "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
     _options("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik")),
]

# Anti-corruption items name a practice; the options run from worst (1, always there) to best (6, never).
ANTI = _options("Selalu ada", "Sering ada", "Kadang-kadang ada", "Jarang ada", "Hampir tidak ada", "Tidak ada sama sekali")
# Service items: 1 worst … 6 best.
SERVICE = _options("Sangat buruk", "Buruk", "Kurang baik", "Cukup baik", "Baik", "Sangat baik")

ANTI_ITEMS = {
    "integritas": ("Integritas", "Petugas bertindak tidak jujur atau menyalahgunakan wewenangnya dalam pelayanan."),
    "kecurangan": ("Kecurangan", "Kecurangan dalam pelayanan, misalnya mendahulukan orang tertentu di luar antrean "
                   "atau mengubah persyaratan."),
    "pungli": ("Pungutan liar", "Pungutan liar: biaya di luar tarif resmi yang diminta dalam pelayanan."),
    "diskriminasi": ("Diskriminasi", "Diskriminasi pelayanan: perlakuan berbeda karena hubungan keluarga, kenalan, "
                     "suku, agama atau status."),
    "gratifikasi": ("Imbalan/gratifikasi", "Petugas meminta atau menerima imbalan, hadiah atau uang terima kasih."),
    "percaloan": ("Percaloan", "Percaloan: perantara yang menawarkan jasa pengurusan di luar prosedur resmi."),
}
SERVICE_ITEMS = {
    "informasi": ("Informasi pelayanan", "Kejelasan dan kemudahan memperoleh informasi tentang pelayanan."),
    "prosedur": ("Prosedur", "Kemudahan prosedur pelayanan."),
    "persyaratan": ("Persyaratan", "Kesesuaian persyaratan dengan jenis pelayanan."),
    "biaya": ("Biaya", "Kewajaran dan kejelasan biaya/tarif pelayanan (termasuk bila gratis)."),
    "waktu": ("Waktu pelayanan", "Ketepatan waktu pelayanan sesuai jadwal yang diumumkan."),
    "jangka_waktu": ("Jangka waktu", "Kesesuaian jangka waktu penyelesaian dengan standar pelayanan."),
    "responsivitas": ("Responsivitas", "Kecepatan dan kesigapan petugas menanggapi kebutuhan Anda."),
    "sarpras": ("Sarana dan prasarana", "Kenyamanan dan kelengkapan sarana dan prasarana pelayanan."),
    "sdm": ("Kecakapan SDM", "Kemampuan dan keterampilan petugas dalam melayani."),
    "pengaduan": ("Konsultasi dan pengaduan", "Ketersediaan dan kemudahan layanan konsultasi dan pengaduan."),
}

SKM_PROMPT = "Pilih satu jawaban untuk setiap pertanyaan tentang pelayanan yang Anda terima."
ANTI_PROMPT = "Menurut pengalaman Anda di unit layanan ini, seberapa sering hal berikut ada?"
SERVICE_PROMPT = "Bagaimana penilaian Anda atas hal berikut di unit layanan ini?"

INSTRUMENTS = [
    {
        "code": "skm-permenpanrb-14-2017",
        "kind": "skm",
        "name": "Survei Kepuasan Masyarakat (PermenPANRB 14/2017)",
        "basis": "PermenPANRB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat",
        "rule": "skm-permenpanrb-14-2017",
        "scale": 4,
        "thresholds": (None, None, None),
        "variables": [(code, name, [(f"{code}.1", text, options)]) for code, name, text, options in SKM_ITEMS],
    },
    {
        "code": "ipak-seed",
        "kind": "ipak",
        "name": "Survei Persepsi Anti Korupsi (6 variabel)",
        "basis": "PermenPANRB 90/2021 (komponen hasil LKE ZI); variabel menurut pedoman unit",
        "keys": ["integritas", "kecurangan", "pungli", "diskriminasi", "gratifikasi", "percaloan"],
    },
    {
        "code": "ipkp-seed",
        "kind": "ipkp",
        "name": "Survei Persepsi Kualitas Pelayanan (9 variabel)",
        "basis": "PermenPANRB 90/2021 (komponen hasil LKE ZI); variabel menurut pedoman unit",
        "keys": ["prosedur", "persyaratan", "biaya", "waktu", "jangka_waktu", "responsivitas", "sarpras", "sdm",
                 "pengaduan"],
    },
    {
        "code": "ipak-kemenpanrb",
        "kind": "ipak",
        "name": "Survei Persepsi Anti Korupsi (5 variabel, format KemenPANRB)",
        "basis": "PermenPANRB 90/2021 (komponen hasil LKE ZI); format kuesioner yang banyak dipakai",
        "keys": ["diskriminasi", "kecurangan", "gratifikasi", "pungli", "percaloan"],
    },
    {
        "code": "ipkp-kemenpanrb",
        "kind": "ipkp",
        "name": "Survei Persepsi Kualitas Pelayanan (8 variabel, format KemenPANRB)",
        "basis": "PermenPANRB 90/2021 (komponen hasil LKE ZI); format kuesioner yang banyak dipakai",
        "keys": ["informasi", "persyaratan", "prosedur", "waktu", "biaya", "sarpras", "responsivitas", "pengaduan"],
    },
]


def _expand(spec):
    if "variables" in spec:
        return spec
    anti = spec["kind"] == "ipak"
    table, options = (ANTI_ITEMS, ANTI) if anti else (SERVICE_ITEMS, SERVICE)
    return {
        **spec,
        "rule": "zi-linear",
        "scale": 6,
        # LKE 90/2021: weight 17.5; minimum values IPAK 3.60 (WBK and WBBM), IPKP 3.20 WBK / 3.60 WBBM.
        "thresholds": ("17.50", "3.60", "3.60") if anti else ("17.50", "3.20", "3.60"),
        "variables": [
            (f"X{n}", table[key][0], [(f"X{n}.1", table[key][1], options)]) for n, key in enumerate(spec["keys"], 1)
        ],
    }


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RolePolicy = apps.get_model("cases", "RolePolicy")
    group, _ = Group.objects.get_or_create(name="petugas_survei")
    RolePolicy.objects.get_or_create(group=group, defaults={"require_two_factor": False})

    ScoringRule = apps.get_model("survei", "ScoringRule")
    Instrument = apps.get_model("survei", "Instrument")
    InstrumentVersion = apps.get_model("survei", "InstrumentVersion")
    Variable = apps.get_model("survei", "Variable")
    Item = apps.get_model("survei", "Item")
    rules = {spec["code"]: ScoringRule.objects.create(version=1, **spec) for spec in RULES}
    for raw in INSTRUMENTS:
        spec = _expand(raw)
        weight, wbk, wbbm = spec["thresholds"]
        instrument = Instrument.objects.create(
            code=spec["code"],
            kind=spec["kind"],
            name=spec["name"],
            basis=spec["basis"],
            lke_weight=weight,
            minimum_wbk=wbk,
            minimum_wbbm=wbbm,
            default_rule=rules[spec["rule"]],
        )
        prompt = {"skm": SKM_PROMPT, "ipak": ANTI_PROMPT, "ipkp": SERVICE_PROMPT}[spec["kind"]]
        version = InstrumentVersion.objects.create(
            instrument=instrument, number=1, scale=spec["scale"], instructions=prompt, note="Versi awal."
        )
        for order, (code, name, items) in enumerate(spec["variables"], start=1):
            variable = Variable.objects.create(version=version, code=code, name=name, order=order)
            for item_order, (item_code, text, options) in enumerate(items, start=1):
                Item.objects.create(variable=variable, code=item_code, text=text, options=options, order=item_order)


class Migration(migrations.Migration):
    dependencies = [("survei", "0001_i13_initial"), ("cases", "0011_i11_event_labels")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
