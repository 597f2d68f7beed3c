"""Pure domain: entities, validation, cadence, queues. Imports no Textual, Rich, TinyDB or files."""
