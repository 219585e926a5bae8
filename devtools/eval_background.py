"""`onrust eval temperature --background FILE`: the temperature over a month of real news.

The scripted scenarios (analysis.timelines) say whether the indicator detects unrest; this says
whether ordinary real news raises a false alarm. Every item of the file (real regional and 112
news, JSON lines with id, outlet, published, title, summary; kept outside the repository like the
real tagging set) is tagged by the real tagger and counted as relevant to one incident: the
worst case, as if the watch profile matched everything a region publishes in a month.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.phases import episodes, phase_path
from analysis.relevance import item_text
from analysis.tagging import Tagger
from analysis.temperature import compute_series
from onrust.paths import ROOT
from onrust.settings import TemperatureSettings

# Where `onrust eval corpus` writes the month (git ignores var/: the texts are the outlets').
DEFAULT_BACKGROUND = ROOT / "var" / "eval" / "background.jsonl"

# The baseline needs history before the first scored point (as in the scripted scenarios).
WARM_UP = timedelta(days=2)
# Collection runs this often in the replay (every run succeeds: real news, no outages).
RUN_EVERY = "15min"
SIGNAL_COLUMNS = ["signal_id", "kind", "reliability", "credibility", "verification", "severity",
                  "occurred_at", "entered_at", "text"]


@dataclass(frozen=True, slots=True)
class BackgroundEvaluation:
    items: int
    days: float
    highest_phase: int
    hours_by_phase: dict[int, float]
    false_episodes: int  # runs of phase >= 3: every one is false on news without unrest
    markers: int  # items with a phase or dynamiek tag

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "days": round(self.days, 1), "highest_phase": self.highest_phase,
                "hours_by_phase": {str(k): round(v, 1) for k, v in self.hours_by_phase.items()},
                "false_episodes": self.false_episodes, "markers": self.markers}


def load_background(path: Path) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    frame = pd.DataFrame(rows, columns=["id", "outlet", "published", "title", "summary"])
    frame["published"] = pd.to_datetime(frame["published"], utc=True)
    return frame.sort_values("published").reset_index(drop=True)


def evaluate_background(tagger: Tagger, news: pd.DataFrame, cfg: TemperatureSettings) -> BackgroundEvaluation:
    texts = [item_text(t, s or "") for t, s in zip(news["title"], news["summary"], strict=True)]
    tagged = tagger.tag_many(texts)
    items = pd.DataFrame({
        "item_id": range(1, len(news) + 1), "story_id": pd.array(range(1, len(news) + 1), dtype="Int64"),
        "publisher": news["outlet"].astype(str), "reach": "regionaal",
        "fetched_at": news["published"], "published_at": news["published"], "relevance": 1.0,
    })
    tags = pd.DataFrame(
        [(i + 1, t.tag_set, t.key, float(t.score)) for i, found in enumerate(tagged) for t in found],
        columns=["item_id", "tag_set", "tag_key", "score"],
    )
    start, end = news["published"].iloc[0].to_pydatetime(), news["published"].iloc[-1].to_pydatetime()
    runs = pd.date_range(start, end, freq=RUN_EVERY)
    coverage = pd.DataFrame({"source_id": 1, "started_at": runs - pd.Timedelta(seconds=20),
                             "finished_at": runs, "status": "ok"})
    signals = pd.DataFrame(columns=SIGNAL_COLUMNS).astype({"occurred_at": "datetime64[ns, UTC]",
                                                           "entered_at": "datetime64[ns, UTC]"})
    series = compute_series(items, tags, signals, coverage, start + WARM_UP, end, cfg, opened=start)
    path = phase_path(series, cfg)
    step_hours = cfg.step_minutes / 60
    counts = path["phase"].value_counts()
    markers = tags[tags["tag_set"].isin(["phase", "dynamiek"])]["item_id"].nunique()
    return BackgroundEvaluation(
        len(news), (end - start - WARM_UP) / timedelta(days=1), int(path["phase"].max()),
        {int(p): float(n) * step_hours for p, n in sorted(counts.items())}, len(episodes(path)), int(markers),
    )
