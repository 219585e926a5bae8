"""The full tagger never raises and never points outside its text: on generated garbage (control
characters, NUL, 100 kB strings, punctuation, mixed scripts and RTL overrides, lone surrogates,
very long words, thousands of capitalised words), on every text of the shipped evaluation sets
and, where it exists locally, on every text of the real news corpus. Seeded: a failure names
the case, which the same seed makes again; a fixed number of cases keeps it to seconds."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator, Sequence

import pytest

from analysis.nlp import spacy_safe
from analysis.relevance import item_text
from analysis.tagging import Tag, Tagger, load_tagger
from devtools.eval_real import corpus_path
from devtools.eval_tagging import EVAL_FILE, NAMES_FILE, load_examples

SEED = 20261202
RANDOM_CASES = 400
CONTROL = "".join(map(chr, range(32))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0)))
PUNCTUATION = string.punctuation + "«»„“”‘’‹›–—…·•¡¿§¶†‡‰′″"
SCRIPTS = (
    "مظاهرة في أمستردام الليلة",  # Arabic
    "阿姆斯特丹今晚发生骚乱",  # CJK
    "Беспорядки в Роттердаме",  # Cyrillic
    "הפגנה באוטרכט",  # Hebrew
    "🔥🚒👮‍♀️🏳️‍🌈🇳🇱",  # emoji with ZWJ sequences and flags
    "ঢাকায় বিক্ষোভ",  # Bengali
)
BIDI = ("\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200f", "\u200e")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2060", "\u0301", "\u0308", "\ufe0f")
DUTCH = ("Rellen", "in", "Enschede", "burgemeester", "De", "Vries", "politie", "Meerwijk", "brand",
         "noodverordening", "Van", "der", "Uithoorn", "ME", "OM", "naar", "verluidt", "demonstratie")


def _random_text(rng: random.Random) -> str:
    """A mix of Dutch words, other scripts, controls, bidi marks, surrogates and punctuation."""
    parts = []
    for _ in range(rng.randint(1, 60)):
        pick = rng.random()
        if pick < 0.35:
            parts.append(rng.choice(DUTCH))
        elif pick < 0.45:
            parts.append(rng.choice(SCRIPTS))
        elif pick < 0.55:
            parts.append("".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 5))))
        elif pick < 0.65:
            parts.append(rng.choice(BIDI) + rng.choice(DUTCH) + rng.choice(INVISIBLE))
        elif pick < 0.7:
            parts.append(chr(rng.randint(0xD800, 0xDFFF)))  # lone surrogate
        elif pick < 0.8:
            parts.append("".join(rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 8))))
        elif pick < 0.9:
            parts.append(chr(rng.randint(0x20, 0x10FFFF)))
        else:
            parts.append(rng.choice(DUTCH).upper() + rng.choice(("", "-", "'s", ".", ":")))
    return rng.choice(("", " ", "\n", "\t", "  ")).join(parts)


def garbage(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(name, text) cases; names say what a failing case was."""
    yield "leeg", ""
    yield "spaties", " \t\n\r\x0b\x0c" * 50
    yield "NUL", "\x00"
    yield "NUL's in tekst", "Rellen\x00in\x00Enschede\x00" * 20
    yield "besturingstekens", CONTROL * 20
    yield "alleen leestekens", PUNCTUATION * 40
    yield "punten", "." * 10_000
    yield "100 kB letters", "".join(rng.choice(string.ascii_letters + " ") for _ in range(100_000))
    yield "100 kB één woord", "a" * 100_000
    news = "Rellen in Enschede na oproep op sociale media; de ME greep in. "
    yield "100 kB nieuws", (news * 1600)[:100_000]
    yield "lang woord", "brandstichting" * 4000
    yield "lang woord met naam", "Jan" + "de" * 20_000 + "Vries"
    yield "duizenden hoofdletterwoorden", " ".join(rng.choice(DUTCH).capitalize() for _ in range(5000))
    yield "duizenden namen", "Jan de Vries, Piet van der Berg en Anouk Verhoeven. " * 600
    yield "HOOFDLETTERS", " ".join(w.upper() for w in DUTCH) * 100
    for i, text in enumerate(SCRIPTS):
        yield f"schrift {i}", text * 50
        yield f"schrift {i} gemengd", f"Rellen in Enschede {text} burgemeester {text} De Vries"
    yield "RTL-override", "\u202eRellen in Enschede\u202c en \u2067politie\u2069 \u200fME\u200e"
    yield "onzichtbare tekens", "Ren\u200bnen\u00adbrand\u200dstichting Meer\ufeffwijk D\u0301e\u0308 Vries"
    yield "losse surrogaten", "\ud800Rellen \udfff in \udbff\udc00 Enschede \ud83d"
    yield "alleen surrogaten", "".join(chr(c) for c in range(0xD800, 0xE000, 7))
    yield "combinerende tekens", "a" + "\u0301" * 5000
    yield "cijfers en data", "14-11-2026 21:30 5 oktober 2026 14.00 31-02-2026 99:99 0000 " * 200
    for n in range(RANDOM_CASES):
        yield f"willekeurig {n} (seed {SEED})", _random_text(rng)


def _check(name: str, text: str, tags: Sequence[Tag]) -> None:
    """Offsets inside the text, and what they cut out is what the tag says it matched (the item
    view highlights by offset). A surrogate the tagger read as U+FFFD is the one exception."""
    for tag in tags:
        assert isinstance(tag.start, int) and isinstance(tag.end, int), (name, tag)
        assert 0 <= tag.start <= tag.end <= len(text), (name, tag, len(text))
        assert tag.text == spacy_safe(text[tag.start:tag.end]), (name, tag)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def test_garbage_never_breaks_the_tagger(tagger):
    cases = list(garbage(random.Random(SEED)))
    for name, text in cases:
        tags = tagger.tag(text, extra_places=("Meerwijk",), involved=("Jan de Vries",))
        _check(name, text, tags)
    # places and names typed by the analist are literal text, never patterns
    odd = ("C++", "[x", "(", "*", "\\", "a|b", "?", "Jan (de) Vries*", "", " ", "\x00", "\ud800", "$^")
    for name, text in cases[:40]:
        _check(name, text, tagger.tag(text, extra_places=odd, involved=odd))
    # the same texts in batches, as the pipeline hands them over
    texts = [text for _, text in cases]
    for (name, text), tags in zip(cases, tagger.tag_many(texts, batch_size=64), strict=True):
        _check(name, text, tags)


@pytest.mark.parametrize("path", [EVAL_FILE, NAMES_FILE], ids=["tagging_set", "person_names"])
def test_every_text_of_the_evaluation_sets(tagger, path):
    texts = [e.text for e in load_examples(path)]
    assert len(texts) > 200
    for n, (text, tags) in enumerate(zip(texts, tagger.tag_many(texts), strict=True)):
        _check(f"{path.name} regel {n}", text, tags)


def test_every_text_of_the_local_real_corpus(tagger):
    path = corpus_path()
    if not path.is_file():
        pytest.skip(f"geen lokaal corpus in {path} (var/ staat niet in git; zie data/eval/README.md)")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    texts = [item_text(r.get("title") or "", r.get("summary") or "") for r in rows]
    assert texts
    for row, text, tags in zip(rows, texts, tagger.tag_many(texts), strict=True):
        _check(f"corpus {row.get('id')}", text, tags)
