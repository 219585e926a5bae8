"""The spaCy pipeline: a pretrained Dutch model when installed, else blank Dutch + lookup lemmas.

Only tokens and lemmas are needed for rule matching, so parser and NER are left out of a
pretrained model; that keeps tagging above 1,000 items/s on one core.
"""

from __future__ import annotations

import importlib.util
import re
from typing import cast

import numpy
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.lookups import Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

PRETRAINED = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
FAST_LEMMAS = "onrust_lookup_lemmas"
_SURROGATE = re.compile("[\ud800-\udfff]")


def spacy_safe(text: str) -> str:
    """`text` with U+FFFD for every surrogate code point (a lone "\\ud800" escape in JSON input):
    spaCy stores every token as UTF-8, which cannot hold one, and would raise. One code point
    for one, so every character offset stays valid for the original text."""
    return _SURROGATE.sub("\ufffd", text)


class LookupLemmas:
    """spaCy's Dutch lookup lemmatizer (lower-cased form -> lemma from spacy-lookups-data),
    done on hash arrays with a cache instead of one Python Token per word: 5x faster."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        self.table: Table | None = None
        self._cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.table is None or len(doc) == 0:
            return doc
        lowers = doc.to_array([LOWER]).tolist()
        lemmas = numpy.empty((len(lowers), 1), dtype="uint64")
        cache = self._cache
        for i, lower in enumerate(lowers):
            lemma = cache.get(lower)
            if lemma is None:
                text = self.strings[lower]
                lemma = cache[lower] = self.strings.add(self.table.get(text, text))
            lemmas[i, 0] = lemma
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]  # stub wants thinc's Ints2d; numpy is what it takes
        return doc


@Language.factory(FAST_LEMMAS)
def make_lookup_lemmas(nlp: Language, name: str) -> LookupLemmas:
    return LookupLemmas(nlp)


def pretrained_name() -> str | None:
    for name in PRETRAINED:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def blank_dutch() -> Language:
    """Blank Dutch with the lookup lemmas of spacy-lookups-data.

    initialize() loads the lookup tables; it must run before any ruler gets patterns,
    because initialising a pipeline later wipes an EntityRuler's patterns. spaCy's own
    lemmatizer loads the table, then hands it to the faster array-based component.
    """
    nlp = spacy.blank("nl")
    # add_pipe is typed as returning any pipe callable; these return the component instances.
    lemmatizer = cast(Lemmatizer, nlp.add_pipe("lemmatizer", config={"mode": "lookup"}))
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    nlp.remove_pipe("lemmatizer")
    fast = cast(LookupLemmas, nlp.add_pipe(FAST_LEMMAS))
    fast.table = table
    return nlp


def load_nlp(prefer_pretrained: bool = True) -> tuple[Language, str]:
    """The pipeline and its name (recorded in the tagger version)."""
    name = pretrained_name() if prefer_pretrained else None
    if name is not None:
        try:
            nlp = spacy.load(name, exclude=["parser", "ner", "senter"])
            return nlp, f"{name}-{nlp.meta.get('version', '?')}"
        except (OSError, ValueError):
            pass  # a broken model install must not stop tagging: fall back to blank Dutch
    return blank_dutch(), f"blank-nl-{spacy.__version__}"
