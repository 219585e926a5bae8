"""Signalen page through the real app shell: entry form, table, edit with history, import."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.pages.apptest import open_page, sign_in

T0 = datetime(2025, 11, 14, 12, tzinfo=UTC)


def fill(at, prefix: str, **values) -> None:
    for field, value in values.items():
        if field in ("kind", "source_type", "reliability", "credibility", "verification", "severity"):
            at.selectbox(key=f"{prefix}_{field}").set_value(value)
        elif field == "text":
            at.text_area(key=f"{prefix}_text").input(value)
        else:
            at.text_input(key=f"{prefix}_{field}").input(value)


def click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_entry_form_keeps_input_on_errors_then_saves_once(oidc_mode, app_store):
    app_store.create_incident("Brand Veldwijk", "Veldwijk", T0, is_demo=True)
    at = open_page("signalen.py", user="analist")
    assert not at.exception
    assert at.title[0].value == "Signalen"
    assert at.info[0].value == "Geen signalen met deze filters."

    click(at, "Signaal opslaan")
    assert "Signaal niet opgeslagen" in at.error[0].value
    assert "Soort: vul de soort in" in at.error[0].value
    assert "Gebeurd op: vul in wanneer het gebeurde" in at.error[0].value
    assert app_store.scalar("select count(*) from signals") == 0

    fill(at, "new0", kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
         severity=4, neighbourhood="Oost", occurred_at="31-02-2025 21:30",
         text="Oproep in buurtapp om *vanavond* samen te komen <script>")
    click(at, "Signaal opslaan")
    assert "Gebeurd op: '31-02-2025 21:30' is geen bestaande datum" in at.error[0].value
    assert at.text_area(key="new0_text").value == "Oproep in buurtapp om *vanavond* samen te komen <script>"
    assert at.selectbox(key="new0_kind").value == "gerucht"

    at.text_input(key="new0_occurred_at").input("14-11-2025 21:30")
    click(at, "Signaal opslaan")
    assert not at.exception
    assert at.success[0].value == "Signaal \\#1 opgeslagen."
    row = app_store.signal(1)
    assert (row["municipality"], row["severity"], row["entered_by"], row["neighbourhood"]) == (
        "Veldwijk", 4, "analist", "Oost")
    table = at.dataframe[0].value
    assert table["Tekst"].tolist() == ["Oproep in buurtapp om *vanavond* samen te komen <script>"]
    assert table["Beoordeling"].tolist() == ["C3"]
    # The fresh form is empty again; entering the same signal again is refused as a duplicate.
    assert at.selectbox(key="new1_kind").value is None
    fill(at, "new1", kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
         severity=4, neighbourhood="Oost", occurred_at="14-11-2025 21:30",
         text="Oproep in buurtapp om *vanavond* samen te komen <script>")
    sign_in(at, "ander")  # another user enters the same signal
    click(at, "Signaal opslaan")
    assert at.warning[-1].value == "Dit signaal staat al in de database (signaal \\#1); niets toegevoegd."
    assert app_store.scalar("select count(*) from signals") == 1


def _one_signal(app_store) -> int:
    from collectors.signals import validate_signal

    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0, is_demo=True)
    signal = validate_signal({
        "kind": "melding", "source_type": "politie", "reliability": "B", "credibility": 2,
        "severity": 3, "municipality": "Veldwijk", "occurred_at": "14-11-2025 20:00",
        "reported_at": "14-11-2025 20:30", "incident": incident, "text": "Samenscholing",
        "entered_by": "analist"}, now=datetime(2025, 11, 15, tzinfo=UTC), extra_municipalities=["Veldwijk"])
    return app_store.add_signal(signal)


def test_edit_records_history_and_filters_narrow_the_table(oidc_mode, app_store):
    signal_id = _one_signal(app_store)
    at = open_page("signalen.py", user="teamleider")
    prefix = f"edit{signal_id}_0"
    assert at.text_input(key=f"{prefix}_occurred_at").value == "14-11-2025 20:00"
    at.selectbox(key=f"{prefix}_verification").set_value("bevestigd")
    at.selectbox(key=f"{prefix}_severity").set_value(5)
    click(at, "Wijzigingen opslaan")
    assert not at.exception
    assert at.success[0].value == f"Signaal \\#{signal_id} gewijzigd: Verificatie, Ernst."
    history = at.dataframe[-1].value
    assert history[["Door", "Veld", "Oud", "Nieuw"]].values.tolist() == [
        ["teamleider", "Verificatie", "onbevestigd", "bevestigd"], ["teamleider", "Ernst", "3", "5"]]
    assert at.dataframe[0].value["Wijzigingen"].tolist() == [2]

    at.multiselect(key="signal_filter_kinds").set_value(["gerucht"])
    at.run()
    assert at.info[0].value == "Geen signalen met deze filters."


def test_import_reports_every_row_and_stores_nothing_twice(oidc_mode, app_store):
    app_store.create_incident("Brand Veldwijk", "Veldwijk", T0, is_demo=True)
    csv = (
        b"kind;source_type;reliability;credibility;severity;municipality;occurred_at;reported_at;text\n"
        b"gerucht;inwoner;C;3;3;Veldwijk;14-11-2025 21:30;14-11-2025 21:45;Gerucht over de brand\n"
        b"gerucht;inwoner;C;3;3;Veldwijk;morgen;14-11-2025 21:45;Nog een gerucht\n"
    )
    at = open_page("signalen.py", user="analist")
    at.file_uploader(key="signal_upload").set_value(("signalen.csv", csv, "text/csv"))
    at.run()
    click(at, "Importeren")
    assert not at.exception
    assert at.warning[0].value == "signalen.csv: 1 toegevoegd, 0 dubbel, 1 met fouten (overgeslagen)"
    report = at.dataframe[-1].value
    assert report.values.tolist() == [
        [2, "toegevoegd", "#1", ""],
        [3, "fout", "", "Gebeurd op: 'morgen' is geen datum; gebruik bijvoorbeeld 14-11-2026 21:30, "
                        "14 november 2026 21.30 of 2026-11-14T21:30"],
    ]
    click(at, "Importeren")
    assert at.warning[-1].value == "signalen.csv: 0 toegevoegd, 1 dubbel, 1 met fouten (overgeslagen)"
    assert app_store.scalar("select count(*) from signals") == 1
    assert app_store.signal(1)["incident_id"] == 1 and app_store.signal(1)["entered_by"] == "analist"


def test_concurrent_edit_is_refused_not_overwritten(oidc_mode, app_store):
    signal_id = _one_signal(app_store)
    prefix = f"edit{signal_id}_0"
    first, second = open_page("signalen.py", user="analist"), open_page("signalen.py", user="teamleider")
    first.text_input(key=f"{prefix}_occurred_at").input("14-11-2025 19:45")
    click(first, "Wijzigingen opslaan")
    assert first.dataframe[-1].value.values.tolist() == [
        [first.dataframe[-1].value.loc[0, "Wanneer"], "analist", "Gebeurd op",
         "vr 14-11-2025 20:00", "vr 14-11-2025 19:45"]]

    second.text_area(key=f"{prefix}_text").input("Samenscholing van veertig jongeren")
    click(second, "Wijzigingen opslaan")
    assert second.error[0].value == (
        f"Signaal \\#{signal_id} is intussen door iemand anders gewijzigd (Gebeurd op). Uw invoer staat "
        "nog in het formulier; laad opnieuw en voer de wijziging dan nog eens in.")
    assert second.text_area(key=f"{prefix}_text").value == "Samenscholing van veertig jongeren"
    assert app_store.signal(signal_id)["text"] == "Samenscholing"
    click(second, "Opnieuw laden (uw invoer vervalt)")
    assert second.text_input(key=f"edit{signal_id}_1_occurred_at").value == "14-11-2025 19:45"


def test_signal_without_incident_can_be_linked(oidc_mode, app_store):
    from collectors.signals import validate_signal

    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0)
    signal_id = app_store.add_signal(validate_signal({
        "kind": "gerucht", "source_type": "inwoner", "reliability": "F", "credibility": 6,
        "severity": 2, "municipality": "Enschede", "occurred_at": "14-11-2025 20:00",
        "reported_at": "14-11-2025 20:30", "text": "Los gerucht", "entered_by": "cli"},
        now=datetime(2025, 11, 15, tzinfo=UTC)))
    at = open_page("signalen.py", user="analist")
    assert at.info[0].value == "Geen signalen met deze filters."
    at.checkbox(key="signal_unassigned").check()
    at.run()
    assert at.dataframe[0].value["Tekst"].tolist() == ["Los gerucht"]
    at.checkbox(key=f"edit{signal_id}_0_link").check()
    click(at, "Wijzigingen opslaan")
    assert at.success[0].value == f"Signaal \\#{signal_id} gewijzigd: Incident."
    assert app_store.signal(signal_id)["incident_id"] == incident
    assert at.dataframe[-1].value[["Veld", "Oud", "Nieuw"]].values.tolist() == [["Incident", "—", str(incident)]]


def test_the_downloaded_template_uploaded_untouched_adds_no_signal(oidc_mode, app_store):
    """The template the page offers (data/signals_template.csv) has Dutch headers and an example
    row marked VOORBEELD; imported as it is, the example is refused with the reason."""
    from tests.pages.apptest import downloads

    app_store.create_incident("Brand Veldwijk", "Veldwijk", T0, is_demo=True)
    with downloads() as served:
        at = open_page("signalen.py", user="analist")
    # One name pattern for every download (onrust.display.export_name): what, then the local time.
    template = next(data for name, data in served.items()
                    if name.startswith("signalen-sjabloon-") and name.endswith(".csv"))
    assert template.decode("utf-8-sig").startswith("Soort;Brontype;Betrouwbaarheid bron;")
    at.file_uploader(key="signal_upload").set_value(("signalen_sjabloon.csv", template, "text/csv"))
    at.run()
    click(at, "Importeren")
    assert not at.exception
    assert at.warning[0].value == (
        "signalen\\_sjabloon.csv: 0 toegevoegd, 0 dubbel, 1 met fouten (overgeslagen)")
    assert at.dataframe[-1].value.values.tolist() == [[2, "fout", "", (
        "voorbeeldrij uit het sjabloon (Voorbeeld: VOORBEELD): vervang de voorbeeldwaarden door een echt "
        "signaal en maak de kolom Voorbeeld leeg, of verwijder de rij")]]
    assert not at.info or "Kolom" not in " ".join(i.value for i in at.info)  # every template column is known
    assert app_store.scalar("select count(*) from signals") == 0


def test_routing_tab_records_the_driehoek_member_and_clears_the_warning(oidc_mode, app_store):
    """004 §3.1: the signal goes to the own driehoek member; who received it is recorded."""
    from collectors.signals import validate_signal

    incident = app_store.create_incident("Brand Veldwijk", "Veldwijk", T0, is_demo=True)
    raw = {"kind": "melding", "source_type": "school", "reliability": "B", "credibility": "2", "severity": "3",
           "municipality": "Veldwijk", "occurred_at": "14-11-2025 14:00", "reported_at": "14-11-2025 15:00",
           "text": "De school meldt ouders die verhaal komen halen.", "entered_by": "Anna", "incident": incident}
    signal = validate_signal(raw, now=T0.replace(hour=16), extra_municipalities=["Veldwijk"])
    assert not isinstance(signal, list)
    signal_id = app_store.add_signal(signal)
    at = open_page("signalen.py", user="Anna")
    assert not at.exception
    # One signal is "1 signaal" (the browser walk found "1 signaal/signalen" and "1 signalen").
    assert any(w.value.startswith("1 signaal nog niet doorgeleid") and f"#{signal_id}" in w.value
               for w in at.warning)
    assert "1 signaal, nieuwste eerst." in [c.value for c in at.caption]

    click(at, "Doorleiding vastleggen")
    assert "Doorleiding niet vastgelegd" in at.error[0].value
    assert "Driehoekslid: kies aan welk lid van de driehoek" in at.error[0].value
    at.selectbox(key="route0_member").set_value("politie")
    at.text_input(key="route0_received").input("wijkagent Oost")
    click(at, "Doorleiding vastleggen")
    assert not at.exception
    rows = app_store.signal_routings([signal_id])
    assert list(rows[["member", "received_by", "recorded_by"]].itertuples(index=False, name=None)) == [
        ("politie", "wijkagent Oost", "Anna")]
    assert not any("nog niet doorgeleid" in w.value for w in at.warning)
    assert [e.kind for e in app_store.log_entries(incident)][-1] == "informatie gedeeld"
