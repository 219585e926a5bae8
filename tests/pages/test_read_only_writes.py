"""Every page form that writes, on a chmod 0444 database file: the write is refused with a clear
Dutch message, DuckDB's own text sits behind an expander, nothing is stored and the page goes on
rendering. As root a chmod does not stop writes, so the dashboard opens a file nobody may write
in DuckDB's read-only mode (onrust/store/shared.py); DuckDB then refuses every statement that writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.signals import scales, validate_signal
from comms.logbook import add_entry
from onrust.auth import local_user
from onrust.errors import UserError
from onrust.settings import load_settings
from onrust.store import DatabaseReadOnly, Store
from onrust.store.shared import close_shared, shared_store
from onrust.timeutil import utcnow
from tests.collectors.conftest import FeedServer, fixture_bytes
from tests.pages.apptest import open_page
from tests.resilience.procs import LOOPBACK_CONFIG

MESSAGE = "De database is alleen-lezen"
DUCKDB = "read-only mode"
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


@dataclass(frozen=True)
class Archive:
    db: Path
    open_id: int
    closed_id: int
    feed_url: str


def _signal(incident_id: int) -> object:
    outcome = validate_signal({
        "kind": "gerucht", "source_type": "sociale media", "reliability": "C", "credibility": 3,
        "verification": "onbevestigd", "severity": 3, "municipality": "Uithoorn", "neighbourhood": "Thamerdal",
        "occurred_at": "gisteren 21:30", "reported_at": "nu", "text": "Oproep om samen te komen",
        "entered_by": "analist", "incident": incident_id}, now=utcnow())
    assert not isinstance(outcome, list), outcome
    return outcome


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """An open incident with a signal, a task list, a logbook line and a press release, and a
    closed one; then chmod 0444, as an archived copy."""
    tmp = tmp_path_factory.mktemp("archief")
    db = tmp / "archief.duckdb"
    feeds = FeedServer()
    feed_url = feeds.add("/feed.xml", body=fixture_bytes("rss2.xml"),
                         headers={"Content-Type": "application/rss+xml"})
    with Store.open(db) as store:
        store.migrate()
        opened = utcnow() - timedelta(days=2)
        open_id = store.create_incident("Brand Thamerdal", "Uithoorn", opened)
        closed_id = store.create_incident("Oud incident", "Uithoorn", opened - timedelta(days=30))
        store.close_incident(closed_id, opened - timedelta(days=20))
        store.add_source("NOS", kind="rss", url="https://feeds.nos.nl/nosnieuwsalgemeen", reach="landelijk")
        store.add_signal(_signal(open_id))
        add_entry(store, open_id, "besluit", "Eerste besluit", "analist")
        viewer = local_user(load_settings().auth).id  # visited before: the page offers "Alles gelezen"
        store.record_visit(viewer, open_id, "omgevingsbeeld", opened)
    db.chmod(0o444)
    yield Archive(db, open_id, closed_id, feed_url)
    close_shared(db)
    feeds.close()


@pytest.fixture
def ro(archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Archive:
    config = tmp_path / "loopback.toml"  # "Testen en toevoegen" fetches the loopback feed first
    config.write_text(LOOPBACK_CONFIG, encoding="utf-8")
    monkeypatch.setenv("ONRUST_DB", str(archive.db))
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    return archive


def _counts(db: Path) -> dict[str, int]:
    """Rows per table: a refused write leaves every count as it was."""
    with Store.open(db, read_only=True) as store:
        tables = [t for (t,) in store.fetchall("select table_name from information_schema.tables"
                                               " where table_schema = 'main' and table_type = 'BASE TABLE'")]
        return {t: int(store.scalar(f'select count(*) from "{t}"')) for t in tables}


def _by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def _button(at: AppTest, label: str, key: str | None = None):
    return next(b for b in at.button if b.label == label and (key is None or key in (b.key or "")))


def _fill_new_incident(at: AppTest, a: Archive) -> None:
    _by_label(at.sidebar.text_input, "Naam").input("Nieuwe onrust")
    _by_label(at.sidebar.text_input, "Gemeente").input("Uithoorn")


def _fill_first_eval(at: AppTest, a: Archive) -> None:
    next(t for t in at.text_area if (t.key or "").startswith("eval_")).input("Goed verlopen")


def _fill_first_person(at: AppTest, a: Archive) -> None:
    _by_label(at.text_input, "Naam").input("Jan de Vries")


def _none(at: AppTest, a: Archive) -> None:
    pass


def _set(**values: object) -> Callable[[AppTest, Archive], None]:
    """Type into widgets by key; keys may hold {o} for the open incident's id."""
    def fill(at: AppTest, a: Archive) -> None:
        for key, value in values.items():
            key = key.format(o=a.open_id)
            next(w for kind in ("text_input", "text_area", "selectbox")
                 for w in getattr(at, kind) if w.key == key).set_value(value)
    return fill


def _state(key: str, edits: dict) -> Callable[[AppTest, Archive], None]:
    """A data_editor edit as the browser sends it (session state under the editor's key)."""
    def fill(at: AppTest, a: Archive) -> None:
        at.session_state[key.format(o=a.open_id)] = {**NO_EDITS, **edits}
    return fill


def _fill_add_source(at: AppTest, a: Archive) -> None:
    _by_label(at.text_input, "Naam").input("Lokale omroep")
    _by_label(at.text_input, "Adres (https://…)").input(a.feed_url)


def _choose_sources(at: AppTest, a: Archive) -> None:
    _by_label(at.multiselect, "Bronnen die verzameld worden").set_value([])


def _choose_aim(at: AppTest, a: Archive) -> None:
    box = at.multiselect(key="accent_aims")
    box.set_value([box.options[0]])


def _fill_signal(at: AppTest, a: Archive) -> None:
    for field, value in (("kind", "melding"), ("source_type", "inwoner"), ("reliability", "B"), ("credibility", 2),
                         ("severity", 2)):
        at.selectbox(key=f"new0_{field}").set_value(value)
    at.text_input(key="new0_occurred_at").input("gisteren 09:00")
    at.text_area(key="new0_text").input("Bewoners melden een samenscholing")


def _edit_signal(at: AppTest, a: Archive) -> None:
    area = next(t for t in at.text_area if (t.key or "").startswith("edit") and t.key.endswith("_text"))
    area.input("Oproep om samen te komen (aangevuld)")


def _route_signal(at: AppTest, a: Archive) -> None:
    at.selectbox(key="route0_member").set_value(next(iter(scales().driehoek)))
    at.text_input(key="route0_received").input("Teamchef politie")


def _upload_signals(at: AppTest, a: Archive) -> None:
    rows = ("Soort;Brontype;Betrouwbaarheid bron;Geloofwaardigheid informatie;Verificatie;Ernst;Gemeente;"
            "Gebeurd op;Gemeld op;Tekst\n"
            "melding;inwoner;B;2;onbevestigd;2;Uithoorn;01-12-2026 09:00;01-12-2026 09:10;Samenscholing\n")
    at.file_uploader(key="signal_upload").set_value(("signalen.csv", rows.encode(), "text/csv")).run()


# (page, what is typed first, the button's label, part of its key when the label is not unique).
# Omgevingsbeeld "Alles gelezen" and the rumour status need items and are covered by their own tests.
CASES = {
    "incident afsluiten": ("over.py", _none, "Afsluiten", "close_incident"),
    "incident openen": ("over.py", _fill_new_incident, "Incident openen", None),
    "kijkprofiel": ("omgevingsbeeld.py", _none, "Opslaan en opnieuw koppelen", None),
    "officiële fase": ("temperatuur.py", _set(official_reason="Besluit driehoek", official_phase_choice=2),
                       "Vastleggen", "official_phase"),
    "diagnose": ("temperatuur.py", _none, "Diagnose vastleggen", None),
    "nieuw signaal": ("signalen.py", _fill_signal, "Signaal opslaan", None),
    "signaal bewerken": ("signalen.py", _edit_signal, "Wijzigingen opslaan", "signal_edit"),
    "doorleiden": ("signalen.py", _route_signal, "Doorleiding vastleggen", None),
    "signalen importeren": ("signalen.py", _upload_signals, "Importeren", None),
    "checklist": ("communicatie.py", _state("checklist_{o}_perscommunicatie_0",
                                            {"edited_rows": {0: {"status": "gedaan"}}}),
                  "Wijzigingen opslaan", "checklist_save"),
    "naam betrokkene": ("communicatie.py", _fill_first_person, "Naam registreren", None),
    "persbericht": ("communicatie.py", _none, "Opslaan als nieuwe versie", None),
    "matrix": ("communicatie.py", _state("matrix_{o}_0", {"edited_rows": {9: {"notes": "RTV Oost belt"}}}),
               "Matrix opslaan", None),
    "geïnformeerd": ("communicatie.py", _set(informed_what="Raadsbrief", informed_by="Burgemeester"),
                     "Vastleggen", "matrix_informed"),
    "doelgroep": ("communicatie.py", _set(add_group_name="Moskeebestuur"), "Toevoegen", "matrix_add"),
    "accent": ("communicatie.py", _choose_aim, "Accent vastleggen", None),
    "persbeleid": ("communicatie.py", _none, "Persbeleid vastleggen", None),
    "woonplaatsbeginsel": ("communicatie.py", _none, "Bepaal en leg vast", None),
    "triage": ("taken.py", _none, "Triage vastleggen", None),
    "taak afgerond": ("taken.py", _none, "Afgerond", None),
    "taaknotitie": ("taken.py", _set(task_note="Gebeld met de wijkagent"), "Notitie opslaan", None),
    "taak weer open": ("taken.py", _none, "Weer open", None),
    "risicomoment": ("taken.py", _none, "Moment vastleggen", None),
    "niet meer verwacht": ("taken.py", _none, "Niet meer verwacht", None),
    "logboekregel": ("logboek.py", _set(log_text="Overleg met de wijkagent"), "Toevoegen", "log_add"),
    "correctie": ("logboek.py", _set(log_correct_text="Eerste besluit (gecorrigeerd)"), "Correctie vastleggen",
                  None),
    "rooster": ("overleg.py", _state("roster_{o}", {"edited_rows": {0: {"name": "Annelies Brouwer"}}}),
                "Rooster opslaan", None),
    "overleg": ("overleg.py", _set(**{"meeting_{o}_0_chair": "Burgemeester"}), "Overleg vastleggen", None),
    "evaluatie": ("overleg.py", _fill_first_eval, "Evaluatie opslaan", None),
    "bronnen aan/uit": ("bronnen.py", _choose_sources, "Opslaan", "aan_uit"),
    "standaardlijst": ("bronnen.py", _none, "Standaardlijst laden", None),
    "bron toevoegen": ("bronnen.py", _fill_add_source, "Testen en toevoegen", None),
}


def _refused(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error if MESSAGE in e.value], [e.value for e in at.error]
    details = [x for x in at.expander if x.label == "Technische details"]
    assert details and any(DUCKDB in t.value for x in details for t in x.text), "DuckDB's text behind an expander"


@pytest.mark.parametrize("case", list(CASES))
def test_every_writing_form_on_a_read_only_file_says_so_in_dutch(ro: Archive, case: str):
    page, fill, label, key = CASES[case]
    before = _counts(ro.db)
    at = open_page(page, incident_id=ro.open_id)
    assert not at.exception, [e.value for e in at.exception]
    title = [t.value for t in at.title]
    fill(at, ro)
    _button(at, label, key).click()
    at.run(timeout=60)
    _refused(at)
    assert [t.value for t in at.title] == title  # the page went on rendering below the form
    assert _counts(ro.db) == before


def test_reopening_a_closed_incident_on_a_read_only_file_says_so_in_dutch(ro: Archive):
    at = open_page("over.py", incident_id=ro.closed_id)
    _button(at, "Heropenen").click()
    at.run()
    _refused(at)


def test_alles_gelezen_on_a_read_only_file_resets_new_for_this_session_only(ro: Archive):
    before = _counts(ro.db)
    at = open_page("omgevingsbeeld.py", incident_id=ro.open_id)
    _button(at, "Alles gelezen").click()
    at.run()
    assert not at.exception and not at.error
    assert _counts(ro.db) == before


def test_the_store_names_a_read_only_refusal_and_keeps_duckdbs_text(ro: Archive):
    store = shared_store(ro.db)  # chmod 0444 opens read-only, also for root (who may write anyway)
    assert store.read_only
    with pytest.raises(DatabaseReadOnly) as refused:
        store.create_incident("Nog een", "Uithoorn", utcnow())
    assert isinstance(refused.value, UserError) and str(refused.value).startswith(MESSAGE)
    assert DUCKDB in refused.value.detail
