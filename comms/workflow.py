"""Review workflow of a press release: concept -> ter controle -> goedgekeurd -> verstuurd.

Four eyes: the approver is never the author of the version approved (000 Bijlage 6: "Zijn er
interne afspraken gemaakt over de controle van teksten voordat ze uitgaan?"; 004 Bijlage 5:
"Laat iemand je tweets nalezen voordat je ze post"). Every edit is a new version; an edit after
submission sends the release back to concept, because the approval was for other words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from comms.press import PresendRule, load_config
from onrust.errors import UserError
from onrust.models import Finding, PressRelease, PressStatus, PressVersion
from onrust.text import fold
from onrust.timeutil import to_utc

if TYPE_CHECKING:
    from onrust.store import Store

Status = PressStatus  # the record's status type (onrust.models), named for this module
STATUSES: tuple[Status, ...] = ("concept", "ter_controle", "goedgekeurd", "verstuurd")
STATUS_LABELS: dict[str, str] = {
    "concept": "concept",
    "ter_controle": "ter controle",
    "goedgekeurd": "goedgekeurd",
    "verstuurd": "verstuurd",
}

# (from, action) -> to
TRANSITIONS: dict[tuple[str, str], Status] = {
    ("concept", "indienen"): "ter_controle",
    ("ter_controle", "afkeuren"): "concept",
    ("ter_controle", "goedkeuren"): "goedgekeurd",
    ("goedgekeurd", "terugzetten"): "concept",
    ("goedgekeurd", "versturen"): "verstuurd",
}
# Steps that put the release on the incident's logbook (003 fase 1.5: when communication went out).
_LOGGED = {"goedgekeurd": "goedgekeurd", "verstuurd": "verstuurd"}
_LOST_RACE = "De status is intussen door iemand anders gewijzigd; laad opnieuw."
ACTION_LABELS: dict[str, str] = {
    "indienen": "Ter controle aanbieden",
    "afkeuren": "Terug naar de auteur",
    "goedkeuren": "Goedkeuren",
    "terugzetten": "Goedkeuring intrekken",
    "versturen": "Markeren als verstuurd",
}


class WorkflowError(UserError):
    """A step the workflow does not allow; the message says why in Dutch."""


def _same_person(a: str, b: str) -> bool:
    return fold(" ".join(a.split())).text.casefold() == fold(" ".join(b.split())).text.casefold()


def actions(status: str) -> list[str]:
    return [action for (src, action) in TRANSITIONS if src == status]


def transition(status: str, action: str, *, actor: str, author: str, blocking: int = 0) -> Status:
    """The next status, or WorkflowError saying why this step is not allowed."""
    if not actor.strip():
        raise WorkflowError("Vul uw naam in: elke stap in de controle wordt op naam vastgelegd.")
    target = TRANSITIONS.get((status, action))
    if target is None:
        allowed = ", ".join(actions(status)) or "geen"
        raise WorkflowError(
            f"'{action}' kan niet bij status '{STATUS_LABELS.get(status, status)}' (mogelijk: {allowed})."
        )
    if action == "goedkeuren" and _same_person(actor, author):
        raise WorkflowError(
            f"{actor} schreef deze versie en mag haar niet zelf goedkeuren: laat een collega de tekst controleren."
        )
    if action in ("indienen", "goedkeuren", "versturen") and blocking:
        raise WorkflowError(
            f"Er {'is' if blocking == 1 else 'zijn'} nog {blocking} blokkerende bevinding(en): los die eerst op."
        )
    return target


def status_after_edit(status: str) -> Status:
    """A new version voids a submission or approval; a sent release is history and stays as is."""
    if status == "verstuurd":
        raise WorkflowError(
            "Dit bericht is al verstuurd. Maak een nieuw bericht (bijvoorbeeld een update of rectificatie)."
        )
    return "concept"


# -- steps and edits, decided here and written by the store's guarded writes -------------------


def press_step(
    store: Store, release_id: int, action: str, actor: str, *, comment: str = "", blocking: int = 0,
    warnings: Sequence[Finding] = (), at: datetime | None = None,
) -> Status:
    """Move the release one workflow step; the four-eyes rule compares with the latest author."""
    release = store.press_release(release_id)
    if release is None:
        raise UserError(f"Persbericht {release_id} bestaat niet.")
    target = transition(
        release.status, action, actor=actor, author=release.latest.author, blocking=blocking
    )
    logged = _LOGGED.get(target)
    moved = store.set_press_status(
        release_id, release.status, target, action=action, actor=actor.strip(),
        version=release.latest.version, comment=comment, warnings=warnings, at=at,
        logbook_text=(f"Persbericht '{release.title}' {logged} (versie {release.latest.version})"
                      if logged else None),
    )
    if not moved:
        raise WorkflowError(_LOST_RACE)
    return target


def save_press_version(
    store: Store, release_id: int, fields: Mapping[str, Any], author: str, *,
    note: str = "", at: datetime | None = None,
) -> int:
    """A new version; an edit after submission or approval sends the release back to concept."""
    if not author.strip():
        raise UserError("Vul in wie de wijziging maakt.")
    release = store.press_release(release_id)
    if release is None:
        raise UserError(f"Persbericht {release_id} bestaat niet.")
    version = release.latest.version + 1
    saved = store.add_press_version(
        release_id, version, fields, author.strip(), expected_status=release.status,
        new_status=status_after_edit(release.status), note=note, at=at,
    )
    if not saved:
        raise WorkflowError(_LOST_RACE)
    return version


# -- versions and diffs ------------------------------------------------------------------------


def field_texts(data: Mapping[str, Any]) -> dict[str, str]:
    """Label -> text of every filled field of a stored version, in form order."""
    texts = {spec.label: str(data.get(spec.key) or "").strip() for spec in load_config().fields}
    texts = {label: text for label, text in texts.items() if text}
    if data.get("strafrechtelijk"):
        texts["OM leidt communicatie over strafrechtelijk onderzoek"] = "ja"
    for item in data.get("addressed") or ():
        texts[f"{item['kind']}: {item['prompt']}"] = str(item["answer"])
    return texts


def fields_as_text(data: Mapping[str, Any]) -> str:
    """One '[label] text' line per filled line of each field, in form order: a readable diff base."""
    return "\n".join(f"[{label}] {line}" for label, text in field_texts(data).items() for line in text.splitlines())


Piece = tuple[str, bool]  # a word or the space between words, and whether it changed


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of two versions side by side, word by word (the approval log's comparison)."""

    label: str
    old: tuple[Piece, ...]
    new: tuple[Piece, ...]


def compare_versions(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """The fields that differ between two versions, each with its changed words marked; a reviewer
    reads two texts side by side instead of a unified diff."""
    before, after = field_texts(old), field_texts(new)
    labels = [*before, *(label for label in after if label not in before)]
    changes = []
    for label in labels:
        a, b = before.get(label, ""), after.get(label, "")
        if a == b:
            continue
        words_a, words_b = re.findall(r"\s+|\S+", a), re.findall(r"\s+|\S+", b)
        left: list[Piece] = []
        right: list[Piece] = []
        matcher = difflib.SequenceMatcher(a=words_a, b=words_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            left += [(w, op != "equal" and not w.isspace()) for w in words_a[i1:i2]]
            right += [(w, op != "equal" and not w.isspace()) for w in words_b[j1:j2]]
        changes.append(FieldChange(label, tuple(left), tuple(right)))
    return changes


def diff_versions(old: Mapping[str, Any], new: Mapping[str, Any], old_label: str, new_label: str) -> str:
    """Unified diff of two stored versions' fields ('' when nothing changed)."""
    return "\n".join(
        difflib.unified_diff(
            fields_as_text(old).splitlines(),
            fields_as_text(new).splitlines(),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
        )
    )


# -- before sending ----------------------------------------------------------------------------


def _matches(doelgroep: str, terms: Sequence[str]) -> bool:
    name = fold(doelgroep).text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(fold(t).text.casefold())}", name) for t in terms)


def presend_warnings(
    informed: Sequence[tuple[str, datetime | None]],
    rules: Sequence[PresendRule] | None = None,
) -> list[Finding]:
    """Warnings when the matrix shows that those directly involved or the council are not yet informed.

    `informed` holds (doelgroep, last informed at) from the information-needs matrix; a
    doelgroep without a time has not been informed yet. Every matching doelgroep must have been
    informed ("slachtoffers en verwanten" and "direct betrokkenen" both), and a matrix without
    any matching doelgroep warns too: nobody recorded that they were informed.
    """
    out = []
    for rule in rules if rules is not None else load_config().presend:
        rows = [(d, t) for d, t in informed if _matches(d, rule.match)]
        waiting = [d for d, t in rows if t is None]
        if rows and not waiting:
            continue
        if waiting:
            passage = ", ".join(waiting)
            why = f"Nog niet geïnformeerd volgens de matrix: {passage}. {rule.why}"
        else:
            passage = ""
            why = f"De informatiebehoeftematrix noemt geen doelgroep '{rule.label}' met een tijdstip. {rule.why}"
        out.append(
            Finding(
                rule=f"eerst_informeren_{rule.key}", severity="waarschuwing",
                label=f"Eerst informeren: {rule.label}", start=0, end=0, passage=passage, why=why,
                ref=rule.ref, suggestion=f"Informeer eerst de {rule.label} en leg dat vast in de matrix.",
                where="versturen",
            )
        )
    return out


def release_as_of(
    release: PressRelease, versions: Sequence[PressVersion], events: pd.DataFrame, moment: datetime,
) -> PressRelease | None:
    """The release as it stood at `moment` (the end of a past period): its latest version and its
    status then; None when it did not exist yet."""
    cutoff = pd.Timestamp(to_utc(moment))
    known = [v for v in versions if pd.Timestamp(to_utc(v.created_at)) <= cutoff]
    if not known:
        return None
    past = events[pd.to_datetime(events["event_at"], utc=True) <= cutoff]
    if past.empty:
        return replace(release, latest=known[-1])
    last = past.iloc[-1]
    return replace(release, latest=known[-1], status=last["to_status"],
                   status_at=pd.Timestamp(last["event_at"]).to_pydatetime(), status_by=str(last["actor"]))
