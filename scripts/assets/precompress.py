"""Write `.gz` and `.br` files beside each compressible file of the built site.

    python -m scripts.assets.precompress [SITE_DIR]

A host that serves them (`make serve-static` does; see the README for nginx and others) sends
the calculator page's runtime at about a third of its size without compressing on the fly. Both
are made at the highest level, once per content: results are cached under build/compressed/ by the
file's hash (the runtime's 9.6 MB wasm takes about a minute of brotli). A file is kept compressed
only where that saves at least a tenth of it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from scripts.paths import ROOT, write_if_changed

CACHE = ROOT / "build" / "compressed"  # shared by every build folder: keyed by content, written atomically
SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".wasm", ".zip"}
MIN_SIZE = 1024
ENCODINGS = {".gz": "gzip", ".br": "br"}  # suffix -> Content-Encoding
PRUNE_DAYS = 7


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _cached(files: list[Path]) -> dict[Path, str]:
    """Fill the cache for every file; returns each file's content hash (its cache key)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    keys = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    brotli_jobs: list[str] = []
    for path, key in keys.items():
        if not (CACHE / f"{key}.gz").exists():
            write_if_changed(CACHE / f"{key}.gz", _gzip(path.read_bytes()))
        if not (CACHE / f"{key}.br").exists():
            brotli_jobs += [str(path), str(CACHE / f".{key}.br.{os.getpid()}.part")]
    if brotli_jobs:
        subprocess.run(["node", str(ROOT / "scripts" / "assets" / "brotli.mjs"), *brotli_jobs], check=True, cwd=ROOT)
        for source, part in zip(brotli_jobs[::2], brotli_jobs[1::2], strict=True):
            Path(part).replace(CACHE / f"{keys[Path(source)]}.br")
    _prune(keys.values())
    return keys


def _prune(used: Iterable[str]) -> None:
    """Mark the entries this build used; drop those no build has used for PRUNE_DAYS."""
    now = time.time()
    for key in used:
        for suffix in ENCODINGS:
            os.utime(CACHE / f"{key}{suffix}", (now, now))
    for entry in CACHE.iterdir():
        try:
            if entry.stat().st_mtime < now - PRUNE_DAYS * 86400:
                entry.unlink()
        except FileNotFoundError:  # another build got there first
            pass


def precompress(site: Path) -> int:
    """Write the .gz and .br files; returns how many compressed files the site now holds.

    Not in the live preview (GUIDE_PREVIEW=1, set by scripts/dev/preview.py): it serves uncompressed.
    """
    if os.environ.get("GUIDE_PREVIEW") == "1":
        return 0
    for old in [*site.rglob("*.gz"), *site.rglob("*.br")]:
        old.unlink()
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in SUFFIXES and p.stat().st_size >= MIN_SIZE]
    written = 0
    for path, key in _cached(files).items():
        size = path.stat().st_size
        for suffix in ENCODINGS:
            packed = CACHE / f"{key}{suffix}"
            if packed.stat().st_size <= size * 0.9:
                shutil.copyfile(packed, path.with_name(path.name + suffix))
                written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else ROOT / "site"
    print(f"{precompress(site)} compressed files written in {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
