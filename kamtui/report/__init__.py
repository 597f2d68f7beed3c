"""Text for the terminal and for export files: the queue of ``kamtui due``, the account plans as
Markdown, CSV and iCalendar, what the terminal can show; and the preview process. No Rich, no
Textual."""
