"""The readable text report of each calculator: its display model (display.py) rendered as text."""

from __future__ import annotations

from typing import Any

from .display import display, verdict, verdict_kind
from .links import site_url, site_url_assumed
from .messages import colon, parenthesised, word

__all__ = ["render_model", "render_report", "verdict", "verdict_kind"]

def _section(block: dict[str, Any], lang: str) -> list[str]:
    title = parenthesised(block["title"], block["status"], lang) if block["status"] else block["title"]
    lines = [title + colon(lang) + block["badge"]["text"]]
    for c in block["criteria"]:
        lines += [f"  {c['mark']} {c['text']} — {c['reason']}", f"    {c['link']['href']}"]
    return lines + [f"  {note}" for note in block["notes"]]


def _block(block: dict[str, Any], lang: str) -> list[str]:
    kind = block["kind"]
    if kind == "section":
        return _section(block, lang)
    if kind == "decision":
        return [block["today"]["text"], *(f"  {line['text']}" for line in block["markets"])]
    if kind == "text":
        return ["".join(part["text"] for part in block["parts"])]
    if kind == "table":
        return [" | ".join(row) for row in [block["headings"], *block["rows"], block["totals"]]]
    return []  # a download is the page's; the command line writes files with --out


def render_model(model: dict[str, Any], lang: str) -> str:
    """A display model as text: the title, then the blocks; each section or table, and each run of
    text lines, stands apart by a blank line."""
    groups: list[list[str]] = [[model["title"]]]
    previous = "section"
    for block in model["blocks"]:
        lines = _block(block, lang)
        if not lines:
            continue
        if block["kind"] == "text" and previous == "text":
            groups[-1] += lines
        else:
            groups.append(lines)
        previous = block["kind"]
    return "\n\n".join("\n".join(group) for group in groups) + "\n"


def render_report(name: str, result: dict[str, Any], lang: str) -> str:
    """The report of calculator `name` as text; when it links to clauses and the build set no SITE_URL,
    a last line names the address its links assume."""
    model = display(name, result, lang)
    text = render_model(model, lang)
    links = any(block["kind"] == "section" and block["criteria"] for block in model["blocks"])
    if links and site_url_assumed():
        text += "\n" + word("links_assume", lang, url=site_url()) + "\n"
    return text
