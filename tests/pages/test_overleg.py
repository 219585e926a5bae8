"""The Overleg page: Team (roster), Vergadering (agenda, stored meeting), Overdracht, Evaluatie."""

from __future__ import annotations

from datetime import UTC, datetime

from onrust.docx import read_docx_text
from onrust.models import RosterMember
from tests.pages.apptest import downloads, open_page, rendered_markdown

OPENED = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


def _button(at, label):
    [found] = [b for b in at.button if b.label == label]
    return found


def _incident(store) -> int:
    return store.create_incident("Onrust Zuid", "Uithoorn", OPENED)


def test_team_tab_shows_the_protocols_and_saves_the_roster(oidc_mode, app_store):
    iid = _incident(app_store)
    at = open_page("overleg.py", user="Anna")  # the roster's author is the login, not typed
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Team", "Vergadering", "Overdracht", "Evaluatie"]
    labels = [e.label for e in at.expander]
    assert "Taken kernteam (004 §2.2.1, 9)" in labels
    assert "Samenstelling Coördinatieteam (000 §2.2.4, 10 rollen)" in labels
    assert "Verantwoordelijkheden en taken kernteam (004 Bijlage 3, 6 partijen, 31 punten)" in labels
    editor = at.data_editor(key=f"roster_{iid}")
    assert len(editor.value) == 23 and list(editor.value["organisation"][:2]) == ["Gemeente", "Gemeente"]

    assert "overleg_author" not in {w.key for w in at.text_input}
    at.session_state[f"roster_{iid}"] = {**NO_EDITS, "edited_rows": {0: {"name": "Annelies Brouwer"}},
                                         "added_rows": [{"name": "Karin Veldkamp"}]}
    _button(at, "Rooster opslaan").click().run()
    assert [e.value for e in at.error] == ["Regel 24: vul de organisatie of de functie in."]
    at.session_state[f"roster_{iid}"] = {**NO_EDITS, "edited_rows": {0: {"name": "Annelies Brouwer"}}}
    _button(at, "Rooster opslaan").click().run()
    assert not at.exception and not at.error
    roster = app_store.roster(iid)
    assert len(roster) == 23 and roster[0] == RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer")
    assert "Annelies Brouwer" in [p.name for p in app_store.press_names(iid)]


def test_vergadering_tab_generates_the_agenda_and_stores_the_meeting(oidc_mode, app_store):
    iid = _incident(app_store)
    app_store.save_roster(iid, [RosterMember("Gemeente", "Burgemeester", "Annelies Brouwer")], "Anna")
    with downloads() as served:
        at = open_page("overleg.py", user="Priya")
    assert not at.exception
    assert at.radio(key=f"meeting_{iid}_0_kind").value == "eerste"
    texts = [t.value for t in at.text]
    assert "Burgemeester (Gemeente): Annelies Brouwer" in texts
    assert any(t.startswith("Stand per ") and "temperatuur 0, trend +0 in 6 uur; fase 1" in t for t in texts)
    assert "Officiële fase: nog niet vastgesteld" in texts
    agenda = read_docx_text(_served(served, "agenda-", ".docx"))
    assert "4. Oordeelsvorming: thema's die spelen bij dit incident adhv het bollenschema (bijlage 5)" in agenda
    assert _served(served, "agenda-", ".pdf").startswith(b"%PDF-")
    # Untrusted text is never Markdown: the seed's bullets are escaped, the pre-fill is st.text.
    assert not [m for m in rendered_markdown(at) if "Annelies" in m]

    key = f"meeting_{iid}_0"
    _button(at, "Overleg vastleggen").click().run()
    assert [e.value for e in at.error] == ["Vul in wie het overleg voorzit."]
    at.text_input(key=f"{key}_chair").input("Karin")
    at.radio(key=f"{key}_theme_1").set_value("acuut")
    at.text_area(key=f"{key}_note_3").input("Veiligheid eerst")
    at.text_area(key=f"{key}_decisions").input("Informatieavond organiseren\nRaad informeren")
    _button(at, "Overleg vastleggen").click().run()
    assert not at.exception and not at.error
    (meeting,) = app_store.meetings(iid)
    assert meeting.chair == "Karin" and meeting.author == "Priya" and meeting.notes == {"3": "Veiligheid eerst"}
    assert meeting.themes == {"Informeren": "acuut"}
    assert [e.text for e in app_store.log_entries(iid, decisions_only=True)] == [
        "Informatieavond organiseren", "Raad informeren"]
    # The next agenda is a later meeting's, with the themes as last marked.
    assert at.radio(key=f"meeting_{iid}_1_kind").value == "vervolg"
    assert at.radio(key=f"meeting_{iid}_1_theme_1").value == "acuut"
    assert at.text_area(key=f"meeting_{iid}_1_decisions").value == ""
    assert {b.label for b in at.download_button} >= {"Verslag (.docx)", "Verslag (PDF)"}


def test_overdracht_tab_shows_the_nine_points(app_db, app_store):
    _incident(app_store)
    with downloads() as served:
        at = open_page("overleg.py")
    assert not at.exception
    body = [m for m in at.markdown if m.value.startswith("**")]
    assert "**Voorstel eerste samenstelling Projectteam Nazorg.**" in [m.value for m in body]
    doc = read_docx_text(_served(served, "overdracht-", ".docx"))
    assert "Aandachtspunten" in doc and "9. Eventuele betrokkenheid van actoren" in doc
    assert _served(served, "overdracht-", ".pdf").startswith(b"%PDF-")


def test_evaluatie_tab_saves_answers_also_when_closed(oidc_mode, app_store):
    iid = _incident(app_store)
    app_store.close_incident(iid, OPENED, author="burgemeester")
    at = open_page("overleg.py", user="Afdelingshoofd")
    assert not at.exception
    assert _button(at, "Overleg vastleggen").disabled and _button(at, "Rooster opslaan").disabled
    assert not _button(at, "Evaluatie opslaan").disabled
    assert len([t for t in at.text_area if (t.key or "").startswith("eval_")]) == 24
    at.text_area(key="eval_003_3_3.5").input("Geruchten sneller weerspreken")
    _button(at, "Evaluatie opslaan").click().run()
    assert not at.exception and not at.error
    answer, by, _ = app_store.evaluation_answers(iid)["003_3_3.5"]
    assert (answer, by) == ("Geruchten sneller weerspreken", "Afdelingshoofd")
    assert at.text_area(key="eval_003_3_3.5").value == "Geruchten sneller weerspreken"


def _served(served: dict[str, bytes], prefix: str, suffix: str) -> bytes:
    """The one download named by the export pattern (what-incident-time.ext)."""
    (data,) = [v for k, v in served.items() if k.startswith(prefix) and k.endswith(suffix)]
    return data
