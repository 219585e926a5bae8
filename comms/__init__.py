"""Crisis communication: checklists, press releases, rule checks and document exports."""
