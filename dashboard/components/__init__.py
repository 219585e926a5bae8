"""Render helpers shared by dashboard pages (no SQL, no business rules)."""
