"""Issue 13: the questions of the 90/2021 LKE that SIGAP's surveys answer, outside Penguatan Pengawasan, in a
NEW edition: the seeded one (0002) with every one of its questions copied as they are, plus five under two new
sections; their suggestion rules are survei.lke's.

Why a new edition and not five more questions in the seeded one: a worksheet reads its edition's questions
(evaluasi.lke.recompute walks ``edition.questions``), so adding to the edition in place would give worksheets
opened and confirmed earlier new answers and change their totals. The question sets are versioned by edition
(LkeEdition, one in force): the new edition becomes the current one, new worksheets open under it, and every
existing worksheet keeps its edition, its questions and its total.

- **Hasil** (the result component): "Nilai Survei Persepsi Anti Korupsi" (IPAK) and "Nilai Persepsi Kualitas
  Pelayanan" (IPKP), weight 17.5 each, answered in the LKE as a value on 0–4 with score = value / 4 × 17.5
  (REFERENCE "Surveys"). They are stored as percentage questions (no options), the percentage being value / 4 ×
  100: the worksheet's score (percentage ÷ 100 × weight) is then the LKE's score exactly, and the answering,
  the totals, the exports and the evidence pack need no new answer type. The suggestion's label shows the 0–4
  value ("3,60 (90%)"); an inspector who overrides it types the percentage, as the question's text says.
- **Peningkatan Kualitas Pelayanan Publik, penilaian kepuasan terhadap pelayanan**: SKM done regularly (≥ 4 a
  year best), its results open to the public, its results followed up (REFERENCE: "LKE scores SKM frequency,
  publication, and follow-up of results"). Weight: the area's pemenuhan (5 points) has five sub-indicators of
  1 point, split equally over their questions — 0.333, 0.333, 0.334. That split is this project's reading, not
  a printed figure: check it against the evaluator's worksheet and change it in Pengaturan if it differs
  (a question's weight is data).

Reverse: the seeded edition is the current one again; the new edition is deleted while no worksheet uses it
(a worksheet protects its edition), else it stays, no longer current.
"""

from django.db import migrations, models

BASE = "permenpanrb-90-2021"  # the seeded edition (0002), copied whole
EDITION = {
    "code": "permenpanrb-90-2021-survei",
    "name": "LKE Zona Integritas (PermenPANRB 90/2021) dengan komponen hasil dan pertanyaan SKM",
    "basis": "Peraturan Menteri PANRB Nomor 90 Tahun 2021",
}
COPIED = ("section", "indicator", "text", "options", "weight", "rule", "evidence", "order")

YA_TIDAK = [{"label": "Ya", "value": 1}, {"label": "Tidak", "value": 0}]
SKM_BERKALA = [
    {"label": "Berkala (paling sedikit 4 kali setahun)", "value": 1},
    {"label": "Tidak berkala", "value": 0.5},
    {"label": "Belum", "value": 0},
]
TINDAK_LANJUT = [
    {"label": "Semua", "value": 1},
    {"label": "Sebagian", "value": 0.5},
    {"label": "Belum", "value": 0},
]

PELAYANAN, HASIL = "pelayanan", "hasil"
KEPUASAN = "Penilaian kepuasan terhadap pelayanan"
BERSIH = "Pemerintah yang bersih dan bebas KKN"
PRIMA = "Kualitas pelayanan publik"

# (code, section, indicator, text, options, weight, rule, evidence); ordered after the seed's 22 questions.
# fmt: off
QUESTIONS = [
    (
        "pelayanan.skm_berkala", PELAYANAN, KEPUASAN,
        "Telah dilakukan survei kepuasan masyarakat terhadap pelayanan secara berkala",
        SKM_BERKALA, "0.333", "survei.skm_berkala",
        "Laporan SKM tiap periode (PermenPANRB 14/2017): instrumen, jumlah responden, indeks dan mutu pelayanan.",
    ),
    (
        "pelayanan.skm_terbuka", PELAYANAN, KEPUASAN,
        "Hasil survei kepuasan masyarakat dapat diakses secara terbuka",
        YA_TIDAK, "0.333", "survei.skm_diumumkan",
        "Tautan halaman hasil SKM yang diumumkan (situs, papan pengumuman, media sosial).",
    ),
    (
        "pelayanan.skm_tindak_lanjut", PELAYANAN, KEPUASAN,
        "Dilakukan tindak lanjut atas hasil survei kepuasan masyarakat",
        TINDAK_LANJUT, "0.334", "survei.skm_tindak_lanjut",
        "Rencana tindak lanjut hasil SKM, rekomendasi dan bukti tindak lanjutnya.",
    ),
    (
        "hasil.ipak", HASIL, BERSIH,
        "Nilai Survei Persepsi Anti Korupsi (IPAK), nilai 0–4; dijawab sebagai persentase = nilai ÷ 4 × 100 "
        "(mis. 3,60 → 90)",
        [], "17.500", "survei.ipak",
        "Laporan survei persepsi anti korupsi: instrumen, aturan konversi ke 0–4, jumlah responden, nilai.",
    ),
    (
        "hasil.ipkp", HASIL, PRIMA,
        "Nilai Persepsi Kualitas Pelayanan (IPKP), nilai 0–4; dijawab sebagai persentase = nilai ÷ 4 × 100 "
        "(mis. 3,20 → 80)",
        [], "17.500", "survei.ipkp",
        "Laporan survei persepsi kualitas pelayanan: instrumen, aturan konversi ke 0–4, jumlah responden, nilai.",
    ),
]
# fmt: on

FIRST_ORDER = 101


def seed(apps, schema_editor):
    LkeEdition = apps.get_model("evaluasi", "LkeEdition")
    LkeQuestion = apps.get_model("evaluasi", "LkeQuestion")
    base = LkeEdition.objects.filter(code=BASE).first()
    if base is None:
        return  # the seeded edition was removed before any worksheet used it: nothing to build on
    edition, _ = LkeEdition.objects.update_or_create(
        code=EDITION["code"], defaults={"name": EDITION["name"], "basis": EDITION["basis"]}
    )
    for question in LkeQuestion.objects.filter(edition=base).order_by("order", "code"):
        LkeQuestion.objects.update_or_create(
            edition=edition, code=question.code, defaults={name: getattr(question, name) for name in COPIED}
        )
    for order, (code, section, indicator, text, options, weight, rule, evidence) in enumerate(
        QUESTIONS, start=FIRST_ORDER
    ):
        LkeQuestion.objects.update_or_create(
            edition=edition,
            code=code,
            defaults={
                "section": section,
                "indicator": indicator,
                "text": text,
                "options": options,
                "weight": weight,
                "rule": rule,
                "evidence": evidence,
                "order": order,
            },
        )
    # One edition in force (one_current_lke_edition): the old one stops being current before the new one starts.
    LkeEdition.objects.filter(is_current=True).exclude(pk=edition.pk).update(is_current=False)
    LkeEdition.objects.filter(pk=edition.pk).update(is_current=True)


def unseed(apps, schema_editor):
    LkeEdition = apps.get_model("evaluasi", "LkeEdition")
    LkeQuestion = apps.get_model("evaluasi", "LkeQuestion")
    LkeEdition.objects.filter(code=EDITION["code"]).update(is_current=False)
    # Only while no worksheet uses it: a worksheet protects its edition (PROTECT) and keeps its questions.
    LkeQuestion.objects.filter(edition__code=EDITION["code"], edition__worksheets__isnull=True).delete()
    LkeEdition.objects.filter(code=EDITION["code"], worksheets__isnull=True).delete()
    if not LkeEdition.objects.filter(is_current=True).exists():
        LkeEdition.objects.filter(code=BASE).update(is_current=True)


class Migration(migrations.Migration):
    dependencies = [("evaluasi", "0005_i13_survey_recommendations")]

    operations = [
        migrations.AlterField(
            model_name="lkequestion",
            name="section",
            field=models.CharField(
                choices=[
                    ("pemenuhan", "Pemenuhan"),
                    ("reform", "Reform"),
                    ("pelayanan", "Pemenuhan — Peningkatan Kualitas Pelayanan Publik"),
                    ("hasil", "Hasil — Survei persepsi"),
                ],
                max_length=12,
                verbose_name="bagian",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
