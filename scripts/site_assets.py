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


def publish(site_dir: Path) -> None:
    """Copy the compiled policy and its schema into the site's data/ folder."""
    target = site_dir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("policy.json", "policy.schema.json"):
        shutil.copyfile(DATA_DIR / name, target / name)
