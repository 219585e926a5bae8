"""The protocol texts (shared/seeds beside the checkout) for tests that count data lists against them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@cache
def _folder() -> Path | None:
    for parent in ROOT.parents:  # CI puts shared/ beside the clone; a worktree sits deeper
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared" / "seeds"
    return None


def seed(prefix: str) -> str:
    folder = _folder()
    if folder is None:
        pytest.skip("shared/seeds is not beside this checkout")
    (path,) = folder.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    """The part of `text` after the first `start` (after `from`), up to the next `end`."""
    head = text.index(start) + len(start)
    return text[head:text.index(end, head)]


def squeezed(text: str) -> str:
    """Without white space: the seeds break lines inside sentences and set '2e' as '2\\ne'."""
    return re.sub(r"\s+", "", text)


def bullets(text: str, mark: str) -> int:
    """Lines that start with `mark` ('-', '•', 'o')."""
    return sum(1 for line in text.splitlines() if line.strip().startswith(mark + " "))
