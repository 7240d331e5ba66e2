"""Entry point of `python -m calculators`."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # interrupted while starting: one line, as later (cli.main)
    from .messages import word

    print(word("interrupted", "en" if "en" in sys.argv else "zh"), file=sys.stderr)
    sys.exit(130)

sys.exit(main())
