"""Split the site's search index by language, so that a reader searches the pages of their language.

The theme writes one index for every language (search/search_index.json). After the build, the
Chinese pages keep it with their own entries only, and the English pages (whose base is en/, see
overrides/main.html) get en/search/search_index.json with theirs, locations relative to en/. The
theme's search worker is named by its content hash: search_worker finds the name, which
overrides/main.html then gives the pages (through hooks/build.py).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["search_worker", "split"]

PREFIX = "en/"
WORKER = "assets/javascripts/workers/search.*.min.js"  # the theme's, content-hashed: search.a7633da7.min.js


def search_worker(theme_dirs: list[str]) -> str:
    """The site path of the theme's search worker, as the theme ships it (the first folder that has
    it wins, as for any theme file); an error unless exactly one such file is found there."""
    for folder in theme_dirs:
        found = sorted(path.relative_to(folder).as_posix() for path in Path(folder).glob(WORKER))
        if len(found) > 1:
            raise ValueError(f"{folder}: more than one search worker ({', '.join(found)})")
        if found:
            return found[0]
    raise ValueError(f"no search worker ({WORKER}) in the theme ({', '.join(theme_dirs)})")


def split(site_dir: Path) -> bool:
    """Split site_dir/search/search_index.json; False when there is nothing (left) to split."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return False
    index = json.loads(index_file.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    english = [doc for doc in docs if doc["location"].startswith(PREFIX)]
    if not english:
        return False
    chinese = [doc for doc in docs if not doc["location"].startswith(PREFIX)]
    index_file.write_text(json.dumps({**index, "docs": chinese}, ensure_ascii=False), encoding="utf-8")
    target = site_dir / "en" / "search" / "search_index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    english = [{**doc, "location": doc["location"][len(PREFIX):]} for doc in english]
    target.write_text(json.dumps({**index, "docs": english}, ensure_ascii=False), encoding="utf-8")
    return True
