"""``python -m panelist`` and the ``panelist`` script: Ctrl-C at any moment ends cleanly,
even while the command line is still being imported or parsed."""

from __future__ import annotations

import sys

INTERRUPTED = ("interrupted: finished drafts are kept; run the same command again to finish "
               "the rest")


def run() -> None:
    try:
        from panelist.cli import main

        main()
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    run()
