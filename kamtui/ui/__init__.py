"""Textual UI. Imported only when the TUI opens."""
