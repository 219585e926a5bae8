"""Tables and errors as a Dutch user reads them: every st.dataframe goes through onrust.display."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from onrust import display
from onrust.text import md_escape


def table(df: pd.DataFrame, *, key: str | None = None, column_config: dict[str, Any] | None = None,
          **dutch: Any) -> None:
    """st.dataframe of display.frame(df, **dutch): local times, decimal commas, labels, "—"."""
    st.dataframe(display.frame(df, **dutch), hide_index=True, width="stretch", key=key,
                 column_config=column_config)


def error(exc: BaseException | str, *, lead: str = "") -> None:
    """A failure in plain Dutch; the technical text (Errno, exception type) behind an expander."""
    message, detail = display.plain_error(exc)
    st.error(md_escape(f"{lead}{message}", one_line=False))
    if detail:
        with st.expander("Technische details"):
            st.text(detail)
