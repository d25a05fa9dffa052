"""``python -m panelist`` and the ``panelist`` script: Ctrl-C at any moment ends cleanly,
even while the command line is still being imported or parsed."""

from __future__ import annotations

import sys

from panelist.interrupted import command_of, interrupted


def run() -> None:
    try:
        from panelist.cli import main

        main()
    except KeyboardInterrupt:
        print(interrupted(command_of(sys.argv[1:])), file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    run()
