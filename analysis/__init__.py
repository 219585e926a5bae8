"""Analysis: pure functions that turn stored text into tags, temperatures and diagnoses."""
