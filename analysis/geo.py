"""Where the items and signals of an incident are: points for a map without a tile server.

Coordinates come from data/places/locations.csv (municipalities) and, for the demo, from
data/demo/locations.csv; a place without coordinates is counted beside the map, never dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.omgevingsbeeld import linked_places
from onrust.paths import DATA_DIR

LOCATIONS = DATA_DIR / "places" / "locations.csv"
DEMO_LOCATIONS = DATA_DIR / "demo" / "locations.csv"
COLUMNS = ["plaats", "lat", "lon", "berichten", "signalen"]


def load_locations(paths: Iterable[Path] = (LOCATIONS,)) -> dict[str, tuple[float, float]]:
    """Casefolded place name -> (lat, lon); a later file wins."""
    found: dict[str, tuple[float, float]] = {}
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            for row in rows:
                found[row["name"].casefold()] = (float(row["lat"]), float(row["lon"]))
    return found


def item_places(items: pd.DataFrame, tags: pd.DataFrame) -> dict[int, set[str]]:
    """Per item the places it names: tagged places and the places it was linked for."""
    per = {k: set(v) for k, v in linked_places(items).items()}
    if not tags.empty:
        places = tags[tags["tag_set"] == "place"]
        for item_id, key in zip(places["item_id"], places["tag_key"], strict=True):
            per.setdefault(int(item_id), set()).add(str(key))
    return per


def map_points(
    items: pd.DataFrame, tags: pd.DataFrame, signals: pd.DataFrame, locations: Mapping[str, tuple[float, float]],
    municipality: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points with coordinates, places without) with the items and signals per place; a signal
    without a wijk counts for the incident's municipality."""
    counts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for places in item_places(items, tags).values():
        for place in places:
            key = place.casefold()
            names.setdefault(key, place)
            counts.setdefault(key, [0, 0])[0] += 1
    for wijk in signals.get("neighbourhood", pd.Series(dtype=object)):
        place = wijk if isinstance(wijk, str) and wijk.strip() else municipality
        key = place.strip().casefold()
        names.setdefault(key, place.strip())
        counts.setdefault(key, [0, 0])[1] += 1
    rows = [(names[k], *locations.get(k, (None, None)), n[0], n[1]) for k, n in counts.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS).sort_values(["berichten", "plaats"], ascending=[False, True])
    placed = frame["lat"].notna()
    return frame[placed].reset_index(drop=True), frame[~placed][["plaats", "berichten", "signalen"]].reset_index(
        drop=True)
