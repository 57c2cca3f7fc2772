"""The `v2m` console script (and `python -m v2m_cli`).

Importing the CLI takes about a second, before `main` can take over SIGINT: a Ctrl-C then still prints
one line, not a KeyboardInterrupt traceback. Nothing has been started or written yet, so nothing is left.
"""

from __future__ import annotations

import signal
import sys


def run() -> None:
    try:
        from v2m_cli.app import main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted by SIGINT\n")
        sys.exit(128 + signal.SIGINT)
    sys.exit(main())
