"""The LKE Penguatan Pengawasan questions of PermenPANRB 90/2021 (REFERENCE "LKE Penguatan Pengawasan").

Option values follow the LKE's convention (REFERENCE): two-level 1/0, three-level 1/0.5/0, four-level
1/0.67/0.33/0; a percentage question has no options and is answered 0–100. Weights: pemenuhan 7.5 (1.5 per
sub-indicator split equally across its questions), reform 7.5. ``rule`` names a suggestion rule of evaluasi.lke;
empty means the inspector answers by hand (SPIP is not a SIGAP module; pengendalian berjenjang, LHKPN and LHKASN
are not recorded here). A later edition is added in the admin, not by another migration.
"""

from django.db import migrations

EDITION = {
    "code": "permenpanrb-90-2021",
    "name": "LKE Zona Integritas (PermenPANRB 90/2021)",
    "basis": "Peraturan Menteri PANRB Nomor 90 Tahun 2021",
}

YA_TIDAK = [{"label": "Ya", "value": 1}, {"label": "Tidak", "value": 0}]
BERKALA = [
    {"label": "Berkala", "value": 1},
    {"label": "Tidak berkala", "value": 0.5},
    {"label": "Belum", "value": 0},
]
TINDAK_LANJUT = [
    {"label": "Semua", "value": 1},
    {"label": "Sebagian", "value": 0.5},
    {"label": "Belum", "value": 0},
]
EMPAT = [
    {"label": "Semua", "value": 1},
    {"label": "Sebagian besar", "value": 0.67},
    {"label": "Sebagian kecil", "value": 0.33},
    {"label": "Belum", "value": 0},
]

P, R = "pemenuhan", "reform"
GRATIFIKASI = "Pengendalian gratifikasi"
SPIP = "Penerapan Sistem Pengendalian Intern Pemerintah (SPIP)"
PENGADUAN = "Pengaduan masyarakat"
WBS = "Whistle-Blowing System"
BENTURAN = "Penanganan benturan kepentingan"

# (code, section, indicator, text, options, weight, rule, evidence)
# fmt: off
QUESTIONS = [
    (
        "gratifikasi.a", P, GRATIFIKASI,
        "Telah dilakukan public campaign tentang pengendalian gratifikasi",
        YA_TIDAK, "0.750", "",
        "Dokumentasi kegiatan kampanye publik (spanduk, media sosial, sosialisasi) dalam periode.",
    ),
    (
        "gratifikasi.b", P, GRATIFIKASI,
        "Pengendalian gratifikasi telah diimplementasikan",
        YA_TIDAK, "0.750", "gratifikasi.implementasi",
        "SK Unit Pengendalian Gratifikasi (UPG), prosedur pengendalian, rekap berkala laporan gratifikasi "
        "(penerimaan dan penolakan).",
    ),
    (
        "spip.a", P, SPIP,
        "Telah dibangun lingkungan pengendalian",
        YA_TIDAK, "0.375", "",
        "Dokumen lingkungan pengendalian (kode etik, komitmen, struktur organisasi).",
    ),
    (
        "spip.b", P, SPIP,
        "Telah dilakukan penilaian risiko atas pelaksanaan kebijakan",
        YA_TIDAK, "0.375", "",
        "Dokumen penilaian risiko (register risiko).",
    ),
    (
        "spip.c", P, SPIP,
        "Telah dilakukan kegiatan pengendalian untuk meminimalisir risiko yang telah diidentifikasi",
        YA_TIDAK, "0.375", "",
        "Rencana tindak pengendalian dan bukti pelaksanaannya.",
    ),
    (
        "spip.d", P, SPIP,
        "SPIP telah diinformasikan dan dikomunikasikan kepada seluruh pihak terkait",
        YA_TIDAK, "0.375", "",
        "Bukti sosialisasi dan komunikasi SPIP.",
    ),
    (
        "pengaduan.a", P, PENGADUAN,
        "Kebijakan pengaduan masyarakat telah diimplementasikan",
        YA_TIDAK, "0.375", "pengaduan.implementasi",
        "Kebijakan/SOP pengaduan masyarakat dan rekap pengaduan yang diterima.",
    ),
    (
        "pengaduan.b", P, PENGADUAN,
        "Pengaduan masyarakat ditindaklanjuti",
        YA_TIDAK, "0.375", "pengaduan.ditindaklanjuti",
        "Rekap bulanan pengaduan per kategori beserta tindak lanjutnya.",
    ),
    (
        "pengaduan.c", P, PENGADUAN,
        "Telah dilakukan monitoring dan evaluasi atas penanganan pengaduan masyarakat",
        BERKALA, "0.375", "pengaduan.evaluasi_berkala",
        "Notulen rapat evaluasi penanganan pengaduan: kendala dan solusi.",
    ),
    (
        "pengaduan.d", P, PENGADUAN,
        "Hasil evaluasi atas penanganan pengaduan masyarakat telah ditindaklanjuti",
        TINDAK_LANJUT, "0.375", "pengaduan.hasil_evaluasi",
        "Rekomendasi hasil evaluasi dan bukti tindak lanjutnya.",
    ),
    (
        "wbs.a", P, WBS,
        "Whistle Blowing System telah diterapkan",
        YA_TIDAK, "0.500", "wbs.diterapkan",
        "SK/kebijakan WBS, saluran pelaporan, rekap jumlah laporan (tanpa isi).",
    ),
    (
        "wbs.b", P, WBS,
        "Telah dilakukan evaluasi atas penerapan Whistle Blowing System",
        BERKALA, "0.500", "wbs.evaluasi_berkala",
        "Notulen rapat evaluasi penerapan WBS.",
    ),
    (
        "wbs.c", P, WBS,
        "Hasil evaluasi atas penerapan Whistle Blowing System telah ditindaklanjuti",
        TINDAK_LANJUT, "0.500", "wbs.hasil_evaluasi",
        "Rekomendasi hasil evaluasi dan bukti tindak lanjutnya.",
    ),
    (
        "benturan.a", P, BENTURAN,
        "Telah terdapat identifikasi/pemetaan benturan kepentingan dalam tugas fungsi utama",
        EMPAT, "0.300", "benturan.pemetaan",
        "Peta/identifikasi benturan kepentingan yang disetujui kepala unit.",
    ),
    (
        "benturan.b", P, BENTURAN,
        "Penanganan benturan kepentingan telah disosialisasikan/diinternalisasikan",
        YA_TIDAK, "0.300", "benturan.sosialisasi",
        "Bukti sosialisasi dan kampanye pernyataan benturan kepentingan.",
    ),
    (
        "benturan.c", P, BENTURAN,
        "Penanganan benturan kepentingan telah diimplementasikan",
        EMPAT, "0.300", "benturan.implementasi",
        "Surat pernyataan benturan kepentingan yang ditandatangani pegawai.",
    ),
    (
        "benturan.d", P, BENTURAN,
        "Telah dilakukan evaluasi atas penanganan benturan kepentingan",
        BERKALA, "0.300", "benturan.evaluasi_berkala",
        "Notulen rapat evaluasi penanganan benturan kepentingan.",
    ),
    (
        "benturan.e", P, BENTURAN,
        "Hasil evaluasi atas penanganan benturan kepentingan telah ditindaklanjuti",
        TINDAK_LANJUT, "0.300", "benturan.hasil_evaluasi",
        "Rekomendasi hasil evaluasi dan bukti tindak lanjutnya.",
    ),
    (
        "reform.pengendalian_berjenjang", R, "Mekanisme pengendalian",
        "Pengendalian internal telah dilaksanakan secara berjenjang",
        YA_TIDAK, "2.500", "",
        "Bukti pengendalian berjenjang (reviu atasan langsung, pengawasan melekat).",
    ),
    (
        "reform.penanganan_pengaduan", R, "Penanganan pengaduan masyarakat",
        "Persentase penanganan pengaduan masyarakat (jumlah pengaduan yang selesai ditindaklanjuti dibagi jumlah "
        "pengaduan yang harus ditindaklanjuti)",
        [], "3.000", "pengaduan.persentase_penanganan",
        "Rekap pengaduan: harus ditindaklanjuti, dalam proses, selesai.",
    ),
    (
        "reform.lhkpn", R, "Penyampaian laporan harta kekayaan",
        "Persentase penyampaian LHKPN",
        [], "1.000", "",
        "Tanda terima LHKPN dari e-LHKPN (jumlah wajib lapor dan yang telah melapor).",
    ),
    (
        "reform.lhkasn", R, "Penyampaian laporan harta kekayaan",
        "Persentase penyampaian laporan harta kekayaan non-LHKPN (LHKASN)",
        [], "1.000", "",
        "Tanda terima LHKASN (jumlah wajib lapor dan yang telah melapor).",
    ),
]
# fmt: on


def seed(apps, schema_editor):
    LkeEdition = apps.get_model("evaluasi", "LkeEdition")
    LkeQuestion = apps.get_model("evaluasi", "LkeQuestion")
    LkeEdition.objects.filter(is_current=True).update(is_current=False)
    edition, _ = LkeEdition.objects.update_or_create(
        code=EDITION["code"], defaults={**{k: v for k, v in EDITION.items() if k != "code"}, "is_current": True}
    )
    for order, (code, section, indicator, text, options, weight, rule, evidence) in enumerate(QUESTIONS, start=1):
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
    LkeEdition = apps.get_model("evaluasi", "LkeEdition")
    LkeQuestion = apps.get_model("evaluasi", "LkeQuestion")
    # Only when nothing was answered on it: a worksheet protects its edition (PROTECT) and its questions.
    LkeQuestion.objects.filter(edition__code=EDITION["code"], edition__worksheets__isnull=True).delete()
    LkeEdition.objects.filter(code=EDITION["code"], worksheets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluasi", "0001_i12_initial")]

    operations = [migrations.RunPython(seed, unseed)]
