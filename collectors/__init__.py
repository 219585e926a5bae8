"""Collectors: turn feeds, other news sources and manual signals into stored records."""
