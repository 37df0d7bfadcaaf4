"""Document loaders: real small files of every format, written into tmp_path."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from assistant.errors import MissingDependency, UnreadableDocument
from assistant.ingest import NO_TEXT, loaders
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_file

FI_1 = "Omaolo-palvelut otettiin käyttöön Kokkolassa."
FI_2 = "Hyvinvointialue vastaa sosiaali- ja terveyspalveluista."
FI_3 = "Kotihoidon asiakkaita oli 1 200 vuonna 2023."


# --- builders ------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def build_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: one Helvetica (WinAnsi) text object per page, one line per string."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 12 Tf 72 720 Td 16 TL"]
        ops += [_pdf_string(line) + b" Tj T*" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_ids[i] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def write_encrypted_pdf(path: Path, user_password: str, owner_password: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(build_pdf([[FI_1]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    with path.open("wb") as fh:
        writer.write(fh)


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text:\n{text}")


# --- dispatch ------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    expected = {".txt", ".md", ".pdf", ".docx", ".pptx", ".html", ".htm"}
    assert isinstance(SUPPORTED_SUFFIXES, frozenset)
    assert expected == SUPPORTED_SUFFIXES


def test_unknown_suffix_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "taulukko.xyz"
    path.write_text(FI_1, encoding="utf-8")
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == "taulukko.xyz"
    assert "taulukko.xyz" in str(info.value)
    assert "unsupported file type '.xyz'" in info.value.reason
    assert ".pdf" in info.value.reason and ".docx" in info.value.reason


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "RAPORTTI.TXT"
    path.write_text(FI_1, encoding="utf-8")
    assert load_file(path).text == FI_1


def test_raw_library_errors_never_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> None:
        raise ValueError("library bug")

    monkeypatch.setitem(loaders._ADAPTERS, ".txt", broken)
    path = tmp_path / "bugi.txt"
    path.write_text(FI_1, encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="bugi.txt"):
        load_file(path)


def test_permission_error_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "salainen.txt"
    path.write_text(FI_1, encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == "salainen.txt"
    assert "permission" in info.value.reason


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_permissions_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "lukukielto.md"
    path.write_text(FI_1, encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableDocument, match="lukukielto.md: permission denied"):
            load_file(path)
    finally:
        path.chmod(0o600)


def test_directory_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "kansio.pdf"
    path.mkdir()
    with pytest.raises(UnreadableDocument, match="kansio.pdf"):
        load_file(path)


def test_missing_library_raises_missing_dependency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "raportti.pdf"
    path.write_bytes(build_pdf([[FI_1]]))
    monkeypatch.setitem(sys.modules, "pypdf", None)  # makes `import pypdf` raise ImportError
    with pytest.raises(MissingDependency, match="install pypdf to read .pdf files"):
        load_file(path)


# --- text and markdown ---------------------------------------------------------------------


def test_txt_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "muistio.txt"
    path.write_bytes(("\ufeff" + FI_1 + "\r\n" + FI_2 + "\r" + FI_3 + "\r\n").encode("utf-8"))
    raw = load_file(path)
    assert raw.text.split("\n")[:3] == [FI_1, FI_2, FI_3]
    assert "\r" not in raw.text and "\ufeff" not in raw.text
    assert raw.page_starts == ()


def test_markdown_headings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "suunnitelma.md"
    path.write_text(f"# Palvelustrategia\n\n## Digipalvelut\n\n{FI_1}\n", encoding="utf-8")
    raw = load_file(path)
    assert raw.text.startswith("# Palvelustrategia\n")
    assert line_of(raw.text, "## Digipalvelut") == 3
    assert line_of(raw.text, FI_1) == 5


def test_latin1_txt_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "vanha.txt"
    path.write_bytes((FI_1 + "\n" + "Äänekoski ja Ähtäri.\n").encode("latin-1"))
    raw = load_file(path)
    assert FI_1 in raw.text
    assert "Äänekoski ja Ähtäri." in raw.text


def test_cp1252_txt_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("Kustannukset 5 € – arvio".encode("cp1252"))
    assert load_file(path).text == "Kustannukset 5 € – arvio"


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t \n", b"\xef\xbb\xbf"])
def test_empty_txt_is_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tyhja.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == "tyhja.txt"
    assert info.value.reason == NO_TEXT
    assert str(info.value).startswith("tyhja.txt: ")


def test_binary_file_named_txt_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "kuva.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableDocument, match="kuva.txt: .*binary"):
        load_file(path)


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_two_pages_have_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "raportti.pdf"
    path.write_bytes(build_pdf([[FI_1, FI_2], [FI_3]]))
    raw = load_file(path)
    assert len(raw.page_starts) == 2
    first, second = raw.page_starts
    assert first == 1
    assert line_of(raw.text, "Kokkolassa") < second
    assert line_of(raw.text, "Hyvinvointialue") < second
    assert line_of(raw.text, "Kotihoidon") >= second
    assert FI_1 in raw.text  # WinAnsi ä/ö come back as Unicode


def test_pdf_with_blank_page_keeps_numbering(tmp_path: Path) -> None:
    path = tmp_path / "tyhja_sivu.pdf"
    path.write_bytes(build_pdf([[FI_1], [], [FI_3]]))
    raw = load_file(path)
    assert len(raw.page_starts) == 3
    assert list(raw.page_starts) == sorted(raw.page_starts)
    assert line_of(raw.text, "Kotihoidon") >= raw.page_starts[2]


def test_pdf_without_text_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "skannattu.pdf"
    path.write_bytes(build_pdf([[], []]))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.reason == NO_TEXT


def test_encrypted_pdf_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "salattu.pdf"
    write_encrypted_pdf(path, user_password="salasana", owner_password="omistaja")
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == "salattu.pdf"
    assert "encrypted" in info.value.reason
    assert "unencrypted copy" in info.value.reason


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rajoitettu.pdf"
    write_encrypted_pdf(path, user_password="", owner_password="omistaja")
    assert FI_1 in load_file(path).text


def test_truncated_pdf_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "katkennut.pdf"
    path.write_bytes(build_pdf([[FI_1]])[:60])
    with pytest.raises(UnreadableDocument, match="katkennut.pdf"):
        load_file(path)


# --- corrupt containers --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rikki.pdf", "rikki.docx", "rikki.pptx"])
def test_random_bytes_are_unreadable(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(os.urandom(2048))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == name
    assert name in str(info.value)
    assert "could not be read" in info.value.reason


@pytest.mark.parametrize("name", ["tyhja.pdf", "tyhja.docx", "tyhja.pptx", "tyhja.html", "tyhja.md"])
def test_zero_byte_files_have_no_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.name == name
    assert info.value.reason == NO_TEXT


def test_file_without_suffix_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "LUEMINUT"
    path.write_text(FI_1, encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="LUEMINUT: unsupported file type without a suffix"):
        load_file(path)


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_paragraphs_headings_and_tables_in_order(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_heading("Palvelustrategia 2024", level=1)
    document.add_paragraph(FI_1)
    document.styles.add_style("Otsikko 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Digitaaliset palvelut", style="Otsikko 2")
    table = document.add_table(rows=2, cols=3)
    for r, values in enumerate([("Kunta", "Asukkaita", "Vuosi"), ("Kokkola", "48 000", "2023")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph(FI_2)
    path = tmp_path / "strategia.docx"
    document.save(str(path))

    raw = load_file(path)
    assert raw.page_starts == ()
    lines = [line for line in raw.text.split("\n") if line]
    assert lines == [
        "# Palvelustrategia 2024",
        FI_1,
        "## Digitaaliset palvelut",
        "Kunta | Asukkaita | Vuosi",
        "Kokkola | 48 000 | 2023",
        FI_2,
    ]


def test_empty_docx_is_unreadable(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "tyhja.docx"
    docx.Document().save(str(path))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.reason == NO_TEXT


# --- PPTX ----------------------------------------------------------------------------------


def _two_slide_deck(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    first.shapes.title.text = "Omaolo"
    first.placeholders[1].text = FI_1
    second = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    second.shapes.title.text = "Kotihoito"
    box = second.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = FI_3
    table = second.shapes.add_table(2, 2, Inches(1), Inches(3), Inches(6), Inches(1)).table
    for r, values in enumerate([("Alue", "Asiakkaat"), ("Kokkola", "1 200")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    deck.save(str(path))


def test_pptx_two_slides_have_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "esitys.pptx"
    _two_slide_deck(path)
    raw = load_file(path)
    assert len(raw.page_starts) == 2
    first, second = raw.page_starts
    lines = raw.text.split("\n")
    assert lines[first - 1] == "# Omaolo"  # the title opens its slide
    assert lines[second - 1] == "# Kotihoito"
    assert first < line_of(raw.text, FI_1) < second
    assert line_of(raw.text, FI_3) > second
    assert line_of(raw.text, "Kokkola | 1 200") > second
    assert "Alue | Asiakkaat" in lines
    assert raw.text.count("Omaolo") == 2  # title once, plus the body sentence


def test_pptx_without_text_is_unreadable(tmp_path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])  # blank
    path = tmp_path / "tyhja_esitys.pptx"
    deck.save(str(path))
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.reason == NO_TEXT


# --- HTML ----------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Sivun otsikko</title>
<style>body {{ color: red; }}</style>
<script>var salaisuus = "SCRIPT_BODY_MARKER";</script></head>
<body>
<header><p>Sivuston banneri</p></header>
<nav><a href="/">Etusivu</a> <a href="/haku">Haku</a></nav>
<main>
  <h1>Palvelut   Kokkolassa</h1>
  <p>{FI_1.replace("käyttöön", "k&auml;ytt&ouml;&ouml;n")}</p>
  <h2>Tilastot</h2>
  <div>Ensimmäinen<br>toinen rivi</div>
  <!-- kommentti ei näy -->
  <table><tr><th>Alue</th><th>Asiakkaat</th></tr>
         <tr><td><p>Kokkola</p></td><td>1 200</td></tr></table>
  <p>Lue <a href="/lisaa">lisää</a> &lt;täältä&gt;.</p>
  <script>document.write("SCRIPT_IN_BODY")</script>
</main>
<footer>Yhteystiedot</footer>
</body></html>
"""


def test_html_visible_text_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "sivu.html"
    path.write_text(PAGE, encoding="utf-8")
    raw = load_file(path)
    lines = [line for line in raw.text.split("\n") if line]
    assert lines == [
        "# Palvelut Kokkolassa",
        FI_1,
        "## Tilastot",
        "Ensimmäinen",
        "toinen rivi",
        "Alue | Asiakkaat",
        "Kokkola | 1 200",
        "Lue lisää <täältä>.",
    ]
    assert raw.page_starts == ()


def test_html_script_style_and_chrome_never_appear(tmp_path: Path) -> None:
    path = tmp_path / "sivu.htm"
    path.write_text(PAGE, encoding="utf-8")
    text = load_file(path).text
    for hidden in (
        "SCRIPT_BODY_MARKER",
        "SCRIPT_IN_BODY",
        "color: red",
        "banneri",
        "Etusivu",
        "Yhteystiedot",
    ):
        assert hidden not in text
    assert "kommentti" not in text
    assert "<p" not in text and "href" not in text


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "vanha.html"
    html = f'<html><head><meta charset="windows-1252"></head><body><p>{FI_1}</p></body></html>'
    path.write_bytes(html.encode("cp1252"))
    assert load_file(path).text == FI_1


def test_html_with_only_script_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "tyhja.html"
    path.write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableDocument) as info:
        load_file(path)
    assert info.value.reason == NO_TEXT


def test_deeply_nested_html_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "syva.html"
    path.write_text("<div>" * 5000 + FI_1 + "</div>" * 5000, encoding="utf-8")
    assert load_file(path).text == FI_1
