"""Tagging many texts at once without letting one text stop the rest.

Two callers: the pipeline (analysis.jobs.tag_pending, a batch of stored items at a time) and
`onrust tag --jsonl` (a file of texts, one per line). Both hand the tagger whole batches, which
spaCy processes several times faster than text by text; when a batch fails, its texts are
tagged one by one so the failure stays with the text that caused it.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.tags import Tag

log = logging.getLogger("onrust.tagging")
# An error message is stored and shown on the Bronnen page: the first line, not a novel.
MAX_ERROR_CHARS = 300


@dataclass(frozen=True, slots=True)
class Tagged:
    """One text's outcome: its tags, or (with no tags) why the tagger failed on it."""

    tags: list[Tag]
    error: str | None = None


def describe(exc: BaseException) -> str:
    """An exception as one short line for the store and the user."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def tag_isolated(
    tagger: Any, texts: Sequence[str], *, extra_places: Sequence[str] = (), involved: Sequence[str] = (),
    batch_size: int = 256,
) -> list[Tagged]:
    """tag_many over the batch; when it raises, every text alone, so a text that breaks the
    tagger costs only its own tags. `tagger` is an analysis.tagging.Tagger (not imported here:
    spaCy loads with that module)."""
    try:
        results = tagger.tag_many(texts, extra_places=extra_places, involved=involved, batch_size=batch_size)
        if len(results) != len(texts):
            raise RuntimeError(f"tagger gaf {len(results)} resultaten voor {len(texts)} teksten")
        return [Tagged(list(tags)) for tags in results]
    except Exception as exc:  # one bad text must not cost the batch: find it text by text
        log.warning("tag_many faalde op %d teksten (%s); nu tekst voor tekst", len(texts), describe(exc))
    outcomes = []
    for text in texts:
        try:
            outcomes.append(Tagged(list(tagger.tag(text, extra_places=extra_places, involved=involved))))
        except Exception as exc:  # kept with its error; the other texts are tagged
            outcomes.append(Tagged([], describe(exc)))
    return outcomes


# -- `onrust tag --jsonl` ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Line:
    """One input line: its id (given, else the line number) and its text, or why it has none."""

    id: Any
    text: str | None
    error: str | None = None


def parse_line(number: int, raw: str) -> Line:
    """A JSON string, or an object with "text" (and optional "id"); anything else is an error
    for this line only."""
    try:
        value = json.loads(raw)
    except ValueError as exc:
        return Line(number, None, f"geen geldige JSON: {exc}")
    if isinstance(value, str):
        return Line(number, value)
    if isinstance(value, dict):
        line_id = value.get("id", number)
        if isinstance(value.get("text"), str):
            return Line(line_id, value["text"])
        return Line(line_id, None, 'object zonder tekst: verwacht {"text": "..."}')
    kind = type(value).__name__
    return Line(number, None, f'verwacht een JSON-tekst of een object met "text", niet {kind}')


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {"set": tag.tag_set, "key": tag.key, "text": tag.text, "start": tag.start, "end": tag.end,
            "score": tag.score, "value": tag.value, "ref": tag.ref}


def tag_lines(
    tagger: Any, lines: Iterable[str], *, batch_size: int = 256, extra_places: Sequence[str] = (),
    involved: Sequence[str] = (),
) -> Iterator[dict[str, Any]]:
    """One result per non-blank input line, in input order: {"id", "tags", "error"}. Reads and
    tags `batch_size` lines at a time, so a file of any size tags in bounded memory."""
    numbered = ((n, raw) for n, raw in enumerate(lines, start=1) if raw.strip())
    while chunk := [parse_line(n, raw) for n, raw in itertools.islice(numbered, batch_size)]:
        wanted = [line.text for line in chunk if line.text is not None]
        tagged = iter(tag_isolated(tagger, wanted, extra_places=extra_places, involved=involved,
                                   batch_size=batch_size) if wanted else [])
        for line in chunk:
            if line.text is None:
                yield {"id": line.id, "tags": [], "error": line.error}
            else:
                outcome = next(tagged)
                yield {"id": line.id, "tags": [tag_dict(t) for t in outcome.tags], "error": outcome.error}


def result_line(result: dict[str, Any]) -> str:
    """A result as one JSON line: readable UTF-8, or ASCII escapes for text that UTF-8 cannot
    carry (a lone surrogate from a "\\ud800" escape in the input)."""
    line = json.dumps(result, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(result)
    return line
