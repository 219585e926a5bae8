"""Tables and errors as a Dutch user reads them: every st.dataframe goes through onrust.display."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from onrust import display
from onrust.text import md_escape


def table(df: pd.DataFrame, *, key: str | None = None, column_config: dict[str, Any] | None = None,
          headers: Mapping[str, str] | None = None, **dutch: Any) -> None:
    """st.dataframe of display.frame(df, **dutch): local times, decimal commas, labels, "—".

    The Dutch headers are the columns' labels (column_config), so the frame keeps its column
    names: a page or test addresses a column by the name the store gave it."""
    labels: dict[str, Any] = {col: (headers or {}).get(col) or display.header(col) for col in df.columns}
    st.dataframe(display.frame(df, rename=False, **dutch), hide_index=True, width="stretch", key=key,
                 column_config={**labels, **(column_config or {})})


def error(exc: BaseException | str, *, lead: str = "") -> None:
    """A failure in plain Dutch; the technical text (Errno, exception type) behind an expander."""
    message, detail = display.plain_error(exc)
    st.error(md_escape(f"{lead}{message}", one_line=False))
    if detail:
        with st.expander("Technische details"):
            st.text(detail)
