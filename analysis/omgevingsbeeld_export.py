"""The omgevingsbeeld as Markdown and as Word: one outline, two renderings, for the kernteam.

Every text that came from feeds or signals is Markdown-escaped; the analist's conclusions are
kept as written (they are the analist's own Markdown).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from analysis.omgevingsbeeld import Count, ItemRef, Omgevingsbeeld
from analysis.omgevingsbeeld_text import plural
from analysis.rumours import Rumour
from onrust.docx import Bullets, Heading, Paragraph, write_docx
from onrust.text import md_escape, md_without_links
from onrust.timeutil import fmt_local


def _when(value: datetime | None) -> str:
    return fmt_local(value) if value is not None else "—"


def _counts(counts: Sequence[Count], empty: str) -> list[str]:
    return [f"{c.label} ({c.count})" + (f": “{c.example}”" if c.example else "") for c in counts] or [empty]


def _rumour_line(rumour: Rumour) -> str:
    line = (f"{rumour.status}: {rumour.text} ({plural(rumour.mentions, 'vermelding', 'vermeldingen')}, "
            f"eerst {_when(rumour.first_at)})")
    ev = rumour.evidence
    if ev is not None:
        verb = rumour.status if rumour.status != "onbevestigd" else "teruggezet naar onbevestigd"
        what = f"{ev.title} ({ev.source})" if ev.title else "zonder bron"
        line += f" — {verb} door {what}, {_when(ev.at)}; {ev.how}" + (f": {rumour.note}" if rumour.note else "")
    return line


def _item_line(ref: ItemRef) -> str:
    parts = [ref.title, f"{ref.publisher}" + (f", {ref.reach}" if ref.reach else ""), _when(ref.published_at)]
    return " — ".join(parts) + (f" ({ref.note})" if ref.note else "")


def outline(beeld: Omgevingsbeeld) -> list[tuple[str, str, list[tuple[str, list[str]]]]]:
    """(title, explanation, [(subheading, lines)]) per section: one structure, two renderings."""
    sections = {s.key: s for s in beeld.sections}
    content: dict[str, list[tuple[str, list[str]]]] = {
        "informatiebehoefte": [(
            f"Vragen ({beeld.question_total} verschillende)",
            [f"{q.text} ({q.count}×; {', '.join(q.sources[:3])})" for q in beeld.questions]
            or ["Geen vragen gevonden in berichten en signalen."],
        )],
        "betekenisgeving": [
            ("Dominante emoties", _counts(beeld.emotions, "Geen emoties herkend.")),
            ("Duiding (scenario's en dynamiek)", _counts(beeld.meanings, "Geen duiding herkend.")),
            ("Wie krijgt de schuld", _counts(beeld.blamed, "Niemand wordt duidelijk aangewezen.")),
            ("Toon", _counts(beeld.polarity, "Geen toon herkend.")),
        ],
        "schadebeperking": [
            ("Geruchtentracker", [_rumour_line(r) for r in beeld.tracker] or ["Geen geruchten gevonden."]),
            ("Geruchten", [_item_line(r) for r in beeld.rumours] or ["Geen geruchten gevonden."]),
            ("Feiten en ontkrachte geruchten",
             [_item_line(r) for r in beeld.facts] or ["Geen feitenberichten gevonden."]),
            ("Oproepen tot actie", [_item_line(r) for r in beeld.calls] or ["Geen oproepen gevonden."]),
        ],
        "volume": [
            ("Omvang", [
                f"{plural(beeld.totals.items, 'bericht', 'berichten')}, "
                f"{plural(beeld.totals.stories, 'verhaal', 'verhalen')}, "
                f"{plural(beeld.totals.publishers, 'oorspronkelijke uitgever', 'oorspronkelijke uitgevers')}; "
                f"{plural(beeld.signals, 'ingevoerd signaal', 'ingevoerde signalen')}.",
                f"Piek: {beeld.peak}.",
            ]),
            ("Verspreiding naar bereik", [
                f"{r.reach}: {plural(r.items, 'bericht', 'berichten')}, {plural(r.stories, 'verhaal', 'verhalen')}, "
                f"{plural(r.publishers, 'uitgever', 'uitgevers')}"
                + (f", eerste {_when(r.first_at)}" if r.first_at else "")
                for r in beeld.by_reach
            ]),
            ("Verspreiding per verhaal", [
                f"{sp.title}: " + " → ".join(f"{st.reach} {_when(st.at)} ({st.publisher})" for st in sp.steps)
                for sp in beeld.spread
            ] or ["Geen verhaal bereikte meer dan één niveau."]),
            ("Fasekenmerken", _counts(beeld.phases, "Geen fasekenmerken herkend.")),
            ("Plaatsen", _counts(beeld.places, "Geen plaatsen herkend.")),
            ("Actoren", _counts(beeld.actors, "Geen actoren herkend.")),
        ],
        "opvallend": [("", [_item_line(r) for r in beeld.notable] or ["Geen berichten."])],
    }
    return [(sections[k].title, sections[k].explanation, content[k]) for k in content if k in sections]


def title(beeld: Omgevingsbeeld) -> str:
    return f"Omgevingsbeeld {beeld.incident}"


def header_line(beeld: Omgevingsbeeld) -> str:
    return (f"Gemeente {beeld.municipality} · periode {_when(beeld.period_start)} tot {_when(beeld.period_end)}"
            f" · opgesteld {_when(beeld.generated_at)}")


def to_markdown(beeld: Omgevingsbeeld, conclusions: str = "", *, version: int | None = None) -> str:
    """Markdown with every data text escaped; the analist's conclusions keep their formatting
    but no link or image (a pasted feed text must not load anything)."""
    lines = [f"# {md_escape(title(beeld))}" + (f" (versie {version})" if version else ""), "",
             f"*{md_escape(header_line(beeld))}*", ""]
    written = md_without_links(conclusions.strip()) or "_Nog geen conclusies._"
    lines += ["## Conclusies van de omgevingsanalist", "", written, ""]
    for number, (heading, explanation, parts) in enumerate(outline(beeld), start=1):
        lines += [f"## {number}. {heading}", "", f"_{md_escape(explanation)}_", ""]
        for sub, entries in parts:
            if sub:
                lines += [f"### {md_escape(sub)}", ""]
            lines += [f"- {md_escape(e)}" for e in entries] + [""]
    return "\n".join(lines).rstrip() + "\n"


def to_docx(beeld: Omgevingsbeeld, conclusions: str = "", *, version: int | None = None) -> bytes:
    blocks: list[Any] = [Paragraph(header_line(beeld), italic=True), Heading("Conclusies van de omgevingsanalist")]
    blocks.append(Paragraph(conclusions.strip() or "Nog geen conclusies."))
    for number, (heading, explanation, parts) in enumerate(outline(beeld), start=1):
        blocks += [Heading(f"{number}. {heading}"), Paragraph(explanation, italic=True)]
        for sub, entries in parts:
            if sub:
                blocks.append(Heading(sub, level=2))
            blocks.append(Bullets(tuple(entries)))
    name = title(beeld) + (f" (versie {version})" if version else "")
    return write_docx(name, beeld.municipality, beeld.generated_at, blocks)
