"""What a regex needs to match, read from its parsed form: lets the tagger skip most of its
~130 lexicon regexes per item (a substring test or a cached word lookup instead of a scan)."""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse

_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def required_literals(pattern: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(opening literals, required literals) of a regex, lower case; None where unknown.

    Scanning ~130 lexicon regexes over every item costs more than the rest of tagging. A regex
    that opens with literal words is tried only where they occur; another one only runs when
    one of its required strings is in the text.
    """
    try:
        parsed = list(sre_parse.parse(pattern, re.IGNORECASE))
    except re.error:
        return None, None
    return _opening(parsed), _literals(parsed)


def starts_at_word(pattern: str) -> bool:
    """Whether a regex opens with \\b (after any lookbehinds): then it can only match where a
    word starts, and occurrences of its opening literal inside words need no try."""
    try:
        parsed = list(sre_parse.parse(pattern, re.IGNORECASE))
    except re.error:
        return False
    for op, arg in parsed:
        if op is sre_constants.AT:
            return arg is sre_constants.AT_BOUNDARY
        if op not in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            return False
    return False


def _opening(items: list) -> tuple[str, ...] | None:
    run = ""
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            break
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.SUBPATTERN:
            return _opening(list(arg[-1]))
        if op is sre_constants.BRANCH:
            heads = [_opening(list(branch)) for branch in arg[1]]
            known = [h for h in heads if h]
            return tuple(x for h in known for x in h) if len(known) == len(heads) else None
        return None
    return (run.lower(),) if run else None


def _literals(items: list) -> tuple[str, ...] | None:
    """The most selective required literal set of a parsed sequence (longest shortest member)."""
    candidates: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append((run.lower(),))
            run = ""
        found: tuple[str, ...] | None = None
        if op is sre_constants.SUBPATTERN:
            found = _literals(list(arg[-1]))
        elif op is sre_constants.BRANCH:
            heads = [_literals(list(branch)) for branch in arg[1]]
            known = [h for h in heads if h]
            if len(known) == len(heads):
                found = tuple(x for head in known for x in head)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[0] >= 1:
            found = _literals(list(arg[2]))
        if found:
            candidates.append(found)
    if run:
        candidates.append((run.lower(),))
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(x) for x in c))
