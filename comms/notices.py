"""Notices about the communication and the signals, beside the temperature's own alerts.

Four things must reach the team without anyone looking at the right page (issue: notifications
in the header of every page and by e-mail/webhook): a high-severity signal, a phase threshold
(analysis.alerts), a doelgroep whose deadline passed (the information-needs matrix) and a
persbericht waiting for the second pair of eyes. `decide_notices` is pure; `notify_all` is the
pipeline step that reads the store, decides, delivers (onrust.notify) and records.
Each notice is raised once per subject: a signal once, a missed deadline once per deadline, a
submitted persbericht once per submission.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from comms.matrix import load_defaults, merge_defaults, with_due
from onrust.models import PressRelease
from onrust.notify import Alert, deliver
from onrust.settings import Settings
from onrust.timeutil import fmt_local, utcnow

MAX_TEXT = 140  # of a signal's text in a notice: the header and a Teams card stay readable


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"


def decide_notices(
    *, signals: pd.DataFrame, matrix: pd.DataFrame, releases: Sequence[PressRelease],
    known: Mapping[tuple[str, str], datetime], min_severity: int, incident: str,
) -> list[Alert]:
    """Notices not raised before. `signals`: id, severity, kind, text, entered_at; `matrix` as
    comms.matrix.with_due returns it; `known`: (kind, key) of notices already raised."""
    prefix = f"{incident}: " if incident else ""
    out: list[Alert] = []
    for row in signals.to_dict("records"):
        key = str(row["id"])
        if int(row["severity"]) >= min_severity and ("signaal", key) not in known:
            out.append(Alert(pd.Timestamp(row["entered_at"]), "signaal", key,
                             f"{prefix}signaal met ernst {row['severity']} ({row['kind']}): {_short(row['text'])}"))
    late = matrix[matrix["achterstallig"]] if "achterstallig" in matrix.columns else matrix.iloc[0:0]
    for row in late.to_dict("records"):
        due = pd.Timestamp(row["volgende_keer"])
        key = f"{row['doelgroep']}|{due.isoformat()}"
        if ("doelgroep", key) not in known:
            out.append(Alert(due, "doelgroep", key, f"{prefix}{row['doelgroep']} is niet op tijd geïnformeerd "
                                                    f"(uiterlijk {fmt_local(due.to_pydatetime())})."))
    for release in releases:
        key = f"{release.id}|{pd.Timestamp(release.status_at).isoformat()}"
        if release.status == "ter_controle" and ("persbericht", key) not in known:
            out.append(Alert(pd.Timestamp(release.status_at), "persbericht", key,
                             f"{prefix}persbericht '{_short(release.title)}' wacht op goedkeuring "
                             f"(ingediend door {release.status_by})."))
    return sorted(out, key=lambda a: a.raised_at)


def notify_all(store: Any, settings: Settings) -> dict[str, int]:
    """Pipeline step: every open incident; runs after each collection pass (also an empty one)."""
    report = {}
    defaults = load_defaults()
    for incident in store.incidents():
        if incident.status != "open":
            continue
        now = utcnow()
        matrix = with_due(merge_defaults(store.info_matrix(incident.id), defaults), incident.opened_at, now)
        notices = decide_notices(
            signals=store.signals(incident_id=incident.id), matrix=matrix,
            releases=store.press_releases(incident.id), known=store.alert_cooldowns(incident.id),
            min_severity=settings.alerts.signal_min_severity, incident=incident.name,
        )
        store.save_alerts(incident.id, deliver(notices, settings.alerts, incident.id))
        report[f"incident {incident.id}"] = len(notices)
    return report
