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
