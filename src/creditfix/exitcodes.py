"""Exit codes, named once (DESIGN §6)."""

#: Done; nothing at or above ``--fail-on``.
OK = 0
#: A finding at or above ``--fail-on``.
FINDINGS = 1
#: Bad input, usage, config or pack (in a batch: after every other client was processed).
BAD_INPUT = 2
#: An internal error: a bug in creditfix (one line; the traceback with ``--debug``).
INTERNAL = 3
