"""Task lists against the seeds (counts, verbatim), due times and overdue with literal times, and
the checked writes on a real store (logbook lines, closed incidents refused)."""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from comms.tasks import (
    Due,
    ahead_text,
    complete_task,
    evaluated_at,
    load_protocol,
    moment_kinds,
    note_task,
    record_triage,
    reopen_task,
    set_moment,
    task_rows,
    task_status,
    triage_outcomes,
    upcoming,
)
from onrust.errors import IncidentClosed, UserError
from onrust.models import TaskState

# The protocols the data files were taken from, beside the checkout (../shared/seeds, as in
# test_seed_citations) or where ONRUST_SEEDS points; the verbatim checks skip without them, the
# counts never do.
SEEDS = Path(os.environ.get("ONRUST_SEEDS") or Path(__file__).resolve().parents[3] / "shared" / "seeds")
OPENED = datetime(2026, 10, 8, 15, 45, tzinfo=UTC)  # 17:45 in Amsterdam (summer time)


def _squeezed(text: str) -> str:
    """Seed text as the PDF extraction left it: bullets and line breaks are not part of an item."""
    return re.sub(r"[\s\uf000-\uf8ff•]+", "", text)


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found in {SEEDS} (set ONRUST_SEEDS)")
    return _squeezed(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


def test_003_counts_match_the_seed() -> None:
    tasks = load_protocol("003").tasks
    steps = Counter(phase for phase, _ in dict.fromkeys((t.phase, t.step) for t in tasks))
    assert steps == {"Fase 1: Organisatie": 5, "Fase 2: Acties": 8, "Fase 3: Nafase": 4}
    points = Counter(t.phase for t in tasks if t.id.count("-") == 2)  # a step without points has no number
    assert points == {"Fase 1: Organisatie": 17, "Fase 2: Acties": 22, "Fase 3: Nafase": 8}
    assert [t.id for t in tasks if t.id.count("-") == 1] == ["003-3.4"]  # "Terugkoppeling naar politiek"


def test_000_counts_match_the_seed() -> None:
    tasks = load_protocol("000").tasks
    assert Counter(t.phase for t in tasks) == {"Fase I: Binnenkomst melding": 3, "Fase II: Acute fase": 6,
                                               "Fase III: Nafase": 3}
    assert all(t.due is None for t in tasks)  # 000 §2.1 gives no time box


@pytest.mark.parametrize("key, seed", [("003", "003"), ("000", "000")])
def test_every_task_is_verbatim_from_the_seed(key: str, seed: str) -> None:
    text = _seed(seed)
    missing = [t.text for t in load_protocol(key).tasks if _squeezed(t.text) not in text]
    missing += [t.step for t in load_protocol(key).tasks if _squeezed(t.step) not in text]
    assert missing == []


def test_triage_outcomes_and_risk_moments_are_verbatim() -> None:
    assert [o.text for o in triage_outcomes().values()] == [
        "Calamiteit zonder maatschappelijke onrust → draaiboek volgen",
        "Calamiteit met (risico op) maatschappelijke onrust → afstemmen met team Veiligheid en overleg over in "
        "werking stellen protocol maatschappelijke onrust."]
    assert all(_squeezed(o.text) in _seed("003") for o in triage_outcomes().values())
    kinds = moment_kinds()
    assert len(kinds) == 8 and all(_squeezed(k.text) in _seed("000") for k in kinds.values())
    assert {"rechtszaak", "uitspraak", "invrijheidstelling"} <= set(kinds)


@pytest.mark.parametrize("due, expected", [
    (Due(hours=3), datetime(2026, 10, 8, 18, 45, tzinfo=UTC)),
    (Due(hours=48), datetime(2026, 10, 10, 15, 45, tzinfo=UTC)),
    # 14 days across the end of summer time (25 Oct): still 17:45 on the Amsterdam clock
    (Due(days=14), datetime(2026, 10, 22, 15, 45, tzinfo=UTC)),
    (Due(months=2), datetime(2026, 12, 8, 16, 45, tzinfo=UTC)),
])
def test_due_times_from_the_incident_start(due: Due, expected: datetime) -> None:
    assert due.after(OPENED) == expected


def test_months_clamp_to_the_end_of_a_short_month() -> None:
    assert Due(months=2).after(datetime(2026, 12, 31, 11, 0, tzinfo=UTC)) == datetime(2027, 2, 28, 11, 0, tzinfo=UTC)


def test_status_open_overdue_done_and_done_late() -> None:
    due = datetime(2026, 10, 8, 18, 45, tzinfo=UTC)
    assert task_status(due, None, datetime(2026, 10, 8, 18, 45, tzinfo=UTC)) == "open"  # at the moment: not yet late
    assert task_status(due, None, datetime(2026, 10, 8, 18, 46, tzinfo=UTC)) == "te laat"
    assert task_status(due, datetime(2026, 10, 8, 18, 0, tzinfo=UTC), datetime(2026, 10, 9, tzinfo=UTC)) == "gedaan"
    assert task_status(due, datetime(2026, 10, 8, 19, 0, tzinfo=UTC), datetime(2026, 10, 9, tzinfo=UTC)) \
        == "te laat gedaan"
    assert task_status(None, None, datetime(2030, 1, 1, tzinfo=UTC)) == "open"  # no time box, never late


def test_task_rows_use_the_step_time_box_of_the_feitenrelaas() -> None:
    now = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)  # 20 h after the start
    done = TaskState(1, "003-1.1-1", datetime(2026, 10, 8, 16, 30, tzinfo=UTC), "afdelingshoofd", "", now, "x")
    rows = {r.task.id: r for r in task_rows(load_protocol("003"), OPENED, [done], now)}
    assert (rows["003-1.1-1"].status, rows["003-1.1-1"].done_by) == ("gedaan", "afdelingshoofd")
    assert rows["003-1.1-2"].status == "te laat" and rows["003-1.1-2"].overdue
    assert rows["003-2.1-1"].status == "open"
    assert rows["003-2.1-1"].due_at == datetime(2026, 10, 10, 15, 45, tzinfo=UTC)
    assert rows["003-3.1-1"].due_at == datetime(2026, 10, 22, 15, 45, tzinfo=UTC)  # binnen 2 weken
    assert rows["003-3.2-1"].due_at == datetime(2026, 12, 8, 16, 45, tzinfo=UTC)   # binnen 2 maanden
    assert sum(r.overdue for r in rows.values()) == 16  # fase 1 (17 points) minus the one done


@pytest.mark.parametrize("at, expected", [
    (datetime(2026, 10, 12, 9, 0, tzinfo=UTC), "over 3 dagen"),
    (datetime(2026, 10, 10, 6, 0, tzinfo=UTC), "morgen"),
    (datetime(2026, 10, 9, 20, 0, tzinfo=UTC), "vandaag om 22:00"),
    (datetime(2026, 10, 8, 20, 0, tzinfo=UTC), "gisteren"),
    (datetime(2026, 10, 6, 20, 0, tzinfo=UTC), "3 dagen geleden"),
])
def test_ahead_text_counts_calendar_days(at: datetime, expected: str) -> None:
    assert ahead_text(at, datetime(2026, 10, 9, 21, 30, tzinfo=UTC)) == expected


def test_checked_writes_log_and_refuse(store) -> None:
    incident = store.create_incident("Zedenzaak", "Uithoorn", OPENED)
    protocol = load_protocol("003")
    now = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)
    with pytest.raises(UserError, match="Vul in wie de taak heeft gedaan.\nHet tijdstip 'gedaan op' ligt in"):
        complete_task(store, protocol, incident, "003-1.1-1", " ", datetime(2026, 10, 10, tzinfo=UTC), now=now)
    with pytest.raises(UserError, match="vóór het begin"):
        complete_task(store, protocol, incident, "003-1.1-1", "ah", datetime(2026, 10, 8, tzinfo=UTC), now=now)
    with pytest.raises(UserError, match="Onbekende taak '003-9.9'"):
        complete_task(store, protocol, incident, "003-9.9", "ah", now, now=now)
    assert store.task_states(incident) == []  # nothing half-written

    complete_task(store, protocol, incident, "003-1.1-1", "afdelingshoofd", datetime(2026, 10, 8, 16, 30, tzinfo=UTC),
                  now=now)
    note_task(store, protocol, incident, "003-1.1-1", "GGD gebeld", "secretaris")
    [state] = store.task_states(incident)
    assert (state.done_by, state.note, state.updated_by) == ("afdelingshoofd", "GGD gebeld", "secretaris")
    reopen_task(store, protocol, incident, "003-1.1-1", "secretaris")
    [state] = store.task_states(incident)
    assert (state.done_at, state.done_by, state.note) == (None, None, "GGD gebeld")
    record_triage(store, incident, "mo_protocol", "afdelingshoofd")
    set_moment(store, incident, "uitspraak", datetime(2026, 10, 12, 9, 0, tzinfo=UTC), "secretaris")
    assert upcoming(store.risk_moments(incident), now) == ["over 3 dagen: uitspraak (ma 12-10-2026 11:00)"]
    log = [(e.kind, e.text) for e in store.log_entries(incident)]
    assert log == [
        ("actie", "Taak afgerond (003 Deel II, Fase 1, 1.1): Afdelingshoofd heeft spoedoverleg met een kleine kern "
                  "van op dat moment betrokkenen over aanpak"),
        ("actie", "Notitie bij taak 1.1 punt 1 (003 Deel II, Fase 1, 1.1): GGD gebeld"),
        ("actie", "Taak weer open (003 Deel II, Fase 1, 1.1): Afdelingshoofd heeft spoedoverleg met een kleine kern "
                  "van op dat moment betrokkenen over aanpak"),
        ("besluit", "Triage (003 Deel II, Melding komt binnen): Calamiteit met (risico op) maatschappelijke onrust "
                    "→ afstemmen met team Veiligheid en overleg over in werking stellen protocol maatschappelijke "
                    "onrust."),
        ("gebeurtenis", "Risicomoment 'uitspraak' verwacht op ma 12-10-2026 11:00 (000 Bijlage 7)"),
    ]
    assert store.triage(incident).outcome == "mo_protocol"


def test_a_closed_incident_refuses_task_writes(store) -> None:
    incident = store.create_incident("Zedenzaak", "Uithoorn", OPENED)
    store.close_incident(incident, datetime(2026, 10, 21, tzinfo=UTC), author="burgemeester")
    protocol, at = load_protocol("003"), datetime(2026, 10, 9, tzinfo=UTC)
    writes = [
        lambda: complete_task(store, protocol, incident, "003-1.1-1", "ah", at, now=at),
        lambda: note_task(store, protocol, incident, "003-1.1-1", "n", "ah"),
        lambda: reopen_task(store, protocol, incident, "003-1.1-1", "ah"),
        lambda: record_triage(store, incident, "draaiboek", "ah"),
        lambda: set_moment(store, incident, "uitspraak", at, "ah"),
        lambda: store.set_incident_scenario(incident, "zedenzaak", "ah", "Scenario gewijzigd"),
    ]
    for write in writes:
        with pytest.raises(IncidentClosed):
            write()
    assert store.task_states(incident) == [] and store.risk_moments(incident) == []
    assert [e.text for e in store.log_entries(incident)] == ["Incident afgesloten"]


def test_a_closed_incident_is_judged_at_its_close() -> None:
    closed, now = datetime(2026, 10, 21, 15, 0, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    rows = {r.task.id: r for r in task_rows(load_protocol("003"), OPENED, [], evaluated_at(closed, now))}
    assert rows["003-2.1-1"].status == "te laat"  # due 10-10, open at the close
    assert rows["003-3.2-1"].status == "open"     # due 08-12, after the close: not late
    assert evaluated_at(None, now) == now
