"""Meeting agendas (000 Bijlage 3, 4, 5), the stored meeting and its logbook lines, the handover
(000 §2.3): counted against the seeds and filled from a known state in a real DuckDB file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from comms.handover import build_handover, handover_blocks, handover_docx, handover_for, handover_pdf
from comms.meeting_export import agenda_docx, agenda_pdf
from comms.meetings import (
    Agenda,
    OpenTask,
    agenda_for,
    build_agenda,
    changes_since,
    decisions_to_take,
    load_meeting_data,
    open_tasks,
    save_meeting,
    task_lines,
)
from onrust.docx import read_docx_text
from onrust.errors import IncidentClosed, UserError
from onrust.models import RosterMember, SignalInput, Situation
from tests.seeds import between, bullets, seed, squeezed

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)  # 21:00 in Amsterdam
NOW = T0 + timedelta(hours=13)                  # zo 15-11-2026 10:00
SIT = Situation(
    at=NOW, temperature=61.4, trend_6h=4.2, phase=3, phase_name="Maatschappelijke onrust",
    phase_reason="temperatuur boven 55", official_phase=2, official_reason="eerste geruchten",
    reasons=("Volume: 40 berichten in 24 uur", "Signalen: 2 meldingen van de politie"),
    diagnosis_at=T0 + timedelta(hours=2), diagnosis_author="kernteam", diagnosis_advice="acuut",
    diagnosis=("A: hoog", "B: laag"))
EMPTY = Situation(None, None, None, None, "", "", None, "", ())
TASKS = [OpenTask("Feitenrelaas opvragen", NOW + timedelta(days=3), "OOV"),
         OpenTask("Gemeenteraad informeren", NOW - timedelta(hours=1), "burgemeester"),
         OpenTask("Nazorg plannen")]


def _seed_points(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()[:2] in {f"{n}." for n in range(1, 10)}]


@pytest.mark.parametrize("kind, start, end, count", [
    ("eerste", "Bijlage 3 Standaard Agenda 1e overleg Coördinatieteam", "Bijlage 4 Standaard", 7),
    ("vervolg", "verder \n", "Bijlage 5 Terugkerende", 9),
])
def test_agenda_points_are_the_seeds(kind, start, end, count):
    part = between(seed("000"), start, end)
    spec = load_meeting_data().agendas[kind]
    titles = [line.split(" ", 1)[1] for line in _seed_points(part)]
    assert len(spec.points) == len(titles) == count
    body = squeezed(part)
    for point in spec.points:
        assert squeezed(point.title) in body and all(squeezed(b) in body for b in point.bullets)
    # Every bullet and sub-bullet ("o Aard, omvang en ernst?"); the bollenschema's a) b) c) are its states.
    assert sum(len(p.bullets) for p in spec.points) == bullets(part, "•") + bullets(part, "o")


def test_ten_themes_three_states_and_the_handover_lists():
    data = load_meeting_data()
    themes = between(seed("000"), "Uitgangspunten / prioriteiten", "Bijlage 6 Checklist")
    assert len(data.themes) == bullets(themes, "-") == 10
    assert all(squeezed(t) in squeezed(themes) for t in data.themes)
    assert list(data.states.values()) == ["Speelt en is acuut", "Speelt maar is niet acuut", "Speelt niet"]
    part = between(seed("000"), "Een overdrachtsdocument wordt opgesteld op basis van:", "2.4 Fase III")
    # The seed's bullets: 3 inputs, the lead-in "De hierna volgende aandachtspunten worden benoemd.", 9 points.
    assert bullets(part, "•") == 3 + 1 + 9
    assert len(data.handover_inputs) == 3 and len(data.handover_points) == 9
    assert all(squeezed(x.text) in squeezed(part) for x in (*data.handover_inputs, *data.handover_points))


def _incident(store, **kw):
    return store.incident(store.create_incident("Onrust Zuid", "Uithoorn", T0, **kw))


def _signal(incident_id: int, at: datetime, text: str) -> SignalInput:
    return SignalInput(kind="melding", source_type="politie", reliability="B", credibility=2,
                       verification="onbevestigd", severity=3, municipality="Uithoorn", neighbourhood=None,
                       occurred_at=at, reported_at=at, entered_at=at, incident_id=incident_id, text=text,
                       entered_by="Anna")


def test_first_agenda_is_filled_from_the_known_state(store):
    incident = _incident(store, scenario="zedenzaak")
    store.save_roster(incident.id, [RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer", "06 1"),
                                    RosterMember("Politie", "Basisteamchef")], "Anna")
    store.add_signal(_signal(incident.id, T0 + timedelta(hours=1), "Oproep tot samenscholing bij de woning"))
    store.add_log_entry(incident.id, "besluit", "Extra surveillance", "driehoek", logged_at=T0 + timedelta(hours=2))
    agenda = agenda_for(store, incident, SIT, open_tasks=TASKS, now=NOW)
    assert agenda.kind == "eerste" and agenda.since == T0 and len(agenda.points) == 7
    by_title = {p.title: p.prefill for p in agenda.points}
    assert by_title["Opening"] == ("Burgemeester (Gemeente): Annelies Brouwer, 06 1",)
    assert by_title["Beeldvorming (Aard, Betrokkenen, Context)"] == (
        "Stand per zo 15-11-2026 10:00: temperatuur 61, trend +4 in 6 uur; fase 3 (Maatschappelijke onrust) "
        "volgens de indicator.",
        "Reden fase: temperatuur boven 55",
        "Waarom: Volume: 40 berichten in 24 uur",
        "Waarom: Signalen: 2 meldingen van de politie",
        "Officiële fase: 2 (eerste geruchten)",
        "Laatste crisisdiagnose (za 14-11-2026 23:00, kernteam): acuut",
        "A: hoog", "B: laag",
        "Sinds za 14-11-2026 21:00: 0 berichten, 1 signalen, 1 besluiten.",
        "Signaal: za 14-11-2026 22:00 melding (onbevestigd, ernst 3): Oproep tot samenscholing bij de woning",
    )
    assert by_title["Oordeelsvorming: oplossingsrichtingen"] == (
        "TE LAAT: Gemeenteraad informeren (uiterlijk zo 15-11-2026 09:00, burgemeester)",
        "Open: Feitenrelaas opvragen (uiterlijk wo 18-11-2026 10:00, OOV)",
        "Open: Nazorg plannen (zonder termijn)",
    )
    assert by_title["Besluitvorming"] == (
        "Te nemen: Officiële fase vaststellen: de indicator staat op fase 3 (Maatschappelijke onrust), "
        "officieel fase 2.",
        "Te nemen: Advies van de laatste crisisdiagnose (za 14-11-2026 23:00) bespreken: acuut",
        "Te nemen: Besluiten wie het woord voert (woordvoering, 004 §2.2.1: regievoering communicatie/woordvoering).",
        "Genomen sinds za 14-11-2026 21:00: za 14-11-2026 23:00 driehoek: Extra surveillance",
    )
    assert by_title["Tijdstip volgend overleg"] == ("In te vullen.",)
    assert [p.number for p in agenda.points if p.themes] == [4]


def test_a_stored_meeting_logs_its_decisions_and_the_next_agenda_follows_it(store):
    incident = _incident(store)
    first = agenda_for(store, incident, EMPTY, open_tasks=(), now=NOW)
    assert first.points[1].prefill[0] == "Nog geen temperatuur: er is nog niets gemeten voor dit incident."
    themes = {"Informeren": "acuut", "Ouders informeren": "niet_acuut"}
    meeting_id = save_meeting(store, incident.id, first, held_at=NOW, chair="Karin", author="Priya",
                              notes={3: "Veiligheid eerst ", 5: "  "}, themes=themes,
                              decisions=["Informatieavond  organiseren", " "], next_meeting=NOW + timedelta(hours=4))
    meeting = store.meeting(meeting_id)
    assert meeting.notes == {"3": "Veiligheid eerst"} and meeting.decisions == ("Informatieavond organiseren",)
    assert Agenda.from_dict(meeting.agenda) == first
    log = store.log_entries(incident.id)
    assert [(e.kind, e.text) for e in log] == [
        ("gebeurtenis", "Overleg Coördinatieteam/kernteam (1e overleg) gehouden, voorzitter Karin; 1 besluit(en); "
                        "volgend overleg zo 15-11-2026 14:00."),
        ("besluit", "Informatieavond organiseren")]
    assert {e.data["overleg"] for e in log} == {meeting_id}
    later = agenda_for(store, incident, EMPTY, open_tasks=(), now=NOW + timedelta(hours=4))
    assert later.kind == "vervolg" and len(later.points) == 9 and later.since == NOW
    assert later.previous_themes == themes
    assert later.points[3].prefill == ("Vorig overleg: Informeren: Speelt en is acuut",
                                       "Vorig overleg: Ouders informeren: Speelt maar is niet acuut")
    assert later.points[5].prefill == ("Nog geen scenario gekozen voor dit incident.",)
    assert later.points[8].prefill == ("Gepland bij het vorige overleg: zo 15-11-2026 14:00.",)
    # The previous meeting's decisions are reported back on, not listed as new since it.
    assert later.points[1].prefill[-1] == "Besluit van het vorige overleg: Informatieavond organiseren"
    assert later.points[7].prefill == (
        "Te nemen: Besluiten wie het woord voert (woordvoering, 004 §2.2.1: regievoering communicatie/woordvoering).",)


def test_bad_meeting_input_is_refused_in_dutch_and_nothing_is_stored(store):
    incident = _incident(store)
    agenda = agenda_for(store, incident, EMPTY, open_tasks=(), now=NOW)
    with pytest.raises(UserError) as err:
        save_meeting(store, incident.id, agenda, held_at=NOW, chair=" ", author="", notes={},
                     themes={"Onbekend": "acuut", "Informeren": "heel acuut"}, decisions=["x"],
                     next_meeting=NOW - timedelta(hours=1))
    assert str(err.value).splitlines() == [
        "Vul in wie het overleg voorzit.", "Vul in wie het verslag vastlegt.", "Onbekend thema: Onbekend.",
        "Onbekende stand in het bollenschema: heel acuut; kies uit acuut, niet_acuut, speelt_niet.",
        "Het volgende overleg moet na dit overleg liggen."]
    assert store.meetings(incident.id) == [] and store.log_entries(incident.id) == []


def test_a_closed_incident_takes_no_meeting_and_no_roster(store):
    incident = _incident(store)
    agenda = agenda_for(store, incident, EMPTY, open_tasks=(), now=NOW)
    store.close_incident(incident.id, NOW)
    with pytest.raises(IncidentClosed):
        save_meeting(store, incident.id, agenda, held_at=NOW, chair="K", author="P", notes={}, themes={},
                     decisions=["x"], next_meeting=None)
    with pytest.raises(IncidentClosed):
        store.save_roster(incident.id, [RosterMember("Gemeente", "Burgemeester")], "Anna")
    assert store.meetings(incident.id) == [] and store.roster(incident.id) == []


def test_changes_since_counts_only_the_window(store):
    incident = _incident(store)
    store.add_signal(_signal(incident.id, T0 + timedelta(hours=1), "eerder"))
    store.add_signal(_signal(incident.id, T0 + timedelta(hours=5), "later"))
    changes = changes_since(store, incident.id, T0 + timedelta(hours=2), NOW)
    assert changes.signal_count == 1 and changes.signals[0].endswith(": later") and changes.item_count == 0


def test_decisions_to_take_follow_the_state():
    agreed = replace(SIT, official_phase=3, diagnosis_advice="")
    assert decisions_to_take(agreed, {"woordvoering": {}}) == []
    assert decisions_to_take(EMPTY, {}) == [
        "Besluiten wie het woord voert (woordvoering, 004 §2.2.1: regievoering communicatie/woordvoering)."]


def _agenda(store):
    incident = _incident(store)
    return incident, build_agenda(incident, SIT, changes_since(store, incident.id, T0, NOW), [], open_tasks=TASKS,
                                  to_decide=["Fase vaststellen"], previous=None, now=NOW)


def test_agenda_exports_carry_points_prefill_themes_and_decisions(store):
    incident, agenda = _agenda(store)
    meeting_id = save_meeting(store, incident.id, agenda, held_at=NOW, chair="Karin", author="Priya",
                              notes={2: "Beeld klopt"}, themes={"Informeren": "acuut"},
                              decisions=["Raad vandaag informeren"], next_meeting=None)
    text = read_docx_text(agenda_docx(agenda, store.meeting(meeting_id), NOW))
    assert text.splitlines()[2] == "Intern document van het kernteam: bevat namen en signalen; niet verspreiden."
    assert "1. Opening" in text and "7. Tijdstip volgend overleg" in text
    assert "TE LAAT: Gemeenteraad informeren (uiterlijk zo 15-11-2026 09:00, burgemeester)" in text
    assert "Informeren | [x] | [ ] | [ ]" in text and "Ouders informeren | [ ] | [ ] | [ ]" in text
    assert "Beeld klopt" in text and "Raad vandaag informeren" in text and "Volgend overleg: niet gepland" in text
    blank = read_docx_text(agenda_docx(agenda, None, NOW))
    assert "Besluiten:" not in blank and "Thema | Speelt en is acuut | Speelt maar is niet acuut | Speelt niet" in blank
    pdf = agenda_pdf(agenda, store.meeting(meeting_id), NOW)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000


def test_handover_is_filled_from_the_same_state(store):
    incident = _incident(store)
    store.save_roster(incident.id, [RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer", "06 1"),
                                    RosterMember("GGD", "Procesleider PSH", "Femke Jonkers")], "Anna")
    store.add_strategy_decision(incident.id, "woordvoering", "Burgemeester", "Anna", at=T0 + timedelta(hours=1))
    agenda = agenda_for(store, incident, SIT, open_tasks=(), now=NOW)
    save_meeting(store, incident.id, agenda, held_at=NOW, chair="Karin", author="Priya",
                 notes={3: "Veiligheid van de kinderen eerst"}, themes={"Informeren": "acuut", "Ouders informeren":
                                                                       "speelt_niet"},
                 decisions=["Informatieavond organiseren"], next_meeting=None)
    doc = handover_for(store, incident, SIT, open_tasks=TASKS[:1], now=NOW)
    assert len(doc.inputs) == 3 and len(doc.points) == 9
    inputs = {s.text: s.lines for s in doc.inputs}
    assert inputs["Inventarisatie in de acute fase."] == (
        "Bollenschema van het overleg van zo 15-11-2026 10:00:", "Informeren: Speelt en is acuut",
        "Ouders informeren: Speelt niet")
    assert inputs["Laatste situatierapportages."][0].startswith("Stand per zo 15-11-2026 10:00: temperatuur 61")
    assert inputs["Besluitenlijst van het bestuur.."] == (
        "za 14-11-2026 22:00 Anna: Woordvoering: Burgemeester",
        "zo 15-11-2026 10:00 Priya: Informatieavond organiseren")
    points = {s.text: s.lines for s in doc.points}
    assert points["Bestuurlijke uitgangspunten benoemd in de acute fase."] == (
        "Prioriteit: Informeren (speelt en is acuut)", "zo 15-11-2026 10:00: Veiligheid van de kinderen eerst")
    assert points["Lopende activiteiten (uit de acute fase, die in de nazorg moeten doorlopen)."] == (
        "Open: Feitenrelaas opvragen (uiterlijk wo 18-11-2026 10:00, OOV)",)
    assert points["Overzicht van betrokken partners."] == (
        "Gemeente, Burgemeester: Annelies Brouwer (06 1)", "GGD, Procesleider PSH: Femke Jonkers")
    assert points["Overzicht van lopende informatiestromen en ingezette externe communicatiemiddelen."] == (
        "Besluit woordvoering: Burgemeester (za 14-11-2026 22:00)",)
    assert points["Belangrijke op korte termijn te nemen besluiten."] == (
        "Officiële fase vaststellen: de indicator staat op fase 3 (Maatschappelijke onrust), officieel fase 2.",
        "Advies van de laatste crisisdiagnose (za 14-11-2026 23:00) bespreken: acuut")
    assert points["Eventuele betrokkenheid van actoren uit de acute fase in de eerste fase nazorg."] == (
        "Betrokken in de acute fase: Gemeente, GGD.",)
    assert points["Voorstel eerste samenstelling Projectteam Nazorg."] == (
        "In te vullen door de Leider Nazorg en de adviseur OOV.",)
    text = read_docx_text(handover_docx(doc))
    assert "Overdrachtsdocument: Onrust Zuid" in text and "9. Eventuele betrokkenheid" in text
    assert handover_pdf(doc).startswith(b"%PDF-")


def test_an_empty_incident_gives_a_handover_that_says_what_is_missing():
    incident = type("I", (), {"name": "Leeg", "municipality": "Uithoorn"})()
    doc = build_handover(incident, EMPTY, meetings=[], decisions=[], roster=[], strategy={}, releases=[],
                         open_tasks=[], now=NOW)
    lines = [line for s in (*doc.inputs, *doc.points) for line in s.lines]
    assert "Nog geen overleg vastgelegd: de thema's zijn nog niet geïnventariseerd." in lines
    assert "Nog geen besluiten in het logboek." in lines and "Geen open taken." in lines
    assert len(handover_blocks(doc)) == 4 + 2 * 3 + 1 + 2 * 9


def test_a_closed_incident_is_read_at_its_close(store):
    from analysis.situation import situation_moment

    incident = _incident(store)
    assert situation_moment(incident, NOW + timedelta(minutes=7), 15) == NOW
    store.close_incident(incident.id, T0 + timedelta(hours=2, minutes=5))
    closed = store.incident(incident.id)
    assert situation_moment(closed, NOW + timedelta(days=30), 15) == T0 + timedelta(hours=2)


def test_open_tasks_come_from_the_incidents_task_list(store):
    from comms.tasks import complete_task, load_protocol

    protocol = load_protocol("003")
    incident = _incident(store)
    complete_task(store, protocol, incident.id, "003-1.1-1", "Anna", T0 + timedelta(hours=1), now=NOW)
    complete_task(store, protocol, incident.id, "003-1.1-2", "Anna", NOW + timedelta(hours=1),
                  now=NOW + timedelta(hours=1))
    tasks = open_tasks(store, incident, protocol, NOW)
    # 48 tasks; the first was done before NOW, the second only after it: open at NOW.
    assert len(tasks) == len(protocol.tasks) - 1 == 47
    assert tasks[0].title == "stap 1.1: Afdelingshoofd houdt contact met met directeur MO en directeur SMD"
    assert tasks[0].due_at == T0 + timedelta(hours=3) and tasks[0].overdue(NOW)
    assert task_lines(tasks[:1], NOW) == [
        "TE LAAT: stap 1.1: Afdelingshoofd houdt contact met met directeur MO en directeur SMD "
        "(uiterlijk zo 15-11-2026 00:00)"]
    assert len(open_tasks(store, incident, protocol, NOW + timedelta(hours=2))) == 46
