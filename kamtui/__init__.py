"""kamtui: a keyboard-driven terminal app for key account management.

Kept nearly empty on purpose: `kamtui due` must start fast and never import Textual.
"""

__version__ = "0.1.0"
