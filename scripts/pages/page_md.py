"""Markdown building blocks of the generated fragments.

Anchors, headings with an anchor, indented blocks, admonition titles and a word as a label."""

from __future__ import annotations

from calculators.messages import labelled

__all__ = ["admonition_title", "anchor", "anchor_heading", "indent", "label"]


def label(key: str, lang: str) -> str:
    """A word followed by the colon of its language."""
    return labelled(key, lang, "")


def admonition_title(text: str) -> str:
    """A text as an admonition's title, which stands in double quotes: its own double quotes as single ones."""
    return text.replace('"', "'")


def anchor(anchor: str) -> str:
    """An anchor for an item that is not a heading (list items, notes)."""
    return f'<span class="anchor" id="{anchor}"></span>'


def anchor_heading(level: int, text: str, anchor: str) -> str:
    """A heading of `level` with its explicit anchor (attr_list)."""
    return f"{'#' * level} {text} {{ #{anchor} }}\n"


def indent(text: str, by: int) -> str:
    """Each non-empty line of `text` indented by `by` spaces (a block inside a list item or an admonition)."""
    return "\n".join((" " * by + line) if line else "" for line in text.split("\n"))
