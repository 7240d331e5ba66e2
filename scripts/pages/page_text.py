"""Policy texts on their way into pages: plain text, escaped for Markdown and HTML; safe link targets.

Policy texts are plain text: no Markdown, no HTML. `text()` makes any of them render as exactly
its characters, in any Markdown context the generated fragments use (paragraphs, list items,
table cells, headings, link texts, admonition titles): it can create no element and no attribute.
Apply it to every policy text (and every new field) that reaches a page.
"""

from __future__ import annotations

import html
import re
import string
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = ["text", "md_format", "link_target"]

# The characters Python-Markdown (with the tables extension) lets a backslash escape; `<`, `>` and
# `&` become entities instead, so no tag, autolink or entity survives.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_SPACE = re.compile(r"\s+")


def text(value: Any) -> str:
    """`value` as page text: whitespace (line breaks included) as one space and none at either
    end, control and other invisible characters dropped, Markdown punctuation escaped, `<`, `>`
    and `&` as entities."""
    return _escape(str(value)).strip()


def _escape(value: str) -> str:
    plain = _SPACE.sub(" ", "".join(c for c in value if c.isprintable() or c.isspace()))
    # "]:" would start a reference definition ("[\\]:](…)" defines one, swallowing a link): its colon
    # as an entity, which reads the same
    return html.escape(_MARKDOWN.sub(r"\\\1", plain), quote=False).replace("\\]:", "\\]&#58;")


def md_format(template: str, **values: str) -> str:
    """A policy text with {placeholders}: the text escaped, each value (already Markdown, such as
    a bold figure made by the generator) put in as it is."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(_escape(literal))
        if name is not None:
            parts.append(str(values[name]))
    return "".join(parts).strip()


def link_target(url: str) -> str:
    """A link target for Markdown: http, https or a relative path only (never javascript:,
    data: and the like), with the characters that could end the link percent-encoded."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https", "") or (not scheme and ":" in url.split("/", 1)[0]):
        raise ValueError(f"link target {url[:60]!r}: only http, https or relative links are allowed")
    return quote(url, safe="/:?#@$&+,;=%~-._")  # ( ) [ ] < > " ' space and controls are encoded
