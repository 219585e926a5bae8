"""Communicatie flow (issue 13): the period's end applies to the checklist and the matrix, the
checklist edits in view, and the approval log compares versions side by side."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd

from comms import workflow
from comms.matrix import load_defaults, mark_informed, merge_defaults
from tests.pages.apptest import open_page

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


def _changes(item: str) -> pd.DataFrame:
    return pd.DataFrame([{"item_id": item, "status": "gedaan", "owner": "Anna", "note": ""}])


def test_a_past_period_shows_the_checklist_and_matrix_as_they_stood(app_db, app_store):
    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    app_store.save_checklist_changes(iid, "perscommunicatie", _changes("pers.v1"), "Anna", at=T0 + timedelta(hours=1))
    app_store.save_checklist_changes(iid, "perscommunicatie", _changes("pers.v2"), "Bram", at=T0 + timedelta(days=2))
    matrix = merge_defaults(app_store.info_matrix(iid), load_defaults())
    app_store.save_info_matrix(iid, mark_informed(matrix, "gemeenteraad", T0 + timedelta(days=2), "Anna", "brief"),
                               "Anna", at=T0 + timedelta(days=2))

    # The sidebar's period picker works in whole days: this period ends at 7 October 00:00.
    at = open_page("communicatie.py", comms_author="Anna", incident_id=iid,
                   time_range=(T0 - timedelta(days=1), T0 + timedelta(days=1)))
    assert not at.exception
    editor = at.data_editor(key=f"checklist_{iid}_perscommunicatie_0").value.set_index("item_id")
    assert editor.loc["pers.v1", "status"] == "gedaan" and editor.loc["pers.v2", "status"] == "open"
    assert any(c.value.startswith("Stand op wo 07-10-2026 00:00") for c in at.caption)
    assert next(b for b in at.button if b.label == "Wijzigingen opslaan").disabled
    informed = at.data_editor(key=f"matrix_{iid}_0").value.set_index("doelgroep")
    assert informed.loc["gemeenteraad", "last_informed_at"] == "—"  # informed after the period

    at = open_page("communicatie.py", comms_author="Anna")  # the incident's own period: live and editable
    editor = at.data_editor(key=f"checklist_{iid}_perscommunicatie_0").value.set_index("item_id")
    assert editor.loc["pers.v2", "status"] == "gedaan"
    assert not next(b for b in at.button if b.label == "Wijzigingen opslaan").disabled
    informed = at.data_editor(key=f"matrix_{iid}_0").value.set_index("doelgroep")
    assert informed.loc["gemeenteraad", "last_informed_at"] == "wo 07-10-2026 14:00"


def test_the_checklist_edits_in_view_with_every_row_reachable(app_db, app_store):
    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    app_store.save_checklist_changes(iid, "perscommunicatie", _changes("pers.v1"), "Anna", at=T0 + timedelta(hours=1))
    at = open_page("communicatie.py", comms_author="Anna")
    editor = at.data_editor(key=f"checklist_{iid}_perscommunicatie_0")
    config = json.loads(editor.proto.columns)
    shown = [c for c in editor.value.columns if not (config.get(c) or {}).get("hidden")]
    assert shown == ["nu", "text", "status", "owner", "note"]  # no sideways scrolling
    assert sum(config[c]["width"] for c in shown) <= 660  # the main column of a 1366 px screen
    assert len(editor.value) == 41  # every item in the one editor (its height fits all rows)
    first = editor.value.set_index("item_id").loc["pers.v1"]
    assert first["text"] == ("Wat is er gebeurd? Wat is er gebeurd, waar, met/door wie en waarom? "
                             "(000 Draaiboek Uithoorn, Bijlage 6, vraag 1)")
    history = next(d.value for d in at.dataframe if "changed_at" in d.value.columns)
    assert history["item_id"].tolist() == ["Wat is er gebeurd? Wat is er gebeurd, waar, met/door wie en waarom?"]


def test_the_approval_log_compares_versions_side_by_side(app_db, app_store):
    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    release = app_store.create_press_release(iid, {"titel": "Brand in Veldwijk", "wat": "Er woedt een brand."},
                                             "Anna")
    workflow.save_press_version(app_store, release, {"titel": "Brand in Veldwijk **geblust**",
                                                     "wat": "Er woedde een brand."}, "Bram")
    at = open_page("communicatie.py", comms_author="Anna", **{f"press_release_{iid}": release})
    assert not at.exception
    assert not [c for c in at.code if c.language == "diff"]
    bodies = [m.value for m in at.markdown]
    assert "Er :red-background[woedt] een brand." in bodies
    assert "Er :green-background[woedde] een brand." in bodies
    assert "Brand in Veldwijk :green-background[\\*\\*geblust\\*\\*]" in bodies  # typed text stays text
    [table] = [d for d in at.dataframe if "action" in d.value.columns]
    labels = [json.loads(table.proto.columns)[c]["label"] for c in table.value.columns]
    assert labels == ["Wanneer", "Versie", "Stap", "Van", "Naar", "Door", "Opmerking"]
    assert table.value["action"].tolist() == ["aangemaakt", "nieuwe versie"]
    assert table.value["from_status"].iloc[0] == "—"
    assert table.value["event_at"].iloc[0].count(":") == 1  # "wo 02-12-2026 03:39", not ISO


def test_the_period_applies_on_the_first_click(app_db, app_store):
    """A range picker returns one date after the first click; the period then is that day at once
    (it used to wait for a second click, and the pages kept showing the old period)."""
    from datetime import date

    app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    at = open_page("omgevingsbeeld.py")
    at.sidebar.date_input[0].set_value((date(2026, 10, 4),)).run()
    assert not at.exception
    assert any("zo 04-10-2026 00:00 tot ma 05-10-2026 00:00" in c.value for c in at.caption)


def test_a_past_period_shows_the_press_releases_as_they_stood(app_db, app_store):
    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    first = app_store.create_press_release(iid, {"titel": "Brand in Veldwijk"}, "Anna", at=T0 + timedelta(hours=1))
    assert app_store.set_press_status(first, "concept", "ter_controle", action="indienen", actor="Anna", version=1,
                                      at=T0 + timedelta(days=2))
    app_store.create_press_release(iid, {"titel": "Update Veldwijk"}, "Anna", at=T0 + timedelta(days=2))
    past = {"incident_id": iid, "time_range": (T0 - timedelta(days=1), T0 + timedelta(days=1))}

    at = open_page("communicatie.py", comms_author="Anna", **past)
    assert not at.exception
    choice = at.selectbox(key=f"press_release_{iid}")
    assert choice.options == ["+ Nieuw bericht", "Brand in Veldwijk · concept · versie 1"]  # not yet submitted
    at = open_page("communicatie.py", comms_author="Anna", **past, **{f"press_release_{iid}": first})
    assert not [b for b in at.button if b.label == "Opslaan als nieuwe versie"]  # read-only then
    assert any(m.value.startswith("**Status:** concept sinds ma 05-10-2026 15:00") for m in at.markdown)

    at = open_page("communicatie.py", comms_author="Anna")
    assert at.selectbox(key=f"press_release_{iid}").options == [
        "+ Nieuw bericht", "Update Veldwijk · concept · versie 1", "Brand in Veldwijk · ter controle · versie 1"]


def test_a_past_period_shows_the_phase_and_omgevingsbeeld_known_then(app_db, app_store):
    from analysis.omgevingsbeeld import Omgevingsbeeld, ReachRow

    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    beeld = Omgevingsbeeld(
        incident="Onrust Veldwijk", municipality="Veldwijk", generated_at=T0, period_start=T0,
        period_end=T0 + timedelta(hours=6), sections=(), questions=(), question_total=0, emotions=(), meanings=(),
        blamed=(), polarity=(), rumours=(), facts=(), calls=(), totals=ReachRow("totaal", 1, 1, 1, T0),
        by_reach=(), peak="ma 18:00", phases=(), places=(), actors=(), notable=(),
    )
    app_store.save_omgevingsbeeld(iid, beeld.to_dict(), "", "Analist", T0, T0 + timedelta(hours=6),
                                  created_at=T0 + timedelta(days=2))
    past = {"incident_id": iid, "time_range": (T0 - timedelta(days=1), T0 + timedelta(days=1))}
    at = open_page("communicatie.py", comms_author="Anna", **past)
    assert not at.exception
    assert "Nog geen omgevingsbeeld opgeslagen (pagina Omgevingsbeeld) vóór het einde van de periode." in [
        i.value for i in at.info]
    at = open_page("communicatie.py", comms_author="Anna")
    assert any(c.value.startswith("Versie 1, Analist") for c in at.caption)


def test_a_past_period_shows_the_strategy_decided_then(app_db, app_store):
    """The Strategie tab follows the period like the rest of the page: the decisions in force at
    its end, a note that a later one exists, and the history up to then."""
    iid = app_store.create_incident("Onrust Veldwijk", "Veldwijk", T0)
    app_store.add_strategy_decision(iid, "persbeleid", "Passief persbeleid", "Anna", phase=2,
                                    details={"beleid": "passief"}, at=T0 + timedelta(hours=2))
    app_store.add_strategy_decision(iid, "persbeleid", "Actief persbeleid", "Bram", phase=3,
                                    details={"beleid": "actief"}, at=T0 + timedelta(days=2))
    app_store.add_strategy_decision(iid, "accent", "Informatievoorziening", "Bram", phase=3,
                                    details={"aims": ["informatievoorziening"]}, at=T0 + timedelta(days=2))
    past = {"incident_id": iid, "time_range": (T0 - timedelta(days=1), T0 + timedelta(days=1))}

    at = open_page("communicatie.py", comms_author="Anna", **past)
    assert not at.exception
    shown = [m.value for m in at.markdown if m.value.startswith("**Vastgelegd:**")]
    assert shown == ["**Vastgelegd:** Passief persbeleid"]  # the accent came after the period
    assert at.radio(key="press_policy").value == "passief"
    assert ("Na deze periode vastgelegd: 2 strategiebesluiten (laatste op wo 07-10-2026 14:00). "
            "Kies een latere periode om ze te zien.") in [c.value for c in at.caption]
    history = at.dataframe[-1].value
    assert list(history["value"]) == ["Passief persbeleid"]

    at = open_page("communicatie.py", comms_author="Anna", incident_id=iid)
    shown = [m.value for m in at.markdown if m.value.startswith("**Vastgelegd:**")]
    assert shown == ["**Vastgelegd:** Informatievoorziening", "**Vastgelegd:** Actief persbeleid"]
    assert at.radio(key="press_policy").value == "actief"
    assert not [c for c in at.caption if c.value.startswith("Na deze periode vastgelegd: 2")]
