"""Serve the site on http://127.0.0.1:8000 with the site's Content-Security-Policy.

    python -m scripts.dev.serve [--port 8000] [--static]

Default: the live preview (scripts/dev/preview.py: rebuilds once per saved change, reloads the page,
shows build problems in the page). --static serves the built site/ as it is, the same way; the
browser tests, the host-configuration tests and the benchmark serve it with `serving()` of
scripts/dev/static_server.py. Every
response carries the CSP and headers of scripts/assets/host_config.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.dev.preview import main as preview
from scripts.dev.static_server import static_server
from scripts.paths import ROOT


def serve_static(directory: Path, port: int, verbose: bool = True) -> None:
    server = static_server(directory, port, verbose=verbose)
    print(f"Serving {directory} at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dev.serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--static", action="store_true", help="serve the built site/ without rebuilding")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.static:
            serve_static(ROOT / "site", args.port, verbose=not args.quiet)
        else:
            return preview(["--port", str(args.port)])
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
