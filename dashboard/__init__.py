"""Streamlit dashboard: thin pages over dashboard.data and pure functions."""
