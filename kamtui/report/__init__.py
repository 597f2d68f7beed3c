"""Renderers for the command line: plain text, JSON (and later Markdown, CSV, ICS)."""
