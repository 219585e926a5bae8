"""Items a pipeline step could not process: kept in the store, listed for the Bronnen page."""

from __future__ import annotations

import pandas as pd

from onrust.store.core import CoreStore

# Every item with an error of tagging (item_tag_state) or of scoring for an incident (link_state).
FAILED_ITEMS = (
    "select s.item_id, s.tagged_at as tijd, 'taggen' as stap, s.error as fout"
    " from item_tag_state s where s.error is not null"
    " union all"
    " select l.item_id, l.scored_at, 'koppelen aan incident ' || l.incident_id, l.error"
    " from link_state l where l.error is not null"
)


class ItemErrorQueries(CoreStore):
    def item_errors(self, limit: int = 200) -> pd.DataFrame:
        """Newest first: when, which source, the item's title (plain text), which step, the error."""
        return self.frame(
            "select e.tijd, src.name as bron, i.title as titel, e.stap, e.fout"
            f" from ({FAILED_ITEMS}) e join items i on i.id = e.item_id"
            " join sources src on src.id = i.source_id"
            " order by e.tijd desc, i.id desc limit ?",
            [limit],
        )
