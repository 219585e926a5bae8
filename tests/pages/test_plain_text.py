"""Feed titles, signals, incident names and other typed text reach Streamlit as plain text.

Streamlit renders bodies, captions, alerts and even widget labels as Markdown: an image in a
feed title would be loaded, a link would be offered, and a bare address would become a link.
Every page is opened with such text in every place it can appear.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from analysis.jobs import relink
from analysis.omgevingsbeeld import ItemRef, Omgevingsbeeld, ReachRow
from onrust.models import Item, SignalInput, WatchProfile
from onrust.settings import load_settings
from onrust.text import md_escape
from onrust.timeutil import utcnow
from tests.pages.apptest import open_page, rendered_markdown

PAYLOAD = ("![x](http://127.0.0.1:1/x.png) [klik](javascript:alert(1)) www.example.com a@b.nl "
           "<img src=x onerror=alert(1)>")
ESCAPED = md_escape(PAYLOAD)
T0 = utcnow().replace(microsecond=0) - timedelta(hours=6)


def _signal(incident: int | None, text: str, hours: int) -> SignalInput:
    when = T0 + timedelta(hours=hours)
    return SignalInput(
        kind="gerucht", source_type="sociale media", reliability="C", credibility=3,
        verification="onbevestigd", severity=3, municipality="Uithoorn", neighbourhood=None,
        occurred_at=when, reported_at=when, entered_at=when, incident_id=incident, text=text,
        entered_by="Anna",
    )


def _seed(store) -> int:
    incident = store.create_incident(f"Onrust {PAYLOAD}", "Uithoorn", T0 - timedelta(hours=1))
    source = store.add_source(f"Bron {PAYLOAD}", reach="lokaal")
    title = f"School dicht {PAYLOAD}"
    store.save_items(source, [Item("a", "a", "https://example.nl/a", title, "Ouders boos.", None, "nl", T0,
                                   None, T0, "a")])
    store.save_watch_profile(WatchProfile(incident, terms=("school",), places=("Uithoorn",),
                                          period_start=T0 - timedelta(days=1)), "test")
    assert relink(store, load_settings(), incident) == 1
    store.add_signal(_signal(incident, f"Gerucht {PAYLOAD}", 1))
    store.add_signal(_signal(None, f"Los gerucht {PAYLOAD}", 2))
    item = store.scalar("select id from items where item_key = 'a'")
    rumour = ItemRef(item, f"Gerucht {PAYLOAD}", f"Groep {PAYLOAD}", "sociaal", T0)
    beeld = Omgevingsbeeld(
        incident="Onrust", municipality="Uithoorn", generated_at=T0, period_start=T0,
        period_end=T0 + timedelta(hours=6), sections=(), questions=(), question_total=0, emotions=(),
        meanings=(), blamed=(), polarity=(), rumours=(rumour,), facts=(), calls=(),
        totals=ReachRow("totaal", 1, 1, 1, T0), by_reach=(), peak="ma 18:00", phases=(), places=(),
        actors=(), notable=(rumour,),
    )
    store.save_omgevingsbeeld(incident, beeld.to_dict(), "", f"Analist {PAYLOAD}", T0,
                              T0 + timedelta(hours=6))
    store.record_official_phase(incident, 2, f"Reden {PAYLOAD}", f"Burgemeester {PAYLOAD}")
    release = store.create_press_release(incident, {"titel": f"Kop {PAYLOAD}", "wat": f"Wat {PAYLOAD}"},
                                         f"Auteur {PAYLOAD}")
    assert store.set_press_status(release, "concept", "ter_controle", action="indienen",
                                  actor=f"Indiener {PAYLOAD}", version=1)
    return incident


def assert_plain(at, *, shown: bool = True) -> None:
    bodies = rendered_markdown(at)
    # The escaped forms are "!\[x\]", "\[klik\]", "\<img" and addresses with a word joiner.
    for body in bodies:
        for markup in ("![x]", "[klik]", "http://127", "www.example", "a@b.nl"):
            assert markup not in body, (markup, body)
        assert not re.search(r"(?<!\\)<img", body), body
    if shown:
        assert any(ESCAPED in body for body in bodies), bodies


@pytest.mark.parametrize("page, session", [
    ("omgevingsbeeld.py", {}),
    ("communicatie.py", {}),
    ("signalen.py", {"signal_unassigned": True}),
    ("temperatuur.py", {}),
    ("over.py", {}),
    ("bronnen.py", {}),
    ("terugblik.py", {}),
])
def test_untrusted_text_is_never_markup(app_db, app_store, page, session):
    _seed(app_store)
    at = open_page(page, **session)
    assert not at.exception
    # The Terugblik shows typed text only in tables (never Markdown): nothing escaped to find.
    assert_plain(at, shown=page not in ("temperatuur.py", "bronnen.py", "terugblik.py"))


def test_the_places_named_in_the_defects(app_db, app_store):
    incident = _seed(app_store)
    at = open_page("omgevingsbeeld.py")
    assert any(c.value.startswith(f"Onrust {ESCAPED} · gemeente Uithoorn") for c in at.caption)
    at = open_page("communicatie.py")
    prompts = [t.label for t in at.text_area if t.key and t.key.startswith("press_prompt_")]
    # the feed title (saved omgevingsbeeld) and the signal say the same: one prompt, escaped
    assert f"Weerleg: Gerucht {ESCAPED} (en 1 vergelijkbare)" in prompts
    at = open_page("signalen.py", signal_unassigned=True)
    assert f"Koppelen aan incident Onrust {ESCAPED}" in [c.label for c in at.checkbox]
    at = open_page("over.py")
    assert at.subheader[0].value == f"Onrust {ESCAPED}"
    assert incident


def test_escaping_breaks_every_markup_and_address():
    escaped = md_escape(PAYLOAD + " https://a.nl :red[rood] **vet**")
    assert escaped == ("!\\[x\\](http\u2060://127.0.0.1:1/x.png) \\[klik\\](javascript\\:alert(1)) "
                       "www\u2060.example.com a\u2060@b.nl \\<img src=x onerror=alert(1)\\> "
                       "https\u2060://a.nl \\:red\\[rood\\] \\*\\*vet\\*\\*")


def test_taken_page_shows_typed_text_plain(app_db, app_store):
    from comms.tasks import load_protocol, note_task, record_triage, set_moment

    incident = _seed(app_store)
    record_triage(app_store, incident, "draaiboek", f"Afdelingshoofd {PAYLOAD}")
    note_task(app_store, load_protocol("003"), incident, "003-1.1-1", f"Notitie {PAYLOAD}", f"Secretaris {PAYLOAD}")
    set_moment(app_store, incident, "uitspraak", T0 + timedelta(days=2), f"Secretaris {PAYLOAD}", f"Zitting {PAYLOAD}")
    at = open_page("taken.py")
    assert not at.exception
    assert_plain(at)
