"""The evaluation form (data/evaluation.toml): 003 §3.3, 000 §2.4, 004 §3.4 and 004 Bijlage 5
steps 6-7 (read from the aanpak checklist), with the answers stored per incident."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from comms.checklists import CHECKLIST_DIR, load_checklists
from onrust.docx import Block, Heading, Paragraph, write_docx
from onrust.errors import UserError
from onrust.paths import DATA_DIR
from onrust.pdf import write_pdf
from onrust.timeutil import fmt_local

if TYPE_CHECKING:
    from onrust.store import Store

EVALUATION_FILE = DATA_DIR / "evaluation.toml"
MAX_ANSWER = 20_000  # characters; an answer is a paragraph or a few, not a pasted report


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str           # the seed's words
    ref: str
    group: str = ""     # the seed's sub-heading inside a step ("Inhoud", "Proces")

    @property
    def label(self) -> str:
        return f"{self.group}: {self.text}" if self.group else self.text


@dataclass(frozen=True, slots=True)
class FormSection:
    ref: str
    title: str
    questions: tuple[Question, ...]


@cache
def load_form(path: Path = EVALUATION_FILE, checklist_dir: Path = CHECKLIST_DIR) -> tuple[FormSection, ...]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    sections = [FormSection(s["ref"], s["title"],
                            tuple(Question(f"{s['id']}.{n}", text, s["ref"])
                                  for n, text in enumerate(s["questions"], start=1)))
                for s in raw["sections"]]
    checklists = load_checklists(checklist_dir)
    for part in raw["checklist_sections"]:
        items = [i for i in checklists[part["checklist"]].items if i.section == part["section"]]
        if not items:
            raise ValueError(f"{path}: checklist {part['checklist']} heeft geen sectie '{part['section']}'")
        sections.append(FormSection(part["ref"], part["section"],
                                    tuple(Question(i.id, i.text, i.ref, i.group or "") for i in items)))
    return tuple(sections)


def question_ids() -> set[str]:
    return {q.id for s in load_form() for q in s.questions}


def save_answers(store: Store, incident_id: int, answers: Mapping[str, str], author: str, *,
                 at: datetime | None = None) -> int:
    """Store the answers that changed; allowed after the incident is closed (see
    EvaluationQueries.save_evaluation_answers: evaluation follows the close)."""
    if not author.strip():
        raise UserError("Vul in wie de evaluatie invult.")
    known = question_ids()
    unknown = sorted(set(answers) - known)
    if unknown:
        raise UserError(f"Onbekende evaluatievraag: {', '.join(unknown)}.")
    long = [qid for qid, text in answers.items() if len(text) > MAX_ANSWER]
    if long:
        raise UserError(f"Antwoord te lang (meer dan {MAX_ANSWER} tekens): {', '.join(long)}.")
    current = {qid: a for qid, (a, _, _) in store.evaluation_answers(incident_id).items()}
    changed = {qid: text.strip() for qid, text in answers.items() if text.strip() != current.get(qid, "")}
    if changed:
        store.save_evaluation_answers(incident_id, changed, author.strip(), at=at)
    return len(changed)


def evaluation_blocks(answers: Mapping[str, tuple[str, str, datetime]]) -> list[Block]:
    blocks: list[Block] = []
    for section in load_form():
        blocks.append(Heading(f"{section.title} ({section.ref})", 2))
        for q in section.questions:
            blocks.append(Paragraph(q.label, bold=True))
            if q.id in answers:
                text, by, at = answers[q.id]
                blocks.append(Paragraph(f"{text}\n({by}, {fmt_local(at)})"))
            else:
                blocks.append(Paragraph("Nog niet beantwoord.", italic=True))
    return blocks


def evaluation_docx(incident_name: str, municipality: str, when: datetime,
                    answers: Mapping[str, tuple[str, str, datetime]]) -> bytes:
    return write_docx(f"Evaluatie: {incident_name}", municipality, when, evaluation_blocks(answers))


def evaluation_pdf(incident_name: str, municipality: str, when: datetime,
                   answers: Mapping[str, tuple[str, str, datetime]]) -> bytes:
    return write_pdf(f"Evaluatie: {incident_name}", municipality, when, evaluation_blocks(answers))
