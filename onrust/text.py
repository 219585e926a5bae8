"""Untrusted text (feeds, signals, user input) shown through Markdown, literally."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_\[\]#|<>~$])")  # what can start markup mid-line


def md_escape(text: object, *, one_line: bool = True) -> str:
    """Every Markdown special character escaped, so no link, image or HTML can come through.

    one_line folds white space (feed titles, names); False keeps line breaks (messages).
    """
    value = str(text)
    if one_line:
        value = " ".join(value.split())
    return _MARKDOWN.sub(r"\\\1", value)
