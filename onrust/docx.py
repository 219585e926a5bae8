"""Word exports (press releases, checklists, matrices, omgevingsbeeld): one shared layout with municipality and date.

Communication staff paste these into the municipality's own house style, so the document keeps to
plain Word building blocks (headings, paragraphs, bullet lists, tables) and carries its origin
(municipality, date) in the heading and the document properties.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import docx
from docx.document import Document
from docx.shared import Pt
from lxml import etree

from onrust.archives import ArchiveError, check_zip
from onrust.errors import UserError
from onrust.timeutil import local, to_utc

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 1..4; level 0 is the document title, which write_docx sets itself


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | Bullets | Table

# What XML 1.0 cannot hold (C0 controls other than tab and line ends, lone surrogates, U+FFFE/F):
# python-docx refuses such text, and feed text, signals and pasted Word text can carry it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def dutch_date(when: datetime, *, with_time: bool = True) -> str:
    """'22 november 2026, 09:15' in Amsterdam time: the form a Dutch press release carries."""
    loc = local(when)
    text = f"{loc.day} {_MONTHS[loc.month - 1]} {loc.year}"
    return f"{text}, {loc:%H:%M}" if with_time else text


def _add_block(doc: Document, block: Block) -> None:
    match block:
        case Heading(text=text, level=level):
            doc.add_heading(_xml(text), level=min(max(level, 1), 4))
        case Paragraph(text=text, bold=bold, italic=italic):
            # One Word paragraph per text line: a line break inside a run is lost on copy-paste.
            for line in _xml(text).split("\n"):
                run = doc.add_paragraph().add_run(line)
                run.bold = bold
                run.italic = italic
        case Bullets(items=items, numbered=numbered):
            style = "List Number" if numbered else "List Bullet"
            for item in items:
                doc.add_paragraph(_xml(item), style=style)
        case Table(header=header, rows=rows):
            width = max([len(header), *(len(r) for r in rows)] or [1])
            table = doc.add_table(rows=1 + len(rows), cols=width)
            table.style = "Table Grid"
            for col, text in enumerate(header):
                cell = table.rows[0].cells[col]
                cell.text = _xml(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for r, row in enumerate(rows, start=1):
                for col, text in enumerate(row):
                    table.rows[r].cells[col].text = _xml(text)
        case _:
            raise TypeError(f"geen documentblok: {block!r}")


def write_docx(title: str, municipality: str, when: datetime, blocks: Sequence[Block]) -> bytes:
    """A .docx with the title, 'Gemeente X, <date>' under it, then the blocks in order.

    Every text passes through _xml here, so no caller has to clean feed text for Word.
    """
    title, municipality = _xml(title), _xml(municipality)
    doc = docx.Document()
    doc.styles["Normal"].font.size = Pt(11)
    props = doc.core_properties
    props.title = title
    props.author = f"Gemeente {municipality}"
    props.created = to_utc(when).replace(tzinfo=None)  # docx stores naive UTC
    doc.add_heading(title, level=0)
    meta = doc.add_paragraph().add_run(f"Gemeente {municipality}, {dutch_date(when)}")
    meta.italic = True
    for block in blocks:
        _add_block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class DocxError(UserError):
    """The bytes are no Word document that can be read safely."""


def read_docx_text(data: bytes, name: str = "Het bestand") -> str:
    """Paragraph and table text in document order, one line each: press texts to check, exports
    in tests. The zip is bounded before python-docx unpacks every part of it into memory."""
    try:
        check_zip(data, name, "Word-bestand (.docx)")
        doc = docx.Document(io.BytesIO(data))
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError) as exc:
        # KeyError: no [Content_Types].xml or a missing part; ValueError: another Office type.
        raise DocxError(f"{name} is geen leesbaar Word-bestand (.docx); "
                        "sla het op als .docx, .txt of .md.") from exc
    lines: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                        for cell in row.iterchildren()
                        if cell.tag.endswith("}tc")
                    ]
                    lines.append(" | ".join(cells))
    return "\n".join(lines)
