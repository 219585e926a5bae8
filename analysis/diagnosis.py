"""The crisis diagnosis of 004 §3.2: the A/B/C question table, scores and the advice to the driehoek.

Questions, answers and the six outcomes are in data/diagnosis.toml verbatim; the rules that pick
an outcome are ours (the handreiking gives none) and are documented there under [regels].
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from onrust.paths import DATA_DIR

DIAGNOSIS_FILE = DATA_DIR / "diagnosis.toml"
ANSWERS = ("hoog", "laag", "onbekend")
SECTIONS = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    text: str
    high: str
    low: str


@dataclass(frozen=True)
class Table:
    sections: dict[str, tuple[str, str]]  # key: (name, lead question)
    questions: tuple[Question, ...]
    advice: dict[str, str]
    rules: dict[str, Any]

    def in_section(self, section: str) -> list[Question]:
        return [q for q in self.questions if q.section == section]


@cache
def load_table(path: Path = DIAGNOSIS_FILE) -> Table:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return Table(
        sections={k: (v["naam"], v["vraag"]) for k, v in raw["sectie"].items()},
        questions=tuple(Question(q["id"], q["sectie"], q["vraag"], q["hoog"], q["laag"])
                        for q in raw["vraag"]),
        advice={k: v["tekst"] for k, v in raw["advies"].items()},
        rules=raw["regels"],
    )


@dataclass(frozen=True)
class SectionScore:
    high: int
    low: int
    unknown: int

    @property
    def answered(self) -> int:
        return self.high + self.low

    @property
    def score(self) -> float | None:
        """Share of high-risk answers among the answered, 0-100; None when nothing is answered."""
        return 100.0 * self.high / self.answered if self.answered else None

    @property
    def unknown_share(self) -> float:
        total = self.answered + self.unknown
        return self.unknown / total if total else 1.0


@dataclass(frozen=True)
class Diagnosis:
    answers: dict[str, str]
    via_third_party: bool
    sections: dict[str, SectionScore]
    total: SectionScore
    advice: str  # main outcome key: informatie, acuut, acties or geen_aanleiding
    extra_advice: tuple[str, ...]  # ondersteuning, derde_partij
    support_wanted: bool | None  # only with acuut/acties: is Twentse support wanted?
    reasons: tuple[str, ...] = field(default=())

    def advice_texts(self, table: Table) -> list[str]:
        texts = [table.advice[self.advice]]
        for key in self.extra_advice:
            text = table.advice[key]
            if key == "ondersteuning":
                text += (" Advies: gewenst." if self.support_wanted else " Advies: niet nodig.")
            texts.append(text)
        return texts

    def as_record(self, assessed_at: datetime, author: str, note: str = "") -> dict[str, Any]:
        """The row stored per assessment (store.save_diagnosis)."""
        return {
            "assessed_at": assessed_at, "author": author, "answers": self.answers,
            "via_third_party": self.via_third_party,
            "score_a": self.sections["A"].score, "score_b": self.sections["B"].score,
            "score_c": self.sections["C"].score, "score_total": self.total.score,
            "unknown_share": self.total.unknown_share, "advice": self.advice,
            "extra_advice": list(self.extra_advice), "explanation": " ".join(self.reasons),
            "note": note,
        }


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def diagnose(answers: Mapping[str, str], *, via_third_party: bool = False,
             table: Table | None = None) -> Diagnosis:
    """Score the answers (missing = onbekend) and choose the advice by the documented rules."""
    table = table or load_table()
    known_ids = {q.id for q in table.questions}
    unknown_ids = set(answers) - known_ids
    if unknown_ids:
        raise ValueError(f"onbekende vragen: {sorted(unknown_ids)}")
    bad = {k: v for k, v in answers.items() if v not in ANSWERS}
    if bad:
        raise ValueError(f"antwoord moet hoog, laag of onbekend zijn: {bad}")
    full = {q.id: answers.get(q.id, "onbekend") for q in table.questions}

    def score(ids: list[str]) -> SectionScore:
        values = [full[i] for i in ids]
        return SectionScore(values.count("hoog"), values.count("laag"), values.count("onbekend"))

    sections = {s: score([q.id for q in table.in_section(s)]) for s in SECTIONS}
    total = score(list(full))
    r = table.rules
    reasons: list[str] = []
    high_share = total.high / total.answered if total.answered else 0.0
    worst_section = max(SECTIONS, key=lambda s: sections[s].unknown_share)
    keys_high = all(full[q] == "hoog" for q in r["acuut_sleutelvragen"])
    if total.unknown_share > r["max_aandeel_onbekend"]:
        advice = "informatie"
        reasons.append(f"{_pct(total.unknown_share)} van de vragen is onbekend "
                       f"(grens {_pct(r['max_aandeel_onbekend'])}).")
    elif sections[worst_section].unknown_share > r["max_aandeel_onbekend_per_sectie"]:
        advice = "informatie"
        reasons.append(f"In deel {worst_section} ({table.sections[worst_section][0]}) is "
                       f"{_pct(sections[worst_section].unknown_share)} onbekend "
                       f"(grens {_pct(r['max_aandeel_onbekend_per_sectie'])}).")
    elif high_share >= r["acuut_aandeel_hoog"] or keys_high:
        advice = "acuut"
        reasons.append(
            f"{_pct(high_share)} van de beantwoorde vragen wijst op hoog risico"
            f" (grens {_pct(r['acuut_aandeel_hoog'])})." if not keys_high else
            "Collectieve stress, een instabiele situatie en vervolgdreiging zijn alle drie hoog.")
    elif high_share >= r["acties_aandeel_hoog"]:
        advice = "acties"
        reasons.append(f"{_pct(high_share)} van de beantwoorde vragen wijst op hoog risico "
                       f"(vanaf {_pct(r['acties_aandeel_hoog'])} zijn acties wenselijk).")
    else:
        advice = "geen_aanleiding"
        reasons.append(f"Slechts {_pct(high_share)} van de beantwoorde vragen wijst op hoog "
                       f"risico (onder {_pct(r['acties_aandeel_hoog'])}).")
    extra: list[str] = []
    support = None
    if advice in ("acuut", "acties"):
        extra.append("ondersteuning")
        heavy = [q for q in r["ondersteuning_vragen"] if full[q] == "hoog"]
        support = bool(heavy)
        reasons.append("Ondersteuning gewenst: " + ", ".join(heavy) + " hoog." if heavy
                       else "Geen van de capaciteitsvragen is hoog: lokale aanpak volstaat.")
    if via_third_party:
        extra.append("derde_partij")
        reasons.append("Het signaal kwam via een derde partij.")
    return Diagnosis(full, via_third_party, sections, total, advice, tuple(extra), support,
                     tuple(reasons))


def record_summary(record: Mapping[str, Any], table: Table | None = None) -> list[str]:
    """A stored assessment in a few lines: advice first, then the scores that led to it."""
    table = table or load_table()

    def pct(v: Any) -> str:
        return "-" if v is None or v != v else f"{v:.0f}%"

    lines = [f"Advies: {table.advice[record['advice']]}"]
    for key in record["extra_advice"]:
        lines.append(f"Ook: {table.advice[key]}")
    lines.append(f"Hoog risico: A {pct(record['score_a'])}, B {pct(record['score_b'])}, "
                 f"C {pct(record['score_c'])}, totaal {pct(record['score_total'])}; "
                 f"onbekend {100 * record['unknown_share']:.0f}%.")
    if record.get("explanation"):
        lines.append(f"Waarom: {record['explanation']}")
    return lines
