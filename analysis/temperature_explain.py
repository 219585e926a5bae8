"""The Dutch explanation beside every temperature component ("waarom"): the driehoek reads
these, so the indicator stays explainable (and the text stays apart from the numerics)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analysis.temperature import COMPONENTS, LABELS, REACHES
from onrust.settings import TemperatureSettings


def _nl(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _chance(log10p: float) -> str:
    if log10p > -1:
        return "niet ongewoon"
    if log10p <= -6:
        return "kans bij toeval kleiner dan 1 op een miljoen"
    return f"kans bij toeval ongeveer 1 op {round(10 ** -log10p):,}".replace(",", ".")


def _count(n: float, one: str, many: str) -> str:
    return f"{int(n)} {one if int(n) == 1 else many}"


def _noise(found: float, expected: float) -> str:
    return (f"bij dit aantal verhalen kan tot {_nl(expected)} toeval zijn (ruis van de herkenning "
            f"in gewoon nieuws), dus {_nl(max(0.0, found - expected))} telt mee.")


def explain(row: pd.Series, cfg: TemperatureSettings) -> dict[str, str]:
    """Plain Dutch: what drove each component at this point."""
    h = cfg.window_hours
    if not row["has_data"]:
        media = "geen gegevens: de verzameling lag in dit venster stil, dus dit is geen lage waarde"
        out = {k: media for k in COMPONENTS if k != "signals"}
    else:
        reaches = [r for r in REACHES if row.get(f"reach_{r}")]
        emotions = {e: row.get(f"tone_{e}", 0.0) for e in cfg.tone_emotions}
        top = max(emotions, key=lambda e: emotions[e]) if emotions and max(emotions.values()) > 0 else None
        markers = {m.split(":", 1)[1]: row.get(f"esc_{m}", 0.0) for m in cfg.escalation_markers}
        found = [f"{k} ({_nl(v)})" for k, v in markers.items() if v > 0]
        out = {
            "volume": (_count(row["n_stories"], "nieuw uniek verhaal", "nieuwe unieke verhalen")
                       + f" in {h} uur, normaal rond "
                       f"{_nl(row['baseline'])} op dit moment van dag en week; {_chance(row['log10p'])}."),
            "spread": (_count(row["n_publishers"], "oorspronkelijke bron",
                              "verschillende oorspronkelijke bronnen") + f" in {h} uur "
                       f"(kopieën van één persbureaubericht tellen één keer); bereik: "
                       f"{', '.join(reaches) if reaches else 'geen'}."),
            "tone": (f"Negatieve emotie in de nieuwe verhalen: {_nl(row['tone_sum'])} op "
                     f"{int(row['n_stories'])} verhalen"
                     + (f", vooral {top}." if top else "; geen angst, woede of verontwaardiging gevonden.")),
            "escalation": ("Escalatiekenmerken (gewogen): " + ", ".join(found) + "; "
                           + _noise(row["esc_sum"], row["esc_noise"])
                           if found else "Geen kenmerken van fase 3 of 4, eigenrichting of mobilisatie."),
            "politicisation": (f"Politieke aandacht (gewogen): {_nl(row['pol_sum'])} verhalen; "
                               + _noise(row["pol_sum"], row["pol_noise"])
                               if row["pol_sum"] > 0 else "Geen politieke reacties gevonden."),
        }
    n = int(row["n_signals"])
    out["signals"] = (f"{n} signalen tellen mee (gewogen naar ernst, betrouwbaarheid, "
                      f"geloofwaardigheid en verificatie, halveringstijd "
                      f"{_nl(cfg.signal_half_life_hours, 0)} uur): samen {_nl(row['sig_sum'], 2)}; "
                      f"zwaarste: {row['sig_top']}." if n else "Geen actuele signalen.")
    if int(row.get("lift", 1)) > 1:
        out["signals"] += f" Een bevestigd signaal tilt de fase naar ten minste {int(row['lift'])}."
    return out


def temperature_explanation(row: pd.Series, cfg: TemperatureSettings) -> str:
    """How the number is made: each component times its weight."""
    if pd.isna(row["temperature"]):
        return "Geen gegevens: de verzameling lag stil; er wordt geen temperatuur getoond."
    total = sum(cfg.weights.get(k, 0.0) for k in COMPONENTS)
    parts = [f"{LABELS[k].lower()} {_nl(row[k], 0)} × {_nl(cfg.weights.get(k, 0.0) / total, 2)}"
             for k in COMPONENTS]
    return f"Temperatuur {_nl(row['temperature'], 0)} = " + " + ".join(parts) + "."


def trend(series: pd.DataFrame, hours: int = 6) -> float | None:
    """Change of the temperature over the last `hours` (whole degrees), None when either end
    has no data: a trend across an outage would compare with a moment nobody saw."""
    if series.empty or pd.isna(series["temperature"].iloc[-1]):
        return None
    last = series.iloc[-1]
    before = series[series["at"] <= last["at"] - timedelta(hours=hours)]
    if before.empty or pd.isna(before["temperature"].iloc[-1]):
        return None
    return float(round(last["temperature"] - before["temperature"].iloc[-1])) + 0.0
