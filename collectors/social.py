"""Social posts are stored as posts, never as profiles of citizens (issue 11; AVG art. 5(1)(c)).

Unless privacy.show_account_handles allows it, a post from a social source keeps its text, time
and source, but not who posted it: the author, the link and guid (a Mastodon status address
names the account) and @-mentions in the text go before the post is stored. Its identity becomes
a hash of the original key, so a post seen again is still recognised, without the handle.
No query or view groups items by author (tests/collectors/test_social.py checks the code).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from onrust.models import Item, Source

# @name and @name@instance.tld, not e-mail addresses (a word character before the @).
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?")
MASK = "@[account]"


def is_social(source: Source) -> bool:
    return source.kind == "mastodon" or source.reach == "sociaal"


def mask_handles(text: str) -> str:
    return _HANDLE.sub(MASK, text)


def as_post(item: Item) -> Item:
    """The post without its account: no author, no address, no mentions; a stable hashed key."""
    key = "post:" + hashlib.sha256(item.item_key.encode("utf-8")).hexdigest()[:32]
    return replace(item, item_key=key, guid=None, url=None, author=None,
                   title=mask_handles(item.title), summary=mask_handles(item.summary))
