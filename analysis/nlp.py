"""The spaCy pipeline: a pretrained Dutch model when installed, else blank Dutch + lookup lemmas.

Only tokens and lemmas are needed for rule matching, so parser and NER are left out of a
pretrained model; that keeps tagging above 1,000 items/s on one core.
"""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

PRETRAINED = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")


def pretrained_name() -> str | None:
    for name in PRETRAINED:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def blank_dutch() -> Language:
    """Blank Dutch with the lookup lemmatizer from spacy-lookups-data.

    initialize() loads the lookup tables; it must run before any ruler gets patterns,
    because initialising a pipeline later wipes an EntityRuler's patterns.
    """
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
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
