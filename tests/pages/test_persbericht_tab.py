"""Persbericht tab (dashboard.components.persbericht) in a tiny script, as the Communicatie page calls it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from comms.press import fields_to_dict
from tests.comms.press_example import EXAMPLE
from tests.pages.apptest import sign_in

T0 = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)

FIELDS = fields_to_dict(replace(EXAMPLE, telefoon="14 0297"))


def _script() -> None:
    from dashboard import auth, data
    from dashboard.components.persbericht import render_press_tab

    render_press_tab(data.incidents()[0], auth.require_page("communicatie"))


def _open(user: str, **session: object) -> AppTest:
    """The tab as `user` sees it after an OIDC login (the tests use the oidc_mode fixture)."""
    at = sign_in(AppTest.from_function(_script, default_timeout=60), user)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _by_label(widgets, label: str):
    return next(w for w in widgets if w.label.startswith(label))


def test_new_release_is_saved_and_checked(oidc_mode, app_store):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    app_store.add_incident_person(incident, "Mark de Vries", "slachtoffer", "Anna")
    at = _open("Anna")
    # An empty new form starts calm: what to fill in, no wall of findings.
    assert not at.error and not at.warning
    assert any(i.value.startswith("Nog niets ingevuld.") and "Kop; Wat is er gebeurd?" in i.value for i in at.info)
    _by_label(at.text_input, "Kop").input("Brand in woning Thamerdal")
    _by_label(at.text_area, "Wat is er gebeurd?").input("Bij de brand kwam M. de Vries om het leven.")
    _by_label(at.text_area, "Warmte en empathie").input("Onze gedachten zijn bij de familie.")
    next(b for b in at.button if b.label == "Opslaan als nieuwe versie").click()
    at.run()
    assert not at.exception
    releases = app_store.press_releases(incident)
    assert [(r.latest.version, r.latest.author, r.status) for r in releases] == [(1, "Anna", "concept")]
    assert releases[0].latest.fields["wat"] == "Bij de brand kwam M. de Vries om het leven."
    errors = [e.value for e in at.error]
    assert any(e.startswith("Naam van een betrokkene · Wat is er gebeurd? — “M. de Vries”") for e in errors)
    # the missing parts come as one list, not one block each
    (missing,) = [e for e in errors if e.startswith("Verplicht onderdeel ontbreekt")]
    assert missing.startswith("Verplicht onderdeel ontbreekt (6): ") and "Wanneer?" in missing
    assert "Namen van betrokkenen (1)" in at.expander[0].label


def test_review_workflow_four_eyes_and_presend_warning(oidc_mode, app_store):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    next(b for b in at.button if b.label == "Ter controle aanbieden").click()
    at.run()
    assert app_store.press_release(rid).status == "ter_controle"
    next(b for b in at.button if b.label == "Goedkeuren").click()
    at.run()
    assert any("Anna schreef deze versie" in e.value for e in at.error)
    assert app_store.press_release(rid).status == "ter_controle"

    sign_in(at, "Bram").run()
    next(b for b in at.button if b.label == "Goedkeuren").click()
    at.run()
    assert app_store.press_release(rid).status == "goedgekeurd"
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Eerst informeren: direct betrokkenen en verwanten") for w in warnings)
    assert any(w.startswith("Eerst informeren: gemeenteraad") for w in warnings)
    next(b for b in at.button if b.label == "Markeren als verstuurd").click()
    at.run()
    assert any("Vink eerst aan" in e.value for e in at.error)
    assert app_store.press_release(rid).status == "goedgekeurd"
    at.checkbox(key=f"press_ack_{rid}").check()
    next(b for b in at.button if b.label == "Markeren als verstuurd").click()
    at.run()
    assert app_store.press_release(rid).status == "verstuurd"
    events = app_store.press_events(rid)
    assert list(events["action"]) == ["aangemaakt", "indienen", "goedkeuren", "versturen"]
    assert len(events["warnings"].iloc[-1]) == 2


def test_generated_texts_and_social_copy(oidc_mode, app_store):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    codes = [c.value for c in at.code]
    assert any(c.startswith("PERSBERICHT\n\nBrand in woning Thamerdal\n\nUithoorn, ") for c in codes)
    social = next(c for c in codes if c.startswith("Brand in woning Thamerdal\nBij een brand"))
    assert len(social) <= 280 and social.endswith("Meer informatie: uithoorn.nl/calamiteit")
    assert any(c.startswith("RAADSINFORMATIE") for c in codes)
    assert any("tekens (max. 280)" in c.value for c in at.caption)
    assert not [e for e in at.error if "blokkerend" in e.value]


def test_rumours_are_offered_and_answers_recorded(oidc_mode, app_store):
    from onrust.models import SignalInput

    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    app_store.add_signal(
        SignalInput(
            kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
            verification="ontkracht", severity=3, municipality="Uithoorn", neighbourhood="Thamerdal",
            occurred_at=T0, reported_at=T0, entered_at=T0, incident_id=incident,
            text="De brand is aangestoken", entered_by="Anna",
        )
    )
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    box = _by_label(at.text_area, "Weerleg: De brand is aangestoken (ontkracht)")
    assert "0 van 1 behandeld" in " ".join(c.value for c in at.caption)
    box.input("De brandweer heeft geen aanwijzingen voor brandstichting gevonden.")
    next(b for b in at.button if b.label == "Opslaan als nieuwe versie").click()
    at.run()
    assert not at.exception
    latest = app_store.press_release(rid).latest
    assert latest.version == 2
    assert [(a["kind"], a["prompt"]) for a in latest.fields["addressed"]] == [
        ("gerucht", "De brand is aangestoken (ontkracht)")
    ]
    assert any("geen aanwijzingen voor brandstichting" in c.value for c in at.code if c.value.startswith("PERSBERICHT"))
    assert "1 van 1 behandeld" in " ".join(c.value for c in at.caption)


def test_alike_rumours_are_asked_once_and_the_answer_covers_all(oidc_mode, app_store):
    from onrust.models import SignalInput

    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    for n, text in enumerate(("De brand in de flat is aangestoken door jongeren",
                              "Jongeren hebben de brand in de flat aangestoken",
                              "De school blijft morgen dicht")):
        app_store.add_signal(SignalInput(
            kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
            verification="onbevestigd", severity=3, municipality="Uithoorn", neighbourhood=None,
            occurred_at=T0.replace(minute=n), reported_at=T0.replace(minute=n), entered_at=T0,
            incident_id=incident, text=text, entered_by="Anna"))
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    boxes = [t for t in at.text_area if t.label.startswith("Weerleg: ")]
    assert len(boxes) == 2
    assert any(t.label.endswith("(en 1 vergelijkbare)") for t in boxes)
    assert "0 van 2 behandeld" in " ".join(c.value for c in at.caption)
    grouped = next(t for t in boxes if t.label.endswith("(en 1 vergelijkbare)"))
    grouped.input("Er zijn geen aanwijzingen dat de brand is aangestoken.")
    next(b for b in at.button if b.label == "Opslaan als nieuwe versie").click()
    at.run()
    assert not at.exception
    addressed = app_store.press_release(rid).latest.fields["addressed"]
    assert len(addressed) == 2 and {a["answer"] for a in addressed} == {
        "Er zijn geen aanwijzingen dat de brand is aangestoken."}
    persbericht = next(c.value for c in at.code if c.value.startswith("PERSBERICHT"))
    assert persbericht.count("geen aanwijzingen dat de brand is aangestoken") == 1


def test_register_and_remove_involved_names(oidc_mode, app_store):
    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    at = _open("Anna")
    _by_label(at.text_input, "Naam").input("Fatima El Amrani")
    next(b for b in at.button if b.label == "Naam registreren").click()
    at.run()
    assert not at.exception
    assert [(p.name, p.role, p.added_by) for p in app_store.incident_persons(incident)] == [
        ("Fatima El Amrani", "slachtoffer", "Anna")
    ]
    assert "Namen van betrokkenen (1)" in at.expander[0].label
    pid = app_store.incident_persons(incident)[0].id
    at.selectbox(key=f"press_person_rm_{incident}").select(pid)
    at.run()
    next(b for b in at.button if b.label == "Verwijderen").click()
    at.run()
    assert not at.exception
    assert app_store.incident_persons(incident) == []
    assert "Namen van betrokkenen (0)" in at.expander[0].label


def test_om_decision_preselects_criminal_investigation(oidc_mode, app_store):
    incident = app_store.create_incident("Steekpartij", "Enschede", T0)
    app_store.add_strategy_decision(
        incident, "woordvoering", "Gemeente Enschede voert het woord. Daarnaast: OM (over strafbare feiten).",
        "Anna", details={"vraag": {"strafbaar_feit": True}},
    )
    at = _open("Anna")
    assert _by_label(at.checkbox, "Het OM leidt").value is True
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    assert _by_label(at.checkbox, "Het OM leidt").value is False
    assert any("het OM voert daarover het woord" in i.value for i in at.info)


def _exports(served: dict[str, bytes], incident: int) -> dict[str, str]:
    """Every press file the tab offers, as text (Word files read back)."""
    from onrust.docx import read_docx_text

    # Served as "<what>-<incident name>-<yyyy-mm-dd-hhmm>.<ext>" (onrust.display.export_name); keyed
    # here as "<what>-<incident id>.<ext>" for the assertions below.
    press = ("woordvoeringslijn", "persbericht", "website", "social", "bewonersbrief", "raadsinformatie")
    pattern = re.compile(rf"^({'|'.join(press)})-[a-z0-9-]+-\d{{4}}-\d\d-\d\d-\d{{4}}\.(docx|md|txt)$")
    names = {f"{m[1]}-{incident}.{m[2]}": n for n in served if (m := pattern.match(n))}
    assert f"woordvoeringslijn-{incident}.docx" in names and f"persbericht-{incident}.txt" in names
    return {k: read_docx_text(served[n]) if n.endswith(".docx") else served[n].decode() for k, n in names.items()}


def test_draft_exports_are_marked_concept_and_never_carry_a_registered_name(oidc_mode, app_store):
    from tests.pages.apptest import downloads

    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    app_store.add_incident_person(incident, "Mark de Vries", "slachtoffer", "Anna")
    named = replace(EXAMPLE, titel="Brand bij familie De Vries",
                    wat="Bij de brand kwam M. de Vries om het leven.",
                    empathie="Onze gedachten zijn bij Mark de Vries en zijn familie.")
    rid = app_store.create_press_release(incident, fields_to_dict(named), "Anna")
    with downloads() as served:
        at = _open("Anna", **{f"press_release_{incident}": rid})
    assert any("Naam van een betrokkene" in e.value for e in at.error)  # the blocking findings are open
    files = _exports(served, incident)
    assert len(files) == 1 + 5 * 3  # the woordvoeringslijn, and Word/Markdown/text of every variant
    for name, text in files.items():
        assert "Vries" not in text, name
        assert "[naam]" in text, name
        first = text.splitlines()[0]
        assert first.startswith(("CONCEPT – ", "# CONCEPT – ")), (name, first)
        assert "CONCEPT – niet verspreiden: status concept, nog niet goedgekeurd." in text, name
    assert files[f"persbericht-{incident}.txt"].startswith(
        "CONCEPT – Persbericht: Brand bij familie [naam]\n")
    assert all("Vries" not in c.value for c in at.code)  # the copy buttons hand out the same texts
    shown = [t.value for t in at.text if not t.value.startswith("slachtoffer: ")]  # the confidential list
    assert shown and all("Vries" not in t for t in shown)


def test_approved_exports_are_not_marked_concept(oidc_mode, app_store):
    from tests.pages.apptest import downloads

    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    rid = app_store.create_press_release(incident, FIELDS, "Anna")
    assert app_store.set_press_status(rid, "concept", "goedgekeurd", action="goedkeuren", actor="Bram",
                                      version=1)
    with downloads() as served:
        _open("Anna", **{f"press_release_{incident}": rid})
    files = _exports(served, incident)
    assert not [name for name, text in files.items() if "CONCEPT" in text]
    assert files[f"persbericht-{incident}.txt"].startswith("PERSBERICHT\n")


def test_roster_names_are_listed_blocked_and_masked(oidc_mode, app_store):
    from onrust.models import RosterMember
    from tests.pages.apptest import downloads

    incident = app_store.create_incident("Brand Thamerdal", "Uithoorn", T0)
    app_store.save_roster(incident, [RosterMember("Gemeente", "Adviseur veiligheid", "Karin Veldkamp")], "Anna")
    leaked = replace(EXAMPLE, maatregelen="Adviseur veiligheid Karin Veldkamp regelt de opvang voor de buren.")
    rid = app_store.create_press_release(incident, fields_to_dict(leaked), "Anna")
    with downloads() as served:
        at = _open("anna", **{f"press_release_{incident}": rid})
    assert "Namen van betrokkenen (1)" in at.expander[0].label
    assert "teamlid (Adviseur veiligheid): Karin Veldkamp (uit het rooster)" in [t.value for t in at.text]
    assert any("Naam van een betrokkene" in e.value for e in at.error)
    files = _exports(served, incident)
    assert all("Veldkamp" not in text for text in files.values())


def test_criminal_case_phase_is_chosen_stored_and_makes_details_blocking(oidc_mode, app_store):
    """004 Bijlage 4: in fase 1 of a criminal case investigation details may not go out."""
    incident = app_store.create_incident("Zedenzaak Kolkhoek", "Uithoorn", T0)
    fields = {**FIELDS, "wat": "De politie heeft een verdachte aangehouden."}
    rid = app_store.create_press_release(incident, fields, "Anna")
    at = _open("Anna", **{f"press_release_{incident}": rid})
    assert not any("fase 1 van de strafzaak" in e.value for e in at.error)
    _by_label(at.selectbox, "Fase van de strafzaak").set_value(1)
    next(b for b in at.button if b.label == "Opslaan als nieuwe versie").click()
    at.run()
    assert not at.exception
    assert app_store.press_release(rid).latest.fields["strafzaak_fase"] == 1
    assert any(e.value.startswith("Detail uit het onderzoek in fase 1 van de strafzaak") for e in at.error)
