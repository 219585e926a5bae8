"""The demo: a fictional incident built through the normal ingestion."""
