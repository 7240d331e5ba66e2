"""Split the site's search index by language, so that a reader searches the pages of their language.

The theme writes one index for every language (search/search_index.json). After the build, the
Chinese pages keep it with their own entries only, and the English pages (whose base is en/, see
overrides/main.html) get en/search/search_index.json with theirs, locations relative to en/.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["split"]

PREFIX = "en/"


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
