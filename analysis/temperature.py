"""The unrest temperature: six explainable 0-100 components and their weighted mean, per time step.

Everything is computed as of each point: a point at time T uses only items fetched before T,
signals entered before T and collection runs finished before T, so replaying a period gives the
values that were shown live. Items are first reduced to per-hour aggregates (`Aggregates`), which
a new batch updates in place of a full recomputation; the windowed scores are then cheap.

Input frames (columns):
- items: item_id, story_id (nullable), publisher, reach, fetched_at, relevance
- tags: item_id, tag_set, tag_key, score
- signals: signal_id, kind, reliability, credibility, verification, severity, occurred_at,
  entered_at, text
- coverage: finished_at, status (collection_runs)
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from onrust.settings import TemperatureSettings

FORMULA = "temperatuur-1"
COMPONENTS = ("volume", "spread", "tone", "escalation", "signals", "politicisation")
LABELS = {
    "volume": "Volume",
    "spread": "Verspreiding",
    "tone": "Toon",
    "escalation": "Escalatie",
    "signals": "Signalen",
    "politicisation": "Politisering",
}
REACHES = ("lokaal", "regionaal", "landelijk", "sociaal")
OK_STATUSES = ("ok", "ongewijzigd", "waarschuwing")
_NS_HOUR = 3_600_000_000_000


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return dict(value) if isinstance(value, Mapping) else value


def formula_version(cfg: TemperatureSettings) -> str:
    """Formula name plus a hash of every setting: a point says exactly how it was computed."""
    values = _plain(cfg)
    # Hashed flat, as before [temperature.phases] and [temperature.noise] were nested tables: the
    # same numbers keep the same version, so stored points stay valid.
    nested = values.pop("phases") | values.pop("noise")
    flat = values | nested
    digest = hashlib.sha1(json.dumps(flat, sort_keys=True).encode()).hexdigest()
    return f"{FORMULA}+{digest[:8]}"


def step_ns(cfg: TemperatureSettings) -> int:
    return cfg.step_minutes * 60_000_000_000


def window_bins(cfg: TemperatureSettings) -> int:
    return max(1, round(cfg.window_hours * 60 / cfg.step_minutes))


def bins_per_day(cfg: TemperatureSettings) -> int:
    return round(24 * 60 / cfg.step_minutes)


def history_bins(cfg: TemperatureSettings) -> int:
    """Bins before the first point that the volume baseline and the window look back on."""
    days = max(cfg.baseline_weeks * 7, cfg.guard_days + cfg.baseline_days)
    return days * bins_per_day(cfg) + window_bins(cfg)


def _ns(values: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """UTC epoch nanoseconds of tz-aware timestamps, whatever unit DuckDB or pandas used."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.array.as_unit("ns").asi8  # already UTC instants: no conversion pass
    ts = pd.to_datetime(values, utc=True)
    if isinstance(ts, pd.Series):
        ts = pd.DatetimeIndex(ts)
    return ts.tz_convert("UTC").tz_localize(None).as_unit("ns").asi8


def grid_origin(start: datetime, cfg: TemperatureSettings) -> int:
    """Epoch-aligned start of the first history bin: the same grid whoever computes it, whenever."""
    first_point = -(-_ns(pd.DatetimeIndex([start]))[0] // step_ns(cfg)) * step_ns(cfg)
    return int(first_point - history_bins(cfg) * step_ns(cfg))


# -- per-item features ----------------------------------------------------------------------
def feature_names(cfg: TemperatureSettings) -> list[str]:
    """Per-story feature columns: each tone emotion, their max, each escalation/politics marker."""
    return ([f"tone_{e}" for e in cfg.tone_emotions] + (["tone_max"] if cfg.tone_emotions else [])
            + [f"esc_{m}" for m in cfg.escalation_markers]
            + [f"pol_{m}" for m in cfg.politicisation_markers])


@dataclass(frozen=True)
class ItemFeatures:
    """Relevant items as arrays (story key, publisher, reach code, fetch time) plus sparse tag
    marks (row into those arrays, feature column, value): most items carry no marker at all."""

    story: np.ndarray
    publisher: np.ndarray  # codes into publisher_names
    publisher_names: np.ndarray
    reach: np.ndarray
    t: np.ndarray
    mark_row: np.ndarray
    mark_col: np.ndarray
    mark_value: np.ndarray


def item_features(items: pd.DataFrame, tags: pd.DataFrame, cfg: TemperatureSettings) -> ItemFeatures:
    """Relevant items and their weighted tag marks, ready to fold into `Aggregates`."""
    keep = items["relevance"].to_numpy(dtype=float) >= cfg.min_relevance
    item_id = items["item_id"].to_numpy(dtype=np.int64)[keep]
    story = pd.array(items["story_id"], dtype="Int64")[keep]
    # A story without story_id is its own story: even keys for stories, odd for lone items.
    key = np.where(story.isna(), item_id * 2 + 1, story.fillna(0).to_numpy(dtype=np.int64) * 2)
    reach_codes, reach_names = _codes(items["reach"])
    reach = np.array([REACHES.index(r) if r in REACHES else -1 for r in reach_names] + [-1],
                     dtype=np.int8)[reach_codes[keep]]  # code -1 (missing) picks the last: -1
    publisher_codes, publisher_names = _codes(items["publisher"])
    names = feature_names(cfg)
    weights: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for e in cfg.tone_emotions:
        weights.setdefault(("emotion", e), []).append((names.index(f"tone_{e}"), 1.0))
        weights[("emotion", e)].append((names.index("tone_max"), 1.0))
    for prefix, markers in (("esc_", cfg.escalation_markers), ("pol_", cfg.politicisation_markers)):
        for marker, weight in markers.items():
            tag_set, tag_key = marker.split(":", 1)
            weights.setdefault((tag_set, tag_key), []).append((names.index(prefix + marker), weight))
    rows, cols, vals = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    if len(tags):
        set_codes, set_names = _codes(tags["tag_set"])
        key_codes, key_names = _codes(tags["tag_key"])
        wanted = np.isin(set_codes, [i for i, v in enumerate(set_names) if v in {s for s, _ in weights}])
        set_codes, key_codes = set_codes[wanted], key_codes[wanted]
        pair_codes = set_codes.astype(np.int64) * (len(key_names) + 1) + key_codes
        tg_rows = _rows_of(item_id, tags["item_id"].to_numpy(dtype=np.int64)[wanted])
        tg_score = tags["score"].to_numpy(dtype=float)[wanted]
        set_pos = {v: i for i, v in enumerate(set_names)}
        key_pos = {v: i for i, v in enumerate(key_names)}
        for (tag_set, tag_key), targets in weights.items():
            if tag_set not in set_pos or tag_key not in key_pos:
                continue
            code = set_pos[tag_set] * (len(key_names) + 1) + key_pos[tag_key]
            hit = (pair_codes == code) & (tg_rows >= 0)
            for col, weight in targets:
                rows.append(tg_rows[hit])
                cols.append(np.full(int(hit.sum()), col, dtype=np.int64))
                vals.append(tg_score[hit] * weight)
    return ItemFeatures(key, publisher_codes[keep], publisher_names, reach,
                        _ns(items["fetched_at"])[keep], np.concatenate(rows),
                        np.concatenate(cols), np.concatenate(vals))


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and their labels; free for categoricals (the store delivers those)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy()
    return pd.factorize(values.to_numpy())


def _rows_of(item_id: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Row of each wanted item id in item_id, -1 when absent."""
    if len(item_id) and item_id.min() >= 0 and item_id.max() < 10 * len(item_id) + 1_000_000:
        # Database ids are dense: a lookup table beats hashing by an order of magnitude.
        table = np.full(int(item_id.max()) + 1, -1, dtype=np.int64)
        table[item_id] = np.arange(len(item_id))
        inside = (wanted >= 0) & (wanted < len(table))
        return np.where(inside, table[np.clip(wanted, 0, len(table) - 1)], -1)
    return pd.Index(item_id).get_indexer(wanted)


def _factorize_ids(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize for keys made from database ids: dense, so a presence table beats hashing."""
    if len(keys) and keys.min() >= 0 and keys.max() < 4 * len(keys) + 2_000_000:
        present = np.zeros(int(keys.max()) + 1, dtype=bool)
        present[keys] = True
        uniques = np.flatnonzero(present)
        code_of = np.cumsum(present) - 1
        return code_of[keys], uniques
    return pd.factorize(keys)


# -- per-bin aggregates ---------------------------------------------------------------------
_NEVER = np.iinfo(np.int64).max


@dataclass
class Aggregates:
    """Per-bin sums on a fixed epoch-aligned grid; what a new batch updates incrementally.

    A story counts in the bin of its first item, with the strongest tags of its items in that
    bin: later copies only add to spread, so ten copies of one wire story are one story.
    """

    origin: int
    n_bins: int
    step_ns: int
    names: list[str]
    new_stories: np.ndarray  # bins
    sums: np.ndarray  # features x bins
    story_keys: pd.Index
    first_bin: np.ndarray  # stories
    story_feats: np.ndarray  # stories x features
    publishers: dict[object, int]
    presence: np.ndarray  # publishers x bins, bool
    reach: np.ndarray  # 4 x bins, bool

    @classmethod
    def empty(cls, origin: int, n_bins: int, cfg: TemperatureSettings) -> Aggregates:
        names = feature_names(cfg)
        return cls(origin, n_bins, step_ns(cfg), names, np.zeros(n_bins), np.zeros((len(names), n_bins)),
                   pd.Index(np.zeros(0, np.int64)), np.zeros(0, np.int64), np.zeros((0, len(names))),
                   {}, np.zeros((0, n_bins), dtype=bool), np.zeros((len(REACHES), n_bins), dtype=bool))

    def sum_of(self, name: str) -> np.ndarray:
        return self.sums[self.names.index(name)] if name in self.names else np.zeros(self.n_bins)

    def extend(self, n_bins: int) -> None:
        """Grow the grid when time moves on (new bins are empty)."""
        extra = n_bins - self.n_bins
        if extra <= 0:
            return
        self.new_stories = np.pad(self.new_stories, (0, extra))
        self.sums = np.pad(self.sums, ((0, 0), (0, extra)))
        self.presence = np.pad(self.presence, ((0, 0), (0, extra)))
        self.reach = np.pad(self.reach, ((0, 0), (0, extra)))
        self.n_bins = n_bins

    def add(self, f: ItemFeatures) -> None:
        """Fold a batch in: only the stories and bins the batch touches change."""
        b = (f.t - self.origin) // self.step_ns
        inside = (b >= 0) & (b < self.n_bins)
        if not inside.any():
            return
        self._add_presence(f.publisher[inside], f.publisher_names, f.reach[inside], b[inside])
        codes = self._story_codes(f.story)
        mark = np.zeros(len(self.story_keys), dtype=bool)
        mark[codes[inside]] = True
        everything = bool(mark.all())
        touched = slice(None) if everything else np.flatnonzero(mark)
        old_first = self.first_bin[touched].copy()
        known = old_first != _NEVER
        if known.any():  # take the touched stories out, to put them back updated
            old_feats = self.story_feats[touched][known]
            self._apply(old_first[known], old_feats, -1.0)
        first = self.first_bin
        np.minimum.at(first, codes[inside], b[inside])
        if known.any():
            # Tags count from the story's first bin only; an out-of-order earlier item resets them.
            same = (first[touched] == old_first)[known]
            rows = np.arange(len(self.story_keys))[touched][known]
            self.story_feats[rows] = np.where(same[:, None], old_feats, 0.0)
        m_ok = inside[f.mark_row]
        m_rows = f.mark_row[m_ok]
        at_first = b[m_rows] == first[codes[m_rows]]
        np.maximum.at(self.story_feats, (codes[m_rows][at_first], f.mark_col[m_ok][at_first]),
                      f.mark_value[m_ok][at_first])
        self._apply(first[touched], self.story_feats[touched], +1.0)

    def _story_codes(self, keys: np.ndarray) -> np.ndarray:
        start = len(self.story_keys)
        if start:
            codes = self.story_keys.get_indexer(keys)
            missing = codes < 0
        else:
            codes, missing = np.full(len(keys), -1, dtype=np.int64), np.ones(len(keys), dtype=bool)
        if missing.any():
            new_codes, new_keys = _factorize_ids(keys[missing])
            self.story_keys = self.story_keys.append(pd.Index(new_keys)) if start else pd.Index(new_keys)
            self.first_bin = np.concatenate([self.first_bin, np.full(len(new_keys), _NEVER)])
            fresh = np.zeros((len(new_keys), len(self.names)))
            self.story_feats = np.vstack([self.story_feats, fresh]) if start else fresh
            codes[missing] = start + new_codes
        return codes

    def _apply(self, first: np.ndarray, feats: np.ndarray, sign: float) -> None:
        real = first != _NEVER
        if not real.any():
            return
        self.new_stories += sign * np.bincount(first[real], minlength=self.n_bins)
        tagged = real & feats.any(axis=1)  # most stories carry no marker at all
        bins, values = first[tagged], feats[tagged]
        for j in range(len(self.names)):
            self.sums[j] += sign * np.bincount(bins, weights=values[:, j], minlength=self.n_bins)

    def _add_presence(self, codes: np.ndarray, names: np.ndarray, reach: np.ndarray,
                      b: np.ndarray) -> None:
        # a missing publisher (code -1) maps to the extra last entry: one shared "onbekend"
        mapping = np.array([self.publishers.setdefault(u, len(self.publishers)) for u in names]
                           + [self.publishers.setdefault(None, len(self.publishers))], dtype=np.int64)
        grow = len(self.publishers) - self.presence.shape[0]
        if grow > 0:
            self.presence = np.pad(self.presence, ((0, grow), (0, 0)))
        self.presence[mapping[codes], b] = True
        ok = reach >= 0
        self.reach[reach[ok], b[ok]] = True


def build_aggregates(items: pd.DataFrame, tags: pd.DataFrame, start: datetime, end: datetime,
                     cfg: TemperatureSettings) -> Aggregates:
    origin = grid_origin(start, cfg)
    agg = Aggregates.empty(origin, _n_bins(origin, end, cfg), cfg)
    agg.add(item_features(items, tags, cfg))
    return agg


def bins_frame(agg: Aggregates) -> pd.DataFrame:
    """The bins with anything in them, as the store keeps them (temperature_bins, migration 017):
    the stories that began in each bin, the feature sums, a reach bitmask and a packed bitmap
    of the publishers seen. Enough for the series; the per-story state that `add` needs is not
    kept, so stored bins are rebuilt from the items rather than updated."""
    used = np.flatnonzero((agg.new_stories != 0) | agg.sums.any(axis=0) | agg.presence.any(axis=0)
                          | agg.reach.any(axis=0))
    reach = (agg.reach[:, used].astype(np.uint8) << np.arange(len(REACHES), dtype=np.uint8)[:, None]).sum(
        axis=0, dtype=np.uint8)
    packed = np.ascontiguousarray(np.packbits(agg.presence[:, used], axis=0).T)  # one row of bytes per bin
    return pd.DataFrame({"bin": used.astype(np.int32), "new_stories": agg.new_stories[used],
                         "sums": list(agg.sums[:, used].T), "reach": reach,
                         "presence": [row.tobytes() for row in packed]})


def aggregates_from_bins(bins: pd.DataFrame, origin: int, n_publishers: int, names: list[str],
                         end: datetime, cfg: TemperatureSettings) -> Aggregates:
    """Aggregates up to `end` from stored bins (bins_frame of aggregates built over every input
    item): the same arrays build_aggregates gives for the items fetched up to `end`, because a
    bin only holds what was fetched in it and a story counts in its first bin. For the series
    only: the per-story state is empty, so `add` must not be called on the result."""
    n = _n_bins(origin, end, cfg)
    agg = Aggregates.empty(origin, n, cfg)
    if list(names) != agg.names:
        raise ValueError(f"stored bins have features {names}, the settings {agg.names}")
    keep = bins[bins["bin"].to_numpy() < n]
    b = keep["bin"].to_numpy(dtype=np.int64)
    agg.new_stories[b] = keep["new_stories"].to_numpy(dtype=float)
    if len(b) and agg.names:
        agg.sums[:, b] = np.vstack(keep["sums"].to_list()).T
    codes = keep["reach"].to_numpy(dtype=np.uint8)
    for i in range(len(REACHES)):
        agg.reach[i, b] = (codes >> i) & 1 == 1
    agg.presence = np.zeros((n_publishers, n), dtype=bool)
    if len(b) and n_publishers:
        packed = np.frombuffer(b"".join(keep["presence"].to_list()), dtype=np.uint8).reshape(len(b), -1)
        agg.presence[:, b] = np.unpackbits(packed, axis=1, count=n_publishers).T.astype(bool)
    return agg


def _n_bins(origin: int, end: datetime, cfg: TemperatureSettings) -> int:
    end_ns = _ns(pd.DatetimeIndex([end]))[0]
    return max(0, int((end_ns - origin) // step_ns(cfg)))


# -- windowed series ------------------------------------------------------------------------
def _window_sum(values: np.ndarray, w: int) -> np.ndarray:
    cs = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)
    out = cs[..., w:] - cs[..., :-w]
    pad = cs[..., 1:w] if w > 1 else cs[..., :0]
    return np.concatenate([pad, out], axis=-1)


def poisson_tail_log10(count: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """log10 P(X >= count) for X ~ Poisson(lam); 0 where count <= lam (nothing unusual).

    Uses the series of the regularised lower incomplete gamma P(count, lam), which converges
    quickly exactly where it matters (count above lam); numpy only, no scipy.
    """
    count = np.asarray(count, dtype=float)
    lam = np.asarray(lam, dtype=float)
    out = np.zeros(np.broadcast(count, lam).shape)
    mask = count > lam
    if not mask.any():
        return out
    a, x = np.broadcast_to(count, out.shape)[mask], np.broadcast_to(lam, out.shape)[mask]
    term = np.ones_like(a)
    total = np.ones_like(a)
    for n in range(1, 2000):
        term = term * x / (a + n)
        total += term
        if (term < 1e-15 * total).all():
            break
    lgam = np.array([math.lgamma(v + 1.0) for v in a])
    out[mask] = np.minimum(0.0, (a * np.log(x) - x - lgam + np.log(total)) / math.log(10))
    return out


def _coverage_ok(coverage: pd.DataFrame | None, origin: int, n_bins: int,
                 cfg: TemperatureSettings) -> np.ndarray:
    """Per bin: was there a successful collection run in the last max_gap_hours?

    No runs recorded at all means health is not tracked (e.g. an import): then every bin counts
    as covered rather than the whole picture reading as "geen gegevens".
    """
    if coverage is None or coverage.empty:
        return np.ones(n_bins, dtype=bool)
    good = coverage[coverage["status"].isin(OK_STATUSES)]
    b = (_ns(good["finished_at"]) - origin) // step_ns(cfg)
    b = b[(b >= 0) & (b < n_bins)]
    ran = np.bincount(b, minlength=n_bins).astype(float)
    gap = max(1, round(cfg.max_gap_hours * 60 / cfg.step_minutes))
    return _window_sum(ran, gap) > 0


def _signal_weights(signals: pd.DataFrame, cfg: TemperatureSettings) -> pd.DataFrame:
    s = signals
    base = (s["severity"].to_numpy(dtype=float) / 5.0
            * s["reliability"].map(cfg.reliability_weights).fillna(0.5).to_numpy(dtype=float)
            * s["credibility"].astype(str).map(cfg.credibility_weights).fillna(0.5).to_numpy(dtype=float)
            * s["verification"].map(cfg.verification_weights).fillna(0.6).to_numpy(dtype=float))
    return pd.DataFrame({
        "base": base,
        "occurred": _ns(s["occurred_at"]),
        "entered": _ns(s["entered_at"]),
        "lift": [cfg.severity_phase[min(5, max(1, int(v))) - 1] if ver == "bevestigd" else 1
                 for v, ver in zip(s["severity"], s["verification"], strict=True)],
    })


_REVISED: dict[str, Callable[[Any], Any]] = {
    "reliability": str, "credibility": int, "verification": str, "severity": int,
    "occurred_at": lambda v: pd.Timestamp(v).tz_convert("UTC") if pd.Timestamp(v).tzinfo
    else pd.Timestamp(v, tz="UTC"),
}


def signal_versions(signals: pd.DataFrame, revisions: pd.DataFrame | None) -> pd.DataFrame:
    """Each signal as the sequence of states it had, with valid_from (entered_at) / valid_until.

    An edit (say onbevestigd -> bevestigd) must count from the moment it was made, not from when
    the signal was entered: replaying yesterday shows yesterday's verification.
    """
    if revisions is None or revisions.empty or signals.empty:
        return signals.assign(valid_until=pd.NaT)
    rows = []
    revs = revisions[revisions["field"].isin(list(_REVISED))]
    by_signal = dict(tuple(revs.groupby("signal_id")))
    for signal in signals.to_dict("records"):
        changes = by_signal.get(signal["signal_id"])
        if changes is None:
            rows.append({**signal, "valid_until": pd.NaT})
            continue
        state, upper = dict(signal), pd.NaT
        for when, group in sorted(changes.groupby("changed_at"), key=lambda g: g[0], reverse=True):
            rows.append({**state, "entered_at": max(when, signal["entered_at"]), "valid_until": upper})
            for name, old in zip(group["field"], group["old"], strict=True):
                state[name] = _REVISED[name](old) if old is not None else state[name]
            upper = when
        rows.append({**state, "valid_until": upper})
    frame = pd.DataFrame(rows)
    for col in ("occurred_at", "entered_at", "valid_until"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame[frame["valid_until"].isna() | (frame["valid_until"] > frame["entered_at"])]


def signal_matrix(signals: pd.DataFrame | None, points: np.ndarray,
                  cfg: TemperatureSettings) -> tuple[np.ndarray, np.ndarray]:
    """Decayed weight of each signal at each point (points x signals), and the phase lift per point.

    A signal counts from the moment it was entered (what we knew), decaying from when it occurred.
    """
    if signals is None or signals.empty:
        return np.zeros((len(points), 0)), np.ones(len(points), dtype=int)
    w = _signal_weights(signals, cfg)
    until = np.full(len(signals), _NEVER)
    if "valid_until" in signals:
        ends = pd.to_datetime(signals["valid_until"], utc=True)
        until[ends.notna().to_numpy()] = _ns(ends.dropna())
    known = (w["entered"].to_numpy()[None, :] < points[:, None]) & (points[:, None] <= until[None, :])
    age_h = np.maximum(0, points[:, None] - w["occurred"].to_numpy()[None, :]) / _NS_HOUR
    weight = np.where(known, w["base"].to_numpy()[None, :] * 0.5 ** (age_h / cfg.signal_half_life_hours), 0.0)
    fresh = known & (points[:, None] - w["entered"].to_numpy()[None, :] <= cfg.override_hours * _NS_HOUR)
    lift = np.where(fresh, w["lift"].to_numpy()[None, :], 1).max(axis=1, initial=1)
    return weight, lift


def series_from_aggregates(agg: Aggregates, signals: pd.DataFrame | None,
                           coverage: pd.DataFrame | None, start: datetime, end: datetime,
                           cfg: TemperatureSettings, *, opened: datetime | None = None) -> pd.DataFrame:
    """One row per step from start to end (window end times) with components and their details.

    `opened` is when the incident began: from then on the baselines (volume, tagger noise) keep
    to same-clock windows from before it, so an unrest that lasts for days does not become its
    own normal.
    """
    w = window_bins(cfg)
    first = int((grid_origin(start, cfg) - agg.origin) // step_ns(cfg)) + history_bins(cfg)
    last = min(agg.n_bins, _n_bins(agg.origin, end, cfg))
    idx = np.arange(max(first - 1, 0), last)  # point k closes bin k: time origin + (k+1)*step
    points = agg.origin + (idx + 1) * step_ns(cfg)
    ok = _coverage_ok(coverage, agg.origin, agg.n_bins, cfg)

    counts = _window_sum(agg.new_stories, w)
    day, week = bins_per_day(cfg), 7 * bins_per_day(cfg)
    # Periods back to the first usable reference window: before the opening the usual guard and
    # lags; after it, whole days/weeks so that the reference ends before the incident began.
    since_open = np.zeros(len(idx), dtype=np.int64)
    if opened is not None:
        k_open = (_ns(pd.DatetimeIndex([opened]))[0] - agg.origin) // step_ns(cfg)
        since_open = np.maximum(0, idx + 1 - k_open)
    first_day = np.maximum(cfg.guard_days + 1, -(-since_open // day))
    first_week = np.maximum(1, -(-since_open // week))
    lags_d = [(first_day + d) * day for d in range(cfg.baseline_days)]
    lags_w = [(first_week + k) * week for k in range(cfg.baseline_weeks)]
    windowed_ok = _window_sum(ok.astype(float), w) >= w  # every bin of a history window covered

    def lagged(windowed: np.ndarray, lags: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Sum and number of the covered history windows at these lags, per point.

        Lag by lag in a fixed order, not np.nanmean: the same point must give the same bits
        however long the series is (a replay must equal what was shown live).
        """
        total, count = np.zeros(len(idx)), np.zeros(len(idx))
        for lag in lags:
            src = idx - lag
            good = src >= 0
            good[good] = windowed_ok[src[good]]
            total = total + np.where(good, windowed[np.clip(src, 0, None)], 0.0)
            count = count + good
        return total, count

    def lagged_mean(lags: list[np.ndarray]) -> np.ndarray:
        total, count = lagged(counts, lags)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def excess(col_sums: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Marker weight in the window above what the tagger finds in ordinary news.

        Word-list taggers also fire on everyday stories ("onrust over de begroting"); that noise
        grows with volume. The expected noise is the marker weight per story in the same
        history windows as the volume baseline (starting from a prior rate until enough history
        has been seen), times the stories now.
        """
        windowed = _window_sum(col_sums, w)
        marks, _ = lagged(windowed, lags_d + lags_w)
        stories, _ = lagged(counts, lags_d + lags_w)
        rate = ((marks + cfg.noise.marker_noise_rate * cfg.noise.marker_noise_stories)
                / (stories + cfg.noise.marker_noise_stories))
        now = windowed[idx]
        # Chance alone gives about expected +- sqrt(expected) markers (Poisson): only what lies
        # beyond that band is a sign of unrest.
        expected = rate * counts[idx]
        noise = expected + cfg.noise.marker_noise_sigmas * np.sqrt(expected)
        return now, noise, np.maximum(0.0, now - noise)

    daily, weekly = lagged_mean(lags_d), lagged_mean(lags_w)
    blend = np.where(np.isnan(daily), weekly, np.where(np.isnan(weekly), daily, (daily + weekly) / 2))
    baseline = np.maximum(cfg.volume_floor, np.nan_to_num(blend, nan=0.0))
    c = counts[idx]
    log10p = poisson_tail_log10(c, baseline)
    volume = np.clip(-log10p / cfg.volume_log10_cap * 100, 0, 100) + 0.0

    spread, pubs, reach_win = _spread(agg, idx, w, cfg)

    def win(col: str) -> np.ndarray:
        return _window_sum(agg.sum_of(col), w)[idx]

    tone_cols = [f"tone_{e}" for e in cfg.tone_emotions]
    tone_parts = np.vstack([win(col) for col in tone_cols]) if tone_cols else np.zeros((1, len(idx)))
    tone_sum = win("tone_max")  # each story counts with its strongest emotion
    tone = np.clip(100 * tone_sum / (c + cfg.tone_prior_stories), 0, 100)
    esc_parts = {m: win(f"esc_{m}") for m in cfg.escalation_markers}
    esc_sum, esc_noise, esc_excess = excess(_marker_bins(agg, "esc", cfg.escalation_markers))
    escalation = 100 * (1 - np.exp(-esc_excess / cfg.escalation_scale))
    pol_sum, pol_noise, pol_excess = excess(_marker_bins(agg, "pol", cfg.politicisation_markers))
    politicisation = 100 * (1 - np.exp(-pol_excess / cfg.politicisation_scale))
    sig_w, lift, sig_sum, sig_top = _signal_weights_at(signals, points, cfg)
    sig_score = 100 * (1 - np.exp(-sig_sum / cfg.signal_scale))

    has_data = ok[idx]
    frame = pd.DataFrame({
        "at": pd.to_datetime(points, utc=True),
        "has_data": has_data,
        "volume": volume, "spread": spread, "tone": tone, "escalation": escalation,
        "signals": sig_score, "politicisation": politicisation,
    })
    media = ["volume", "spread", "tone", "escalation", "politicisation"]
    frame.loc[~has_data, media] = np.nan
    total_weight = sum(cfg.weights.get(k, 0.0) for k in COMPONENTS)
    weighted = np.zeros(len(frame))
    for k in COMPONENTS:  # elementwise in a fixed order: no BLAS, so no length-dependent rounding
        weighted = weighted + frame[k].to_numpy(dtype=float) * cfg.weights.get(k, 0.0)
    frame["temperature"] = np.where(has_data, weighted / total_weight, np.nan)
    details = {
        "n_stories": c, "baseline": baseline, "log10p": log10p, "n_publishers": pubs,
        "tone_sum": tone_sum, "esc_sum": esc_sum, "esc_noise": esc_noise,
        "pol_sum": pol_sum, "pol_noise": pol_noise,
        "n_signals": (sig_w > 0.01).sum(axis=1), "sig_sum": sig_sum, "sig_top": sig_top, "lift": lift,
    }
    for i, r in enumerate(REACHES):
        details[f"reach_{r}"] = reach_win[i]
    for e, part in zip(cfg.tone_emotions, tone_parts, strict=False):
        details[f"tone_{e}"] = part
    for m, part in esc_parts.items():
        details[f"esc_{m}"] = part
    frame = pd.concat([frame, pd.DataFrame(details)], axis=1)
    frame["formula_version"] = formula_version(cfg)
    return frame


def _spread(agg: Aggregates, idx: np.ndarray, w: int,
            cfg: TemperatureSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spread per point (0-100), with the number of publishers and the reaches (reach x point)
    seen in each window."""
    lo = max(0, int(idx[0]) - w + 1) if len(idx) else 0
    hi = int(idx[-1]) + 1 if len(idx) else 0
    pubs = np.zeros(len(idx), dtype=np.int64)
    for c0 in range(0, len(idx), 4096):  # in chunks: publishers x bins can be large for long incidents
        part = idx[c0:c0 + 4096]
        sub_lo = max(0, int(part[0]) - w + 1)
        window = _window_sum(agg.presence[:, sub_lo:int(part[-1]) + 1].astype(np.int32), w)
        pubs[c0:c0 + len(part)] = (window[:, part - sub_lo] > 0).sum(axis=0)
    reach_win = _window_sum(agg.reach[:, lo:hi].astype(np.int32), w)[:, idx - lo] > 0
    reach_pts = np.array([cfg.reach_points.get(r, 0.0) for r in REACHES])
    reach_score = (reach_win * reach_pts[:, None]).sum(axis=0)
    pub_score = 100 * np.minimum(1.0, np.log1p(pubs) / math.log1p(cfg.spread_publishers_full))
    return np.clip(0.5 * pub_score + 0.5 * reach_score, 0, 100), pubs, reach_win


def _marker_bins(agg: Aggregates, prefix: str, markers: Iterable[str]) -> np.ndarray:
    """Marker weight per bin over these markers, added in configuration order (fixed rounding)."""
    bins = np.zeros(agg.n_bins)
    for m in markers:
        bins = bins + agg.sum_of(f"{prefix}_{m}")
    return bins


def _signal_weights_at(signals: pd.DataFrame | None, points: np.ndarray,
                       cfg: TemperatureSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Signal weights (points x signals), phase lift, summed weight and the weightiest signal's
    description per point."""
    sig_w, lift = signal_matrix(signals, points, cfg)
    sig_sum = np.zeros(len(points))
    for j in range(sig_w.shape[1]):  # in entry order: signals entered later never reorder the sum
        sig_sum = sig_sum + sig_w[:, j]
    sig_top = np.full(len(points), "", dtype=object)
    if signals is not None and sig_w.shape[1]:  # the weightiest signal, by its assessment (never its text)
        labels = np.array([f"{k} ernst {sev}, {ver}, {rel}{cred}" for k, sev, ver, rel, cred in zip(
            signals["kind"], signals["severity"], signals["verification"], signals["reliability"],
            signals["credibility"], strict=True)], dtype=object)
        strongest = sig_w.argmax(axis=1)
        sig_top = np.where(sig_w.max(axis=1) > 0.01, labels[strongest], "")
    return sig_w, lift, sig_sum, sig_top


def compute_series(items: pd.DataFrame, tags: pd.DataFrame, signals: pd.DataFrame | None,
                   coverage: pd.DataFrame | None, start: datetime, end: datetime,
                   cfg: TemperatureSettings, *, opened: datetime | None = None) -> pd.DataFrame:
    """Temperature points every step from start to end (window end times); the frames are
    described in the module docstring, `opened` in series_from_aggregates."""
    agg = build_aggregates(items, tags, start, end, cfg)
    return series_from_aggregates(agg, signals, coverage, start, end, cfg, opened=opened)
