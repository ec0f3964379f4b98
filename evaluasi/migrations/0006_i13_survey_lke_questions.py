"""Issue 13: the questions of the 90/2021 LKE that SIGAP's surveys answer, outside Penguatan Pengawasan, added to
the seeded edition (0002) under two new sections; their suggestion rules are survei.lke's.

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

Reversible only while no worksheet has answered the new questions (an answer protects its question).
"""

from django.db import migrations, models

EDITION = "permenpanrb-90-2021"

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
    edition = LkeEdition.objects.filter(code=EDITION).first()
    if edition is None:
        return  # the edition was removed before any worksheet used it: nothing to add to
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


def unseed(apps, schema_editor):
    LkeQuestion = apps.get_model("evaluasi", "LkeQuestion")
    LkeAnswer = apps.get_model("evaluasi", "LkeAnswer")
    codes = [question[0] for question in QUESTIONS]
    questions = LkeQuestion.objects.filter(edition__code=EDITION, code__in=codes)
    # Suggestions nobody confirmed go with their questions; a confirmed answer keeps its question (PROTECT).
    LkeAnswer.objects.filter(question__in=questions, confirmed_at__isnull=True).delete()
    questions.exclude(pk__in=LkeAnswer.objects.values("question_id")).delete()


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
