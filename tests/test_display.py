"""The display layer: one table of inputs and the Dutch a user reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from onrust import display

WHEN = datetime(2026, 10, 14, 19, 30, tzinfo=UTC)


@pytest.mark.parametrize("value, kind, shown", [
    (WHEN, None, "wo 14-10-2026 21:30"),
    (pd.Timestamp("2026-10-14 19:30", tz="UTC"), None, "wo 14-10-2026 21:30"),
    (date(2026, 10, 14), None, "wo 14-10-2026"),
    (None, None, "—"),
    (float("nan"), None, "—"),
    (pd.NaT, None, "—"),
    (0.5714, None, "0,6"),
    (3.0, None, "3"),
    (12345.675, None, "12.345,7"),
    (True, None, "ja"),
    ("acuut", "advies", "Acuut: driehoek en kernteam direct bijeen"),
    ("media_ophef_zorg", "scenario", "Maatschappelijke onrust en inschakeling media"),
    ("pers.v1", "checklist_item", "Wat is er gebeurd? Wat is er gebeurd, waar, met/door wie en waarom?"),
    ("indienen", "press_action", "ter controle aangeboden"),
    ("file", "source_kind", "Bestand (demo)"),
    ("onbekend_ding", "advies", "onbekend_ding"),  # an unknown key is shown as it is, never dropped
])
def test_values(value, kind, shown):
    assert display.value(value, kind) == shown


@pytest.mark.parametrize("ref, title", [
    ("004 Bijlage 4", "004 Handreiking, Bijlage 4"),
    ("000_266dee29c38c8750.txt", "000 Draaiboek Uithoorn"),
    ("000 Bijlage 6, vraag 1", "000 Draaiboek Uithoorn, Bijlage 6, vraag 1"),
    ("003 fase 2.2; 004 §3.2", "003 Protocol Enschede, fase 2.2; 004 Handreiking, §3.2"),
])
def test_seed_titles(ref, title):
    assert display.seed_title(ref) == title


@pytest.mark.parametrize("error, message, has_detail", [
    ("Host x.nl niet gevonden ([Errno -2] Name or service not known)",
     "Host x.nl niet gevonden: de servernaam bestaat niet.", True),
    ("Ophalen mislukt bij https://a.nl/x: [Errno 111] Connection refused",
     "Ophalen mislukt bij https://a.nl/x: de server weigert de verbinding.", True),
    ("HTTP 404 van https://a.nl/x", "HTTP 404 van https://a.nl/x", False),
    (FileNotFoundError(2, "No such file or directory", "/tmp/x.csv"), "Het bestand is niet gevonden.", True),
    (RuntimeError("boom"), "Er ging iets mis; er is niets verloren gegaan. Probeer het opnieuw.", True),
])
def test_errors_are_plain_dutch_with_the_detail_apart(error, message, has_detail):
    shown, detail = display.plain_error(error)
    assert shown == message and "Errno" not in shown
    assert bool(detail) is has_detail


def test_a_frame_is_dutch_and_keeps_checkboxes():
    frame = pd.DataFrame({"assessed_at": [pd.Timestamp(WHEN), pd.NaT], "score_a": [45.4545, None],
                          "advice": ["acuut", None], "aan": [True, False], "items": [3, 4]})
    shown = display.frame(frame)
    assert list(shown.columns) == ["Vastgelegd", "A", "Uitkomst", "Aan", "Items"]
    assert shown.values.tolist() == [
        ["wo 14-10-2026 21:30", "45,5", "Acuut: driehoek en kernteam direct bijeen", True, 3],
        ["—", "—", "—", False, 4],
    ]
    assert display.frame(frame, plain=True, rename=False)["aan"].tolist() == ["ja", "nee"]


def test_one_download_name_pattern():
    assert display.export_name("omgevingsbeeld", "Zedenzaak Loosterveen (FICTIEF)", WHEN, "docx") == (
        "omgevingsbeeld-zedenzaak-loosterveen-fictief-2026-10-14-2130.docx")
    assert display.export_name("signalen-sjabloon", None, WHEN, ".csv") == "signalen-sjabloon-2026-10-14-2130.csv"


def test_a_phase_reads_with_its_name_from_the_phases_file():
    assert display.frame(pd.DataFrame({"phase": [3, None]}))["Fase"].tolist() == ["3: Maatschappelijke onrust", "—"]


def test_an_audit_record_reads_as_the_changed_fields_in_dutch():
    from onrust import display

    before = '{"status": "open", "closed_at": null, "name": "Brand"}'
    after = '{"status": "gesloten", "closed_at": "2026-10-21 15:00:00+00", "name": "Brand"}'
    line = display.audit_change(before, after)
    assert line.startswith("Status: open → gesloten") or "open → gesloten" in line
    assert "wo 21-10-2026 17:00" in line and "2026-10-21" not in line and "name" not in line.lower()
    assert display.audit_change(None, '{"name": "Brand"}').startswith("nieuw — ")
    assert display.audit_change(None, None) == "—"
