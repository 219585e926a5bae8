"""Round trip of the shared Word export: what goes in comes back out, in order."""

import io
from datetime import UTC, datetime

import docx
import pytest

from onrust.docx import Bullets, Heading, Paragraph, Table, dutch_date, read_docx_text, write_docx

WHEN = datetime(2026, 11, 22, 8, 15, tzinfo=UTC)  # 09:15 in Amsterdam


def test_round_trip_keeps_text_and_order():
    data = write_docx(
        "Persbericht: brand in De Hoven",
        "Uithoorn",
        WHEN,
        [
            Heading("Wat is er gebeurd"),
            Paragraph("Vannacht woedde een brand in een woning aan de Admiraal de Ruyterlaan.\nNiemand raakte gewond."),
            Bullets(("Bel 14 0297", "Kijk op uithoorn.nl/calamiteit")),
            Table(("Doelgroep", "Geïnformeerd"), (("Gemeenteraad", "ja"), ("Bewoners", "nee"))),
        ],
    )
    assert data[:2] == b"PK"
    assert read_docx_text(data).split("\n") == [
        "Persbericht: brand in De Hoven",
        "Gemeente Uithoorn, 22 november 2026, 09:15",
        "Wat is er gebeurd",
        "Vannacht woedde een brand in een woning aan de Admiraal de Ruyterlaan.",
        "Niemand raakte gewond.",
        "Bel 14 0297",
        "Kijk op uithoorn.nl/calamiteit",
        "Doelgroep | Geïnformeerd",
        "Gemeenteraad | ja",
        "Bewoners | nee",
    ]


def test_properties_and_styles():
    data = write_docx("Raadsinformatie", "Haarlem", WHEN, [Bullets(("een", "twee"), numbered=True)])
    doc = docx.Document(io.BytesIO(data))
    assert doc.core_properties.title == "Raadsinformatie"
    assert doc.core_properties.author == "Gemeente Haarlem"
    assert [p.style.name for p in doc.paragraphs] == ["Title", "Normal", "List Number", "List Number"]


def test_unknown_block_is_refused():
    with pytest.raises(TypeError):
        write_docx("x", "y", WHEN, ["los tekstje"])


def test_dutch_date_uses_amsterdam_time():
    assert dutch_date(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "2 juli 2026, 00:30"
    assert dutch_date(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), with_time=False) == "2 juli 2026"


def test_characters_xml_cannot_hold_are_dropped_everywhere():
    """Feed text may carry NULs, control characters and lone surrogates; Word files are XML."""
    dirty = "Brand\x00 in\x0b de\x1f wijk\ud800 ok\ufffe klaar"
    data = write_docx(dirty, "Uit\x00hoorn", WHEN, [
        Heading(dirty), Paragraph(dirty), Bullets((dirty,)), Table((dirty,), ((dirty,),)),
    ])
    clean = "Brand in de wijk ok klaar"
    assert read_docx_text(data).split("\n") == [clean, "Gemeente Uithoorn, 22 november 2026, 09:15",
                                                clean, clean, clean, clean, clean]
    assert docx.Document(io.BytesIO(data)).core_properties.title == clean


def _docx_with(members: dict[str, bytes], *, drop: str = "") -> bytes:
    """A real .docx with some parts replaced or one left out."""
    import zipfile

    plain = write_docx("Persbericht", "Uithoorn", WHEN, [Paragraph("Tekst.")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != drop:
                dst.writestr(info.filename, members.get(info.filename, src.read(info)))
    return out.getvalue()


def test_reading_a_docx_bomb_or_a_broken_package_is_a_clear_error():
    from onrust.errors import UserError

    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    bomb = _docx_with({"word/document.xml": body + b"<w:p/>" * 10_000_000 + b"</w:body></w:document>"})
    assert len(bomb) < 1_000_000
    with pytest.raises(UserError, match="bom.docx is uitgepakt meer dan 50 MB; dat is geen gewoon Word"):
        read_docx_text(bomb, "bom.docx")
    with pytest.raises(UserError, match=r"los.docx is geen leesbaar Word-bestand \(.docx\)"):
        read_docx_text(_docx_with({}, drop="[Content_Types].xml"), "los.docx")
