"""The site's base URL as MkDocs will use it: SITE_URL, else mkdocs.yml's site_url default."""

from __future__ import annotations

import os
import re

from scripts.paths import ROOT

__all__ = ["site_url"]


def site_url() -> str:
    """SITE_URL when set, else the default of `site_url: !ENV [SITE_URL, "…"]` in mkdocs.yml; ends in /."""
    url = os.environ.get("SITE_URL")
    if not url:
        text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        found = re.search(r'^site_url:\s*(?:!ENV\s*\[\s*SITE_URL\s*,\s*)?"?([^"\]\s]+)"?', text, re.M)
        if not found:
            raise SystemExit("mkdocs.yml names no site_url")
        url = found.group(1)
    return url if url.endswith("/") else url + "/"
