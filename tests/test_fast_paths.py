"""The dashboard's fast paths give the same answers as the straightforward code they replaced.

Each reference below is the plain version (a Python loop per item, a value per cell), run on the
frames of a small real DuckDB file built the way `onrust bench dashboard` builds its million
items. Speed is shown by that bench, never asserted here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import omgevingsbeeld as ob
from analysis.omgevingsbeeld_text import is_question, sentences
from analysis.phases import temperature_view
from analysis.relevance import item_text
from analysis.review_data import load_review
from analysis.review_replay import replay, replay_from_store
from analysis.rumours import common_stems, stems
from analysis.temperature_runs import incident_series, inputs_since
from dashboard.components.rumours import evidence_options
from devtools.bench_dashboard import build_database
from onrust import display
from onrust.settings import load_settings
from onrust.store import Store
from onrust.timeutil import AMSTERDAM, fmt_local, fmt_local_many, utcnow

QUESTIONS = ("Klopt het dat de school dichtgaat?", "Waarom wordt er niets gezegd over de brand",
             "Wie weet meer. Is het waar dat de verdachte vrij is?")


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "bench.duckdb"
    build_database(path, 4000, 5)
    return path


@pytest.fixture(scope="module")
def frames(bench_db):
    """The incident's frames as the Omgevingsbeeld reads them, with some questions, places and
    repeated texts mixed in (the bench's titles have none)."""
    with Store.open(bench_db, read_only=True) as store:
        incident = store.incidents()[0]
        start, end = incident.opened_at - timedelta(days=6), utcnow() + timedelta(days=1)
        items = store.incident_items_frame(incident.id, start, end)
        tags = store.incident_tags_frame(incident.id, start, end)
    rng = np.random.default_rng(5)
    pick = rng.random(len(items))
    items["title"] = np.where(pick < 0.05, np.array(QUESTIONS, dtype=object)[rng.integers(0, 3, len(items))],
                              items["title"])
    items["summary"] = np.where(pick > 0.9, "Bewoners vragen: hoe kan het dat niemand ingreep?", None)
    reasons = np.array(["", "plaats: Kolkhoek", "trefwoord: brand; plaats: Veldwijk ;plaats:Noord", None],
                       dtype=object)
    items["reasons"] = reasons[rng.integers(0, len(reasons), len(items))]
    assert len(items) > 500 and items["story"].duplicated().any()
    return incident, items, tags, start, end


def _story_spread_plain(items: pd.DataFrame, n: int = 10) -> tuple[ob.StorySpread, ...]:
    ordered = items.sort_values(["published_at", "id"])
    firsts = ordered.drop_duplicates(["story", "reach"])
    spread = []
    for story, rows in firsts.groupby("story", sort=False):
        if len(rows) < 2:
            continue
        steps = tuple(ob.ReachStep(r.reach, ob._ts(r.published_at), r.publisher) for r in rows.itertuples(index=False))
        spread.append(ob.StorySpread(int(story), rows.iloc[0]["title"], steps))
    spread.sort(key=lambda s: (-len(s.steps), s.steps[0].at or datetime.min))
    return tuple(spread[:n])


def _volume_plain(items: pd.DataFrame, freq: str) -> pd.DataFrame:
    utc = pd.to_datetime(items["published_at"], utc=True)
    if freq == "h":
        bucket = utc.dt.floor("h").dt.tz_convert(AMSTERDAM)
    else:
        bucket = utc.dt.tz_convert(AMSTERDAM).dt.floor(freq, ambiguous=False, nonexistent="shift_forward")
    grouped = items.assign(bucket=bucket).groupby(["bucket", "reach"]).agg(
        berichten=("id", "size"), verhalen=("story", "nunique"), uitgevers=("origin", "nunique")).reset_index()
    long = grouped.melt(id_vars=["bucket", "reach"], var_name="maat", value_name="aantal")
    return long.sort_values(["maat", "bucket", "reach"]).reset_index(drop=True)[["bucket", "reach", "maat", "aantal"]]


def _peak_plain(items: pd.DataFrame, freq: str) -> str:
    volume = _volume_plain(items, freq)
    per = volume[volume["maat"] == "berichten"].groupby("bucket")["aantal"].sum()
    when = per.idxmax().to_pydatetime()
    label = (f"{fmt_local(when)}–{(when + timedelta(hours=1)).strftime('%H:%M')}" if freq == "h"
             else fmt_local(when).rsplit(" ", 1)[0])
    return f"{label} ({ob.plural(int(per.max()), 'bericht', 'berichten')})"


def _subsets(items: pd.DataFrame) -> list[pd.DataFrame]:
    return [items, items.sample(300, random_state=1), items.head(1)]


def test_story_spread_ranks_like_the_loop(frames):
    items = frames[1]
    for sub in _subsets(items):
        assert ob.story_spread(sub) == _story_spread_plain(sub)
    assert len(ob.story_spread(items)) == 10  # the small file has stories on several reaches


@pytest.mark.parametrize("freq", ["h", "D"])
def test_volume_and_peak_like_the_per_item_floor(frames, freq):
    for sub in _subsets(frames[1]):
        pd.testing.assert_frame_equal(ob.volume_over_time(sub, freq), _volume_plain(sub, freq))
        assert ob.peak_label(sub, freq) == _peak_plain(sub, freq)


def test_questions_once_per_text_like_every_item(frames):
    _, items, _, _, _ = frames
    cfg = ob.load_config()
    found: dict[str, dict] = {}
    for row in items.itertuples(index=False):  # the plain loop: every sentence of every item
        for part in (row.title, row.summary or ""):
            for _, _, sentence in sentences(part):
                if is_question(sentence, cfg.questions):
                    entry = found.setdefault(ob.question_key(sentence),
                                             {"text": sentence, "who": set(), "sources": [], "first": None})
                    entry["who"].add(f"item:{row.id}")
    questions, total = ob.detect_questions(items, items.iloc[0:0].assign(text=[], kind=[], occurred_at=[]), cfg)
    assert total == len(found) >= 3
    assert {q.text: q.count for q in questions} == {e["text"]: len(e["who"]) for e in found.values()}


def test_common_stems_once_per_text_like_every_item(frames):
    items = frames[1]
    rules = replace(ob.load_config().rumours, common_share=0.05)  # so that some stems are common
    counts: Counter[str] = Counter()
    for title, summary in zip(items["title"], items["summary"].fillna(""), strict=True):
        counts.update(stems(item_text(title, summary), rules.stop_words))
    plain = frozenset(s for s, n in counts.items() if n > rules.common_share * len(items))
    assert common_stems(items, rules) == plain and plain


def test_linked_places_parsed_once_per_reason_like_every_item(frames):
    items = frames[1]
    plain = {}
    for item_id, reasons in zip(items["id"], items["reasons"], strict=True):
        if isinstance(reasons, str):
            named = {p.strip()[len("plaats:"):].strip() for p in reasons.split(";") if p.strip().startswith("plaats:")}
            if named:
                plain[int(item_id)] = named
    assert ob.linked_places(items) == plain and plain
    assert ob.linked_places(items)[next(iter(plain))] is not ob.linked_places(items)[next(iter(plain))]


def test_evidence_labels_like_one_by_one(frames):
    items = frames[1]
    signals = pd.DataFrame({"id": [4], "kind": ["gerucht"], "text": ["Er zou een tweede verdachte zijn"],
                            "occurred_at": [pd.Timestamp("2026-11-01 10:00", tz="UTC")]})
    plain = {f"item:{i}": f"{t[:100]} ({p}, {fmt_local(w)})" for i, t, p, w in
             zip(items["id"], items["title"], items["publisher"], items["published_at"], strict=True)}
    plain["signal:4"] = f"signaal gerucht: Er zou een tweede verdachte zijn ({fmt_local(signals['occurred_at'][0])})"
    got = evidence_options(items, signals, limit=len(items))
    assert got == plain and list(got) == list(plain)  # newest first, as the items come
    capped = evidence_options(items, signals, limit=10)
    assert list(capped) == [*list(plain)[:10], "signal:4"]  # the newest ten and every signal
    word = items["title"].iloc[-1].split()[-1]  # found in the oldest item's title, beyond the cap
    searched = evidence_options(items, signals, word.upper(), limit=len(items))
    wanted = [k for k, t in zip(plain, items["title"], strict=False) if word.casefold() in t.casefold()]
    assert list(searched) == [*wanted, "signal:4"] and f"item:{items['id'].iloc[-1]}" in searched


def test_times_formatted_per_minute_like_one_by_one():
    times = pd.Series([pd.Timestamp("2026-03-29 00:59:59", tz="UTC"), pd.Timestamp("2026-03-29 01:00:01", tz="UTC"),
                       pd.NaT, pd.Timestamp("2026-10-25 00:30", tz="UTC"), pd.Timestamp("2026-10-25 01:30", tz="UTC")])
    assert fmt_local_many(times) == [fmt_local(None if pd.isna(t) else t.to_pydatetime()) for t in times]
    assert fmt_local_many(times)[:2] == ["zo 29-03-2026 01:59", "zo 29-03-2026 03:00"]  # the DST jump


def test_display_frame_per_distinct_value_like_per_cell(frames):
    items = frames[1].copy()
    items["naive"] = items["published_at"].dt.tz_localize(None)
    items["mixed"] = ([1, 1.0, True, "x", None] * len(items))[:len(items)]  # equal hashes, different texts
    items["cat"] = items["reach"].astype("category")
    items.loc[items.index[:3], ["title", "relevance", "published_at"]] = [None, np.nan, pd.NaT]
    column_kinds = display._registry()["columns"]

    def plain(df):
        out = pd.DataFrame(index=df.index)
        for col in df.columns:
            series = df[col]
            if series.dtype == bool or (pd.api.types.is_integer_dtype(series.dtype) and col not in column_kinds):
                out[col] = series
            else:
                out[col] = [display.value(v, column_kinds.get(col), 1) for v in series]
        return out

    pd.testing.assert_frame_equal(display.frame(items, rename=False), plain(items))
    assert display.frame(items, rename=False)["mixed"].head(3).tolist() == ["1", "1", "ja"]


def test_temperature_series_without_the_links_it_ignores(bench_db):
    """The store leaves out links below min_relevance: the series is the same to the last bit."""
    cfg = load_settings(None).temperature
    with Store.open(bench_db, read_only=True) as store:
        incident = store.incidents()[0]
        as_of = pd.Timestamp(utcnow()).floor(f"{cfg.step_minutes}min")
        since = inputs_since(incident.opened_at, cfg)
        every = store.temperature_inputs(incident.id, since, as_of)
        counted = store.temperature_inputs(incident.id, since, as_of, cfg.min_relevance)
    assert len(counted["items"]) < len(every["items"])
    series = temperature_view(counted, incident.opened_at, as_of, cfg)
    assert len(series) > 100 and series["temperature"].notna().any()
    pd.testing.assert_frame_equal(series, temperature_view(every, incident.opened_at, as_of, cfg))


def test_replay_at_the_review_end_reuses_its_series(bench_db):
    cfg = load_settings(None).temperature
    with Store.open(bench_db, read_only=True) as store:
        incident = store.incidents()[0]
        now = pd.Timestamp(utcnow()).floor(f"{cfg.step_minutes}min").to_pydatetime()
        inputs = load_review(store, incident, cfg, now)
        fast = replay_from_store(store, inputs, inputs.end, cfg)
        plain = replay(inputs, inputs.end, incident_series(store, incident, inputs.end, cfg))
        earlier = inputs.end - timedelta(hours=6)
        assert replay_from_store(store, inputs, earlier, cfg).point.equals(
            replay(inputs, earlier, incident_series(store, incident, earlier, cfg)).point)
    assert fast.point is not None and fast.point.equals(plain.point)
    pd.testing.assert_frame_equal(fast.items, plain.items)


def test_session_bookkeeping_keeps_the_cache_and_real_writes_drop_it(store):
    """A login or a page visit (once per browser session) leaves data_version, which every
    cached read of the dashboard keys on; a change to the incident's work moves it."""
    incident = store.create_incident("Onrust Noord", "Veldwijk", utcnow())
    before = store.data_version
    store.record_user("a.jansen", "A. Jansen", ["omgevingsanalist"], "local")
    store.record_visit("a.jansen", incident, "omgevingsbeeld", utcnow())
    assert store.data_version == before
    assert store.last_visit("a.jansen", incident, "omgevingsbeeld") is not None  # written all the same
    assert list(store.users()["user_id"]) == ["a.jansen"]
    store.create_incident("Onrust Zuid", "Veldwijk", utcnow())
    assert store.data_version == before + 1


def test_omgevingsbeeld_build_unchanged_for_a_period_of_days(frames):
    """The whole snapshot through the fast parts, over more than three days (day buckets)."""
    incident, items, tags, start, end = frames
    signals = pd.DataFrame(columns=["id", "kind", "verification", "severity", "reliability", "credibility",
                                    "neighbourhood", "occurred_at", "reported_at", "text"])
    beeld = ob.build(items, tags, signals, incident=incident.name, municipality="Veldwijk", period=(start, end),
                     generated_at=utcnow())
    assert ob.bucket_freq(start, end) == "D"
    assert beeld.peak == _peak_plain(items, "D")
    assert tuple(s for s in beeld.spread if not s.title.startswith("Gerucht: ")) == _story_spread_plain(items)
