"""Communicatie page through the real app shell: every tab, edits saved with author and history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from analysis.omgevingsbeeld import ItemRef, Omgevingsbeeld, Question, ReachRow
from tests.pages.apptest import open_page

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
TABS = ["Checklist", "Persbericht", "Informatiebehoefte", "Strategie"]


def _tab(at, label: str):
    """A top-level tab of the page (the persbericht component has tabs of its own inside)."""
    return next(t for t in at.tabs if t.label == label)


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _incident(app_store) -> int:
    return app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)


def test_without_incident_the_page_says_what_to_do(app_db):
    at = open_page("communicatie.py")
    assert not at.exception
    assert at.title[0].value == "Communicatie"
    assert "Kies of maak eerst een incident" in at.info[0].value


def test_page_shows_all_tabs_and_the_context_column(app_db, app_store):
    _incident(app_store)
    at = open_page("communicatie.py")
    assert not at.exception
    # first occurrences: the persbericht component nests tabs of its own (one is also "Persbericht")
    assert [label for label in dict.fromkeys(t.label for t in at.tabs) if label in TABS] == TABS
    assert "Omgevingsbeeld" in [s.value for s in at.subheader]
    assert "Nog geen omgevingsbeeld opgeslagen" in " ".join(i.value for i in at.info)


def test_context_shows_questions_rumours_and_media_of_the_latest_omgevingsbeeld(app_db, app_store):
    iid = _incident(app_store)
    rumour = ItemRef(1, "Gerucht: *dader* vrijgelaten", "Facebookgroep Veldwijk", "sociaal", T0)
    media = ItemRef(2, "Onrust in Veldwijk na steekpartij", "RTV Oost", "regionaal", T0)
    beeld = Omgevingsbeeld(
        incident="Onrust Veldwijk", municipality="Veldwijk", generated_at=T0, period_start=T0,
        period_end=T0 + timedelta(hours=6), sections=(),
        questions=(Question("Is de school morgen open?", 4, ("RTV Oost",), T0),), question_total=1,
        emotions=(), meanings=(), blamed=(), polarity=(), rumours=(rumour,), facts=(), calls=(),
        totals=ReachRow("totaal", 12, 7, 5, T0),
        by_reach=(ReachRow("regionaal", 9, 5, 3, T0), ReachRow("sociaal", 3, 2, 2, T0)), peak="ma 18:00",
        phases=(), places=(),
        actors=(), notable=(media,),
    )
    app_store.save_omgevingsbeeld(iid, beeld.to_dict(), "Wijk blijft onrustig", "Omgevingsanalist",
                                  T0, T0 + timedelta(hours=6))
    at = open_page("communicatie.py")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Is de school morgen open? (4×)" in text
    assert r"Gerucht: \*dader\* vrijgelaten (Facebookgroep Veldwijk)" in text
    assert "Onrust in Veldwijk na steekpartij (RTV Oost, regionaal)" in text
    assert "12 berichten, 5 media; piek ma 18:00 (regionaal 9, sociaal 3)" in [c.value for c in at.caption]
    assert "Wijk blijft onrustig" in [t.value for t in at.text]


def test_checklist_tab_saves_edits_with_author_and_exports(oidc_mode, app_store):
    iid = _incident(app_store)
    at = open_page("communicatie.py", user="Anna")
    assert not at.exception
    assert at.selectbox(key="checklist_choice").value == "perscommunicatie"
    assert "0 van 41 gedaan" in at.get("progress")[0].proto.text
    editor = at.data_editor(key=f"checklist_{iid}_perscommunicatie_0")
    assert list(editor.value["item_id"][:3]) == ["pers.v1", "pers.v2", "pers.v3"]
    assert "rgba(255, 193, 7" not in str(editor.proto.arrow_data.styler)  # no phase yet: nothing marked
    assert {b.label for b in at.download_button} >= {"Markdown", "Word (docx)", "Excel (xlsx)"}

    at.session_state[f"checklist_{iid}_perscommunicatie_0"] = {
        **NO_EDITS, "edited_rows": {0: {"status": "gedaan", "owner": "Anna"}, 4: {"status": "n.v.t."}}}
    assert app_store.checklist_state(iid).empty
    assert "comms_author" not in {w.key for w in at.text_input}  # the author is the login, not typed
    _button(at, "Wijzigingen opslaan").click().run()
    assert not at.exception
    state = app_store.checklist_state(iid).set_index("item_id")
    assert state.loc["pers.v1", ["status", "owner", "updated_by"]].tolist() == ["gedaan", "Anna", "Anna"]
    assert state.loc["pers.v5", "status"] == "n.v.t."
    assert "2 item(s) opgeslagen door Anna." in [s.value for s in at.success]
    assert "1 van 40 gedaan" in at.get("progress")[0].proto.text
    sections = next(d.value for d in at.dataframe if "aandeel" in d.value.columns).set_index("section")
    first = sections.loc["Vraag 1-5: wat is er aan de hand"]
    assert (first["totaal"], first["gedaan"], first["nvt"], first["aandeel"]) == (5, 1, 1, 0.25)
    assert len(app_store.checklist_history(iid)) == 2


def test_checklist_tab_switches_list(app_db, app_store):
    iid = _incident(app_store)
    at = open_page("communicatie.py")
    at.selectbox(key="checklist_choice").set_value("aanpak").run()
    assert not at.exception
    assert "0 van 86 gedaan" in at.get("progress")[0].proto.text
    assert len(at.data_editor(key=f"checklist_{iid}_aanpak_0").value) == 86


def test_matrix_tab_shows_overdue_and_records_informing(oidc_mode, app_store):
    iid = _incident(app_store)
    at = open_page("communicatie.py", user="Bram")
    assert not at.exception
    warning = next(w.value for w in at.warning if w.value.startswith("Te laat"))
    assert warning.startswith("Te laat geïnformeerd (14): slachtoffers en verwanten, verdachte/dader en verwanten")
    assert "Het langst over tijd: slachtoffers en verwanten (uiterlijk ma 05-10-2026 17:00)." in warning
    assert ("Nog niet geïnformeerd (hoort vóór een persbericht): slachtoffers en verwanten, "
            "direct betrokkenen, gemeenteraad") in [i.value for i in at.info]
    editor = at.data_editor(key=f"matrix_{iid}_0")
    assert len(editor.value) == 14 and editor.value["achterstallig"].all()
    assert "rgba(220, 53, 69, 0.28)" in str(editor.proto.arrow_data.styler)  # overdue rows coloured

    at.selectbox(key="informed_group").set_value("gemeenteraad")
    at.text_input(key="informed_what").set_value("Raadsinformatiebrief over de aanpak")
    at.text_input(key="informed_by").set_value("Burgemeester")
    _button(at, "Vastleggen").click().run()
    assert not at.exception
    raad = app_store.info_matrix(iid).set_index("doelgroep").loc["gemeenteraad"]
    assert (raad["last_informed_by"], raad["last_informed_what"]) == (
        "Burgemeester", "Raadsinformatiebrief over de aanpak")
    assert raad["updated_by"] == "Bram"
    assert "Vastgelegd: gemeenteraad geïnformeerd door Burgemeester." in [s.value for s in at.success]
    assert ("Nog niet geïnformeerd (hoort vóór een persbericht): slachtoffers en verwanten, direct betrokkenen"
            in [i.value for i in at.info])

    at.session_state[f"matrix_{iid}_1"] = {**NO_EDITS, "edited_rows": {9: {"notes": "RTV Oost belt elk uur"}}}
    _button(at, "Matrix opslaan").click().run()
    assert not at.exception
    assert app_store.info_matrix(iid).set_index("doelgroep").loc["pers", "notes"] == "RTV Oost belt elk uur"
    assert len(app_store.info_matrix_history(iid)) == 2


def test_matrix_tab_adds_a_group(oidc_mode, app_store):
    iid = _incident(app_store)
    at = open_page("communicatie.py", user="Bram")
    at.text_input(key="add_group_name").set_value("Moskeebestuur De Vrede")
    _button(at, "Toevoegen").click().run()
    assert not at.exception
    assert list(app_store.info_matrix(iid)["doelgroep"]) == ["Moskeebestuur De Vrede"]
    assert at.data_editor(key=f"matrix_{iid}_1").value["doelgroep"].iloc[-1] == "Moskeebestuur De Vrede"


def test_strategy_tab_records_accent_press_policy_and_woordvoering(oidc_mode, app_store):
    iid = _incident(app_store)
    at = open_page("communicatie.py", user="Cor")
    assert not at.exception
    headings = ("Communicatiedoelen", "Persbeleid", "Wie voert het woord?")
    assert [s.value for s in at.subheader if s.value in headings] == [
        "Communicatiedoelen", "Persbeleid", "Wie voert het woord?"]

    at.multiselect(key="accent_aims").set_value(["schadebeperking", "betekenisgeving"])
    _button(at, "Accent vastleggen").click().run()
    at.radio(key="press_policy").set_value("passief")
    _button(at, "Persbeleid vastleggen").click().run()
    at.checkbox(key="wv_driehoek").check()
    at.checkbox(key="wv_strafbaar").check()
    _button(at, "Bepaal en leg vast").click().run()
    assert not at.exception

    current = app_store.current_strategy(iid)
    assert current["accent"]["value"] == "Schadebeperking + Betekenisgeving"
    assert current["persbeleid"]["value"] == "Passief persbeleid"
    assert current["woordvoering"]["value"] == (
        "Gemeente Veldwijk voert het woord. Daarnaast: OM (over strafbare feiten).")
    assert [s["rule"] for s in current["woordvoering"]["details"]["stappen"]] == ["driehoek", "strafbaar", "afstemming"]
    assert {current[k]["decided_by"] for k in current} == {"Cor"}
    shown = " ".join(m.value for m in at.markdown)
    assert "**Vastgelegd:** Gemeente Veldwijk voert het woord." in shown
    assert "Is de veiligheidsdriehoek (burgemeester, OM, politie) betrokken? **ja**" in shown

    at.checkbox(key="wv_driehoek").uncheck()
    at.radio(key="wv_kader").set_value("jeugdwet")
    _button(at, "Bepaal en leg vast").click().run()
    assert "Vul de woonplaatsgemeente van de jeugdige in." in [e.value for e in at.error]
    assert len(app_store.strategy_decisions(iid, "woordvoering")) == 1


def test_press_tab_renders_the_persbericht_component_without_a_name_field(app_db, app_store):
    _incident(app_store)
    at = open_page("communicatie.py")
    assert not at.exception
    press = _tab(at, "Persbericht")
    assert len(press.children) > 0
    # Versions and steps are recorded as the logged-in user (tests/pages/test_persbericht_tab.py).
    assert not {"press_author", "comms_author"} & {w.key for w in at.text_input}


def test_official_phase_and_temperature_drive_the_highlighting(app_db, app_store):
    iid = _incident(app_store)
    points = pd.DataFrame({
        "at": [T0 + timedelta(hours=1)], "formula_version": ["t1"], "has_data": [True],
        "temperature": [64.0], "phase": [3], "volume": [1.0], "spread": [1.0], "tone": [1.0],
        "escalation": [1.0], "signals": [1.0], "politicisation": [1.0], "reason": [""],
    })
    app_store.save_temperature_points(iid, points)
    at = open_page("communicatie.py")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Berekende fase"] == "3" and metrics["Temperatuur"] == "64"
    assert any(c.value.startswith("Maatschappelijke onrust · stand van") for c in at.caption)
    assert "Nog geen officiële fase vastgesteld" in " ".join(c.value for c in at.caption)
    assert any("open items zijn nu (MO-fase 3) van belang; ze zijn gemarkeerd" in c.value for c in at.caption)
    assert at.selectbox(key="checklist_choice").options[3] == (
        "Checklist aanpak (dreigende) maatschappelijke onrust (004 Handreiking, Bijlage 5) · 65 open nu")

    app_store.record_official_phase(iid, 2, "Driehoek schat dreiging in", "Burgemeester",
                                    decided_at=T0 + timedelta(hours=2))
    at = open_page("communicatie.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Officiële MO-fase"] == "2"
    assert any(c.value.startswith("Dreigende maatschappelijke onrust · besluit") for c in at.caption)
    styled = at.data_editor(key=f"checklist_{iid}_perscommunicatie_0")
    assert "rgba(255, 193, 7, 0.28)" in str(styled.proto.arrow_data.styler)  # phase items coloured
    editor = styled.value
    phase2 = {"pers.v1", "pers.v2", "pers.v3", "pers.v4", "pers.v5"}
    assert phase2 <= set(editor.loc[editor["nu"], "item_id"])
    assert list(editor["item_id"][:2]) == ["pers.v1", "pers.v2"]  # seed order, phase items marked
    assert "pers.v8.autoriteit" in set(editor.loc[~editor["nu"], "item_id"])  # fases 3-4 only
    assert "Advies fase 2 (Dreigende maatschappelijke onrust): Informatievoorziening." in " ".join(
        c.value for c in at.caption)
