"""The right-hand panes for the selected account, one module each: the header, stakeholders,
plan and reviews, on the shared pane protocol of :mod:`kamtui.ui.panes.base`.

Every pane draws through the line-view engine (:mod:`kamtui.ui.line_view`) from lines it
renders once per account: moving between accounts re-renders only the lines that changed,
never needs a layout pass (each pane's size is fixed by CSS, whatever the account shows) and
posts no follow-up messages, so a move costs one frame.
"""
