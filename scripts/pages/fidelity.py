"""The source's own words, the source a fact rests on, and the status blocks of what qualifies it.

The blocks every policy page shows for its facts: the source's words beside ours, the reference to
the source, and the readings, assumptions and unknowns that qualify the fact."""

from __future__ import annotations

from typing import Any

from calculators.messages import labelled, word
from scripts.pages.page_md import admonition_title, label
from scripts.pages.page_text import link_target, text

__all__ = ["ADMONITION", "md_escape", "passages", "source_ref", "source_words", "status_block"]

ADMONITION = {"reading": "note", "assumption": "warning", "unknown": "question"}


def md_escape(value: str) -> str:
    """Text shown as it is in Markdown (the shared helper of page_text)."""
    return text(value)


def _address(url: str) -> str:
    """A source page named by its address (host and path), which is what we know of it for certain."""
    return url.split("://", 1)[-1].split("#", 1)[0].rstrip("/")


def passages(quote: str | list[str]) -> list[str]:
    """A `quote` of the policy as its list of passages."""
    return [quote] if isinstance(quote, str) else list(quote)


def source_words(item: dict[str, Any], lang: str, title: str | None = None) -> str:
    """The source's own words for a fact, open, in a quote box (原文 / Source text, or `title`); or,
    when the fact has none, a line saying that the source is silent."""
    quote = item.get("quote")
    if not quote:
        return f"*{word('silent', lang)}*\n"
    body = "\n\n".join(f"    「{md_escape(passage)}」" for passage in passages(quote))
    return f'!!! quote "{admonition_title(title or word("quote", lang))}"\n\n{body}\n'


def status_block(assumption: dict[str, Any], lang: str, prefix: str = "") -> str:
    """A reading, assumption or unknown, open (never folded), linked to the assumptions page.
    `prefix` is the relative path to that page's folder (the calculator pages pass "")."""
    kind = assumption["kind"]
    title = labelled(kind, lang, text(assumption["title"][lang]))
    more = word("more", lang, id=assumption["id"]).replace("(assumptions.md", f"({prefix}assumptions.md")
    body = text(assumption["text"][lang]) + " " + more
    return f'!!! {ADMONITION[kind]} "{admonition_title(title)}"\n\n    {body}\n'


def source_ref(source: dict[str, Any], ref: dict[str, Any], lang: str) -> str:
    """Where a fact stands in its source: the source's address, linked, and the section and item."""
    where = text(ref["section"])
    if ref.get("item"):
        where += " " + word("item", lang, n=ref["item"])
    elif ref.get("item") == 0:
        where += " · " + word("in_description", lang)
    return f"{label('source', lang)}[{text(_address(source['url']))}]({link_target(source['url'])}) › {where}"
