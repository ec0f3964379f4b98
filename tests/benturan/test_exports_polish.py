"""Exports of benturan kepentingan an outside tester found wanting: spreadsheet figures Excel can compute with
(numbers, not texts), and a short decision letter that fits one A4 page with its signature."""

import shutil
import subprocess

import pytest

from benturan import exports
from benturan.models import Status

# --- The decision letter: one page for a short decision, the signature never alone


def _pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf: bytes, tmp_path, page: int) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


@needs_poppler
def test_a_short_decision_fits_one_page_with_its_signature(make_declaration, atasan, tmp_path):
    declaration = make_declaration(Status.DECIDED)
    pdf = exports.decision_letter_pdf(declaration)
    assert _pages(pdf, tmp_path) == 1
    text = _page_text(pdf, tmp_path, 1)
    assert "Ditetapkan pada" in text and (atasan.get_full_name() or atasan.username) in text
    assert "Kebenaran situasi" in text and declaration.reference in text


@needs_poppler
def test_a_long_decision_keeps_the_signature_with_the_text_before_it(make_declaration, atasan, tmp_path):
    declaration = make_declaration(Status.DECIDED)
    declaration.reasoning = "\n".join(f"Pertimbangan nomor {n}: pegawai tidak ikut menilai." for n in range(40))
    declaration.save()
    pdf = exports.decision_letter_pdf(declaration)
    last = _pages(pdf, tmp_path)
    assert last >= 2
    text = _page_text(pdf, tmp_path, last)
    name = atasan.get_full_name() or atasan.username
    assert "Ditetapkan pada" in text and name in text
    # The signature shares its page with the last lines of the decision, never alone.
    assert "Pertimbangan nomor 39" in text or "Langkah pengendalian" in text
