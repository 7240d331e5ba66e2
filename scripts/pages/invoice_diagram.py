"""The invoices the source states, drawn as an inline SVG for the fees page."""

from __future__ import annotations

from html import escape

from calculators.messages import word
from scripts.pages.page_site import Site

__all__ = ["invoice_diagram"]


def invoice_diagram(site: Site, lang: str) -> str:
    """The invoices the source states, as an inline SVG (no script, no external asset). It draws no
    payment: the source does not say whom the user pays or how the commission is collected."""
    rate = site.rate_percent()
    t = {key: word("diagram_" + key, lang, rate=rate) if key == "caption" else word("diagram_" + key, lang)
         for key in ("user", "provider", "platform", "user_inv", "fee_inv", "title", "caption")}
    svg = f"""<svg viewBox="0 0 760 170" role="img" aria-labelledby="invoice-flow-title" xmlns="http://www.w3.org/2000/svg">
<title id="invoice-flow-title">{escape(t['title'])}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>
<g font-size="14" fill="currentColor" stroke="currentColor">
<rect x="10" y="50" width="130" height="60" rx="8" fill="none"/><text x="75" y="85" text-anchor="middle" stroke="none">{escape(t['user'])}</text>
<rect x="315" y="50" width="130" height="60" rx="8" fill="none"/><text x="380" y="85" text-anchor="middle" stroke="none">{escape(t['provider'])}</text>
<rect x="590" y="50" width="160" height="60" rx="8" fill="none"/><text x="670" y="85" text-anchor="middle" stroke="none">{escape(t['platform'])}</text>
<line x1="315" y1="80" x2="142" y2="80" marker-end="url(#arrow)" stroke-dasharray="5 4"/><text x="228" y="135" text-anchor="middle" stroke="none">{escape(t['user_inv'])}</text>
<line x1="590" y1="80" x2="447" y2="80" marker-end="url(#arrow)" stroke-dasharray="5 4"/><text x="517" y="135" text-anchor="middle" stroke="none">{escape(t['fee_inv'])}</text>
</g></svg>"""
    return f'<figure class="invoice-flow" markdown="0">\n{svg}\n<figcaption>{t["caption"]}</figcaption>\n</figure>'
