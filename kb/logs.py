"""Where log lines go: configured once per process by the entry points (the `kb` command,
and each extraction worker with the command's verbosity).

The terminal shows kb's own warnings. Third-party libraries log and warn about damaged
files as they read them (pypdf's "EOF marker not found", "incorrect startxref pointer"...):
kb reports each failure once, in plain words, so their lines and Python warnings are shown
only with `-v`, which shows everything at INFO and above.
"""

from __future__ import annotations

import logging
import sys

OURS = ("kb", "indexer", "api")
FORMAT = "%(levelname)s %(name)s: %(message)s"


class _OursOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.split(".", 1)[0] in OURS


def configure(verbose: bool) -> None:
    """Log to stderr: kb's warnings (everything at INFO with `verbose`, libraries' lines
    and Python warnings included). Replaces what a previous call set."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kb", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._kb = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT))
    if not verbose:
        handler.addFilter(_OursOnly())
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.captureWarnings(True)  # warnings.warn() from libraries: a log line, filtered


def is_verbose() -> bool:
    """Whether this process logs at INFO (to start workers the same way)."""
    return logging.getLogger().getEffectiveLevel() <= logging.INFO
