"""What the site build needs around MkDocs: the compiled policy and fragments before, data after."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from .compile_policy import DATA_DIR, write_outputs
from .gen_pages import generate
from .policy_source import compile_policy, review_warning

__all__ = ["prepare", "publish"]


def prepare() -> None:
    """Compile policy/ (raises PolicyError naming every problem) and write the page fragments."""
    document = compile_policy()
    warning = review_warning(document, dt.date.today())
    if warning:
        print(warning, file=sys.stderr)
    write_outputs(document)
    generate(document)


def publish(root: Path, languages: list[str]) -> None:
    """Copy the compiled policy and its schema into the site's data/ folder.

    The theme's language switch looks for a sitemap beside each language's pages, so the root
    sitemap (which lists every page with its alternates) is copied into each language folder too.
    """
    target = root / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("policy.json", "policy.schema.json"):
        shutil.copyfile(DATA_DIR / name, target / name)
    for language in languages:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            if (root / name).exists() and (root / language).is_dir():
                shutil.copyfile(root / name, root / language / name)
