"""Review workflow: status machine, four eyes, versions with diffs, pre-send warnings; in a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from comms.involved import add_incident_person
from comms.press import PressFields, fields_to_dict
from comms.workflow import (
    WorkflowError,
    actions,
    diff_versions,
    presend_warnings,
    press_step,
    save_press_version,
    status_after_edit,
    transition,
)
from onrust.errors import UserError
from onrust.models import InvolvedPerson

T0 = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
V1 = fields_to_dict(PressFields(titel="Brand in woning", wat="Er was brand.", empathie="Wij leven mee."))
V2 = {**V1, "wat": "Er was brand in een woning.", "website": "uithoorn.nl/calamiteit"}


# -- pure ------------------------------------------------------------------------------------

def test_happy_path():
    assert transition("concept", "indienen", actor="Anna", author="Anna") == "ter_controle"
    assert transition("ter_controle", "goedkeuren", actor="Bram", author="Anna") == "goedgekeurd"
    assert transition("goedgekeurd", "versturen", actor="Anna", author="Anna") == "verstuurd"
    assert actions("verstuurd") == []
    assert actions("ter_controle") == ["afkeuren", "goedkeuren"]


@pytest.mark.parametrize("approver", ["Anna", " anna ", "ANNA"])
def test_author_cannot_approve(approver):
    with pytest.raises(WorkflowError, match="niet zelf goedkeuren"):
        transition("ter_controle", "goedkeuren", actor=approver, author="Anna")


def test_steps_out_of_order_and_blocking_findings_are_refused():
    with pytest.raises(WorkflowError, match="kan niet bij status 'concept'"):
        transition("concept", "versturen", actor="Anna", author="Anna")
    with pytest.raises(WorkflowError, match="1 blokkerende"):
        transition("ter_controle", "goedkeuren", actor="Bram", author="Anna", blocking=1)
    with pytest.raises(WorkflowError, match="naam"):
        transition("concept", "indienen", actor=" ", author="Anna")
    assert transition("ter_controle", "afkeuren", actor="Bram", author="Anna", blocking=3) == "concept"
    assert issubclass(WorkflowError, UserError)  # the CLI prints it without a traceback


def test_edit_resets_and_sent_is_final():
    assert status_after_edit("goedgekeurd") == "concept"
    with pytest.raises(WorkflowError, match="al verstuurd"):
        status_after_edit("verstuurd")


def test_diff_versions():
    diff = diff_versions(V1, V2, "versie 1", "versie 2")
    assert diff.splitlines() == [
        "--- versie 1",
        "+++ versie 2",
        "@@ -1,3 +1,4 @@",
        " [Kop] Brand in woning",
        "-[Wat is er gebeurd?] Er was brand.",
        "+[Wat is er gebeurd?] Er was brand in een woning.",
        " [Warmte en empathie] Wij leven mee.",
        "+[Website voor vragen en updates] uithoorn.nl/calamiteit",
    ]
    assert diff_versions(V1, V1, "a", "b") == ""


def test_presend_warnings_from_matrix_rows():
    informed = [
        ("Direct betrokkenen (gezin)", None),
        ("Gemeenteraad", T0),
        ("Pers", None),
    ]
    found = presend_warnings(informed)
    assert [(f.rule, f.passage) for f in found] == [("eerst_informeren_betrokkenen", "Direct betrokkenen (gezin)")]
    assert "004 Bijlage 5" in found[0].ref
    none_informed = presend_warnings([("Verwanten", None), ("Raadsleden", None)])
    assert [f.rule for f in none_informed] == ["eerst_informeren_betrokkenen", "eerst_informeren_raad"]
    all_done = presend_warnings([("Familie van het slachtoffer", T0), ("Griffie / gemeenteraad", T0)])
    assert all_done == []
    empty = presend_warnings([])
    assert len(empty) == 2 and "noemt geen doelgroep" in empty[0].why


def test_presend_does_not_match_inside_words():
    # 'raad' must not match 'Adviesraad sociaal domein' as a word start? It does start a word part
    # only after a space; 'Jongerenraad' is one word and is not the council.
    found = presend_warnings([("Jongerenraad", T0), ("Ouders", T0)])
    assert [f.rule for f in found] == ["eerst_informeren_raad"]


# -- store -----------------------------------------------------------------------------------

@pytest.fixture
def incident(store):
    return store.create_incident("Brand Thamerdal", "Uithoorn", T0)


def test_release_versions_and_events(store, incident):
    rid = store.create_press_release(incident, V1, "Anna", at=T0)
    assert press_step(store, rid, "indienen", "Anna", at=T0 + timedelta(minutes=5)) == "ter_controle"
    with pytest.raises(WorkflowError):
        press_step(store, rid, "goedkeuren", "Anna")
    # Bram edits during review: a new version by Bram, back to concept
    assert save_press_version(store, rid, V2, "Bram", note="zin aangevuld", at=T0 + timedelta(minutes=9)) == 2
    release = store.press_release(rid)
    assert (release.status, release.latest.version, release.latest.author) == ("concept", 2, "Bram")
    assert release.title == "Brand in woning"
    press_step(store, rid, "indienen", "Bram", at=T0 + timedelta(minutes=10))
    with pytest.raises(WorkflowError, match="Bram schreef deze versie"):
        press_step(store, rid, "goedkeuren", "Bram")
    press_step(store, rid, "goedkeuren", "Anna", at=T0 + timedelta(minutes=12))
    press_step(store, rid, "versturen", "Anna", comment="na raad", at=T0 + timedelta(minutes=20))
    with pytest.raises(WorkflowError, match="al verstuurd"):
        save_press_version(store, rid, V1, "Anna")

    versions = store.press_versions(rid)
    assert [(v.version, v.author, v.fields["wat"]) for v in versions] == [
        (1, "Anna", "Er was brand."), (2, "Bram", "Er was brand in een woning."),
    ]
    events = store.press_events(rid)
    assert list(events["action"]) == ["aangemaakt", "indienen", "bewerkt", "indienen", "goedkeuren", "versturen"]
    assert list(events["to_status"]) == [
        "concept", "ter_controle", "concept", "ter_controle", "goedgekeurd", "verstuurd"]
    assert list(events["actor"]) == ["Anna", "Anna", "Bram", "Bram", "Anna", "Anna"]
    assert events["event_at"].iloc[-1] == pd.Timestamp(T0 + timedelta(minutes=20))
    assert store.press_release(rid).status_by == "Anna"
    log = store.logbook(incident)
    assert list(log["text"]) == [
        "Persbericht 'Brand in woning' goedgekeurd (versie 2)",
        "Persbericht 'Brand in woning' verstuurd (versie 2)",
    ]
    assert list(log["kind"]) == ["actie", "actie"]
    assert [r.id for r in store.press_releases(incident)] == [rid]


def test_guarded_writes_refuse_a_release_someone_else_moved_first(store, incident):
    """Two reviewers read 'ter controle'; the second write finds it changed and writes nothing."""
    rid = store.create_press_release(incident, V1, "Anna", at=T0)
    press_step(store, rid, "indienen", "Anna", at=T0)
    assert store.set_press_status(rid, "ter_controle", "goedgekeurd", action="goedkeuren", actor="Bram",
                                  version=1)
    assert not store.set_press_status(rid, "ter_controle", "concept", action="afkeuren", actor="Cor",
                                      version=1)
    assert not store.add_press_version(rid, 2, V2, "Cor", expected_status="ter_controle",
                                       new_status="concept")
    assert save_press_version(store, rid, V2, "Cor") == 2
    assert not store.add_press_version(rid, 2, V1, "Dirk", expected_status="concept", new_status="concept")
    assert list(store.press_events(rid)["action"]) == ["aangemaakt", "indienen", "goedkeuren", "bewerkt"]
    assert [(v.version, v.author) for v in store.press_versions(rid)] == [(1, "Anna"), (2, "Cor")]
    assert store.press_release(rid).status == "concept"


def test_the_store_refuses_an_approval_by_the_author_of_the_latest_version(store, incident):
    """Four eyes hold below the workflow too: whoever calls, the author's login cannot approve."""
    rid = store.create_press_release(incident, V1, "anna@uithoorn.nl", at=T0)
    press_step(store, rid, "indienen", "anna@uithoorn.nl", at=T0)
    for actor in ("anna@uithoorn.nl", " Anna@Uithoorn.nl "):
        assert not store.set_press_status(rid, "ter_controle", "goedgekeurd", action="goedkeuren",
                                          actor=actor, version=1)
    assert store.press_release(rid).status == "ter_controle"
    assert list(store.press_events(rid)["action"]) == ["aangemaakt", "indienen"]
    # Bram edits (version 2, back to concept) and submits: now Anna may approve Bram's words, he may not.
    assert save_press_version(store, rid, V2, "bram@uithoorn.nl") == 2
    press_step(store, rid, "indienen", "bram@uithoorn.nl")
    with pytest.raises(WorkflowError, match="bram@uithoorn.nl schreef deze versie"):
        press_step(store, rid, "goedkeuren", "bram@uithoorn.nl")
    assert press_step(store, rid, "goedkeuren", "anna@uithoorn.nl") == "goedgekeurd"
    assert store.press_release(rid).status_by == "anna@uithoorn.nl"


def test_send_records_accepted_warnings(store, incident):
    rid = store.create_press_release(incident, V1, "Anna")
    press_step(store, rid, "indienen", "Anna")
    press_step(store, rid, "goedkeuren", "Bram")
    warnings = presend_warnings(store.press_informed(incident))
    press_step(store, rid, "versturen", "Anna", warnings=warnings)
    stored = store.press_events(rid)["warnings"].iloc[-1]
    assert [w["rule"] for w in stored] == ["eerst_informeren_betrokkenen", "eerst_informeren_raad"]


def test_incident_persons_and_protected_names(store, incident):
    from onrust.models import WatchProfile

    add_incident_person(store, incident, "  Mark  de Vries ", "slachtoffer", "Anna", at=T0)
    add_incident_person(store, incident, "Kees Jansen", "verdachte", "Anna", at=T0 + timedelta(minutes=1))
    with pytest.raises(UserError, match="Onbekende rol"):
        add_incident_person(store, incident, "X", "dader", "Anna")
    people = store.incident_persons(incident)
    assert [(p.name, p.role, p.added_by) for p in people] == [
        ("Mark de Vries", "slachtoffer", "Anna"), ("Kees Jansen", "verdachte", "Anna"),
    ]
    store.save_watch_profile(WatchProfile(incident, involved=("mark de vries", "Fatima El Amrani")), "Anna")
    assert [(p.name, p.role) for p in store.names_to_protect(incident)] == [
        ("Mark de Vries", "slachtoffer"), ("Kees Jansen", "verdachte"), ("Fatima El Amrani", "betrokkene"),
    ]
    store.remove_incident_person(people[1].id)
    assert [p.name for p in store.incident_persons(incident)] == ["Mark de Vries"]
    assert isinstance(people[0], InvolvedPerson)


def test_informed_reads_the_matrix(store, incident):
    assert store.press_informed(incident) == []
    rows = pd.DataFrame(
        [
            {"doelgroep": "Gezin en verwanten", "van_toepassing": True, "last_informed_at": T0},
            {"doelgroep": "Gemeenteraad", "van_toepassing": True, "last_informed_at": None},
            {"doelgroep": "Scholen", "van_toepassing": False, "last_informed_at": None},
        ]
    )
    store.save_info_matrix(incident, rows, "Anna")
    informed = store.press_informed(incident)
    assert [(d, t is not None) for d, t in informed] == [("Gemeenteraad", False), ("Gezin en verwanten", True)]
    assert [f.rule for f in presend_warnings(informed)] == ["eerst_informeren_raad"]


def test_rumours_become_prompts(store, incident):
    from onrust.models import SignalInput

    store.add_signal(
        SignalInput(
            kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
            verification="ontkracht", severity=3, municipality="Uithoorn", neighbourhood="Thamerdal",
            occurred_at=T0, reported_at=T0, entered_at=T0, incident_id=incident,
            text="Er zou brand zijn gesticht", entered_by="Anna",
        )
    )
    rumours = store.press_rumours(incident)
    assert len(rumours) == 1 and rumours[0][0].startswith("signal:")
    assert rumours[0][1] == "Er zou brand zijn gesticht (ontkracht)"
