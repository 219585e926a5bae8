"""Benchmark for `onrust bench tag`: tag_many over generated title + summary items (~80 words)."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from analysis.tagging import Tagger
from devtools.eval_tagging import EVAL_FILE, load_examples

# Sentences in the register of Dutch regional news: most are neutral, some carry tags.
_TITLES = (
    "Onrust in {wijk} na {gebeurtenis}",
    "Gemeente {plaats} zet extra handhavers in na {gebeurtenis}",
    "Buurtbewoners {plaats} bezorgd over {gebeurtenis}",
    "Politie onderzoekt {gebeurtenis} in {plaats}",
    "Nieuwe fietsenstalling bij station {plaats} geopend",
    "Raad {plaats} debatteert over begroting en woningbouw",
    "Burgemeester {naam} reageert op {gebeurtenis}",
    "Brandweer rukt uit voor schoorsteenbrand in {plaats}",
)
_SENTENCES = (
    "Volgens de politie zijn twee mensen aangehouden en is het onderzoek in volle gang.",
    "Buurtbewoners zeggen dat ze zich al langer zorgen maken over de situatie in de wijk.",
    "De gemeente laat weten dat er vanavond een bewonersavond wordt georganiseerd in het buurthuis.",
    "Op sociale media wordt opgeroepen om zaterdag 14 maart te verzamelen bij het gemeentehuis.",
    "Naar verluidt zou de verdachte eerder zijn veroordeeld voor een vergelijkbaar feit.",
    "De wethouder van jeugdzorg heeft de gemeenteraad met een brief geïnformeerd.",
    "Het weer was zonnig en veel mensen kwamen naar de markt op het plein.",
    "De bibliotheek is vanaf maandag weer op de gewone tijden geopend.",
    "Er werden ruiten ingegooid en een auto werd in brand gestoken.",
    "De ME moest ingrijpen toen een groep jongeren stenen gooide naar agenten.",
    "Slachtofferhulp en de GGD bieden ondersteuning aan omwonenden die dat willen.",
    "Volgens ingewijden gaat het om een ruzie die uit de hand is gelopen.",
    "De supermarkt aan de Dorpsstraat gaat na de verbouwing weer open.",
    "Ouders van leerlingen van de basisschool zijn geschokt en willen opheldering.",
    "De oppositie in de raad wil dat de burgemeester uitlegt waarom niet eerder is ingegrepen.",
    "De wedstrijd eindigde in een gelijkspel, tot grote teleurstelling van de thuisfans.",
)
_FILL = {
    "wijk": ("Deppenbroek", "de Schilderswijk", "Overvecht", "het centrum"),
    "plaats": ("Enschede", "Hengelo", "Almelo", "Zwolle", "Deventer", "Utrecht", "Tilburg"),
    "gebeurtenis": ("steekpartij", "brand in flat", "geruchten over verdachte", "schietincident", "demonstratie"),
    "naam": ("Van der Laan", "Jansen", "El Amrani"),
}


@dataclass(frozen=True, slots=True)
class BenchResult:
    items: int
    words: int
    seconds: float  # CPU time of the best run: one core's throughput even on a busy machine
    wall_seconds: float
    tags: int
    median_seconds: float  # CPU time of the median run, for how much the machine disturbed it
    runs: int

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


def _sentence_pool() -> list[str]:
    """The labelled set's ~400 headlines and leads plus the sentences above: a vocabulary as
    varied as real news, so caches per word form do not flatter the figure."""
    pool = list(_SENTENCES)
    if EVAL_FILE.exists():
        pool.extend(e.text.rstrip(".") + "." for e in load_examples(EVAL_FILE))
    return pool


def make_items(count: int, seed: int = 4) -> list[str]:
    """Title + summary texts of about 80 words, reproducible for a seed."""
    rng = random.Random(seed)
    pool = _sentence_pool()
    items = []
    for _ in range(count):
        fill = {k: rng.choice(v) for k, v in _FILL.items()}
        title = rng.choice(_TITLES).format(**fill)
        body: list[str] = []
        while sum(len(s.split()) for s in body) < 68:
            body.append(rng.choice(pool))
        items.append(f"{title}. {' '.join(body)}")
    return items


def run_bench(tagger: Tagger, count: int = 2000, batch_size: int = 256, runs: int = 3) -> BenchResult:
    """Best of `runs` (timeit's convention: the fastest run is the least disturbed by other
    processes sharing the core), with the median beside it."""
    items = make_items(count)
    tagger.tag_many(items[:50], batch_size=batch_size)  # warm caches before timing
    timings = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        tags = tagger.tag_many(items, batch_size=batch_size)
        timings.append((time.process_time() - cpu, time.perf_counter() - wall))
    cpu, wall = min(timings)
    median = statistics.median(t[0] for t in timings)
    return BenchResult(
        count, sum(len(t.split()) for t in items), cpu, wall, sum(len(t) for t in tags), median, runs
    )
