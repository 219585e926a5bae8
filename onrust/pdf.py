"""PDF exports (fpdf2, pure Python) from the same blocks as the Word exports (onrust.docx)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from onrust.docx import Block, Bullets, Heading, Paragraph, Table, dutch_date

_LATIN1 = str.maketrans({"≥": ">=", "≤": "<=", "×": "x", "—": "-", "–": "-", "“": '"', "”": '"',
                         "‘": "'", "’": "'", "…": "...", "·": "-", "•": "-"})
_SIZES = {1: 13, 2: 11, 3: 10, 4: 10}


def pdf_text(text: str) -> str:
    """The PDF core fonts are Latin-1: keep Dutch accents, spell out the few symbols we use, and
    turn anything else (emoji, other scripts in feed text) into '?' instead of failing."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _line(pdf: Any, text: str, *, size: float = 10, style: str = "", indent: float = 0) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")


def _add_block(pdf: Any, block: Block) -> None:
    match block:
        case Heading(text=text, level=level):
            pdf.ln(2)
            _line(pdf, text, size=_SIZES[min(max(level, 1), 4)], style="B")
        case Paragraph(text=text, bold=bold, italic=italic):
            for line in text.split("\n"):
                _line(pdf, line, style=("B" if bold else "") + ("I" if italic else ""))
        case Bullets(items=items, numbered=numbered):
            for n, item in enumerate(items, start=1):
                _line(pdf, f"{n}. {item}" if numbered else f"- {item}", indent=4)
        case Table(header=header, rows=rows):
            pdf.set_font("Helvetica", "", 8)
            with pdf.table() as table:
                table.row([pdf_text(h) for h in header])
                for row in rows:
                    table.row([pdf_text(c) for c in row])
        case _:
            raise TypeError(f"geen documentblok: {block!r}")


def write_pdf(title: str, municipality: str, when: datetime, blocks: Sequence[Block]) -> bytes:
    """A PDF with the title, 'Gemeente X, <date>' under it, then the blocks in order: the layout
    of write_docx, for those who print or mail the document unchanged."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(pdf_text(title))
    pdf.set_author(pdf_text(f"Gemeente {municipality}"))
    pdf.add_page()
    _line(pdf, title, size=15, style="B")
    _line(pdf, f"Gemeente {municipality}, {dutch_date(when)}", size=9, style="I")
    for block in blocks:
        _add_block(pdf, block)
    return bytes(pdf.output())
