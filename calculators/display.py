"""The display model of a result: its sections, rows, badges, links and notes, worded in one language.

The CLI's text report (report.py) and the page's widget both render this model mechanically; neither
words nor lays out a result itself. A model is {"title": str, "blocks": [BLOCK, ...]}, each BLOCK one of:

    {"kind": "section", "key", "market": bool, "open": bool, "title", "status": str | None,
     "badge": {"kind": "yes" | "closed" | "wait" | "no", "text"}, "criteria": [CRITERION], "notes": [str]}
    {"kind": "text", "style": "" | "rate-change" | "totals" | "free-period" | "csv-read" | "warning"
               | "makeup",
     "parts": [{"text", "strong"?}]}
    {"kind": "table", "label", "headings": [str], "rows": [[str]], "totals": [str],
     "paged": {"total", "size"} | None}     (paged: the rows are the first page; api.batch_page the others)
    {"kind": "download", "text", "file": "csv", "filename"}   (the page only: a button that saves the file)
    {"kind": "decision", "today": {"kind": "yes" | "wait" | "no", "text"}, "markets": [{"key", "text"}]}
        (eligibility, first: what the provider can do on the day evaluated, and for each market it
        cannot apply to yet what stands in the way and from which day time alone clears it)

CRITERION = {"id", "met", "mark": "✓" | "✗", "text", "reason", "link": {"href", "text"}}.
"""

from __future__ import annotations

from typing import Any

from .fees import percent, rate_periods
from .messages import capital, colon, joined, labelled, parenthesised, printable, show_value, word

__all__ = ["display", "fee_rows", "verdict", "verdict_kind", "PAGE_SIZE", "WHOLE_TABLE"]

PAGE_SIZE = 100  # rows of a page of a long fee table in the page (the worker's default)
WHOLE_TABLE = 1000  # up to this many orders the page shows the whole table at once
MARK = {True: "✓", False: "✗"}
# the fee table's columns, as the catalogue words them
FEE_COLUMNS = ("column_id", "column_date", "column_amount", "column_refunded", "fee_base", "column_rate", "fee",
               "waived", "net_of_fee")


def grouped(money: str) -> str:
    """A sum of money in running text with thousands separators, as its counts have: "1280000.00" -> "1,280,000.00"
    (the table and the files keep the plain figures)."""
    whole, _, cents = money.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}" + (f".{cents}" if cents else "")


def verdict_kind(result: dict[str, Any]) -> str:
    """yes (can apply / eligible), closed (eligible, market not open), wait (eligible from a day), no."""
    if result["eligible"]:
        return "yes" if result.get("open", True) else "closed"
    return "wait" if result["eligible_from"] else "no"


def verdict(result: dict[str, Any], lang: str) -> str:
    """One phrase for a provider or market result: can apply, not open yet, not yet (from), not eligible."""
    kind = verdict_kind(result)
    if kind == "yes":
        return word("can_apply" if "can_apply" in result else "eligible", lang)
    if kind == "closed":
        return word("eligible_not_open", lang)
    if kind == "wait":
        return word("not_yet" if result.get("open", True) else "not_yet_closed", lang,
                           day=result["eligible_from"])
    return word("not_eligible", lang)


def _text(*parts: str | tuple[str, bool], style: str = "") -> dict[str, Any]:
    """A text block; a part given as (text, True) is emphasised."""
    return {"kind": "text", "style": style,
            "parts": [{"text": p[0], "strong": True} if isinstance(p, tuple) else {"text": p} for p in parts]}


# --- eligibility ---------------------------------------------------------------------------------

def _criterion(criterion: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"id": criterion["id"], "met": criterion["met"], "mark": MARK[criterion["met"]],
            "text": criterion["text"], "reason": criterion["reason"],
            "link": {"href": criterion["source"], "text": word("clause_link", lang)}}


def _part(criteria: list[dict[str, Any]]) -> dict[str, Any]:
    """A verdict over some criteria, as a provider's or market's: met, or met from a day by time alone."""
    unmet = [c for c in criteria if not c["met"]]
    fixable = all(c["met_from"] for c in unmet)
    day = max((c["met_from"] for c in unmet), default=None) if fixable else None
    return {"eligible": not unmet, "eligible_from": day, "criteria": criteria}


def _dated_notes(scheduled: list[dict[str, Any]], lang: str) -> list[str]:
    """A note per condition that starts after the evaluation date (with why it is not met, when the
    answers given now do not meet it), or applies until a last day."""
    notes = []
    for item in scheduled:
        if item["from"]:
            key = "condition_from_to" if item["to"] else "condition_from"
        else:
            key = "condition_until"
        note = word(key, lang, day=item["from"] or "", until=item["to"] or "", text=item["text"])
        if item.get("met") is False:
            note = word("condition_unmet", lang, note=note, reason=item["reason"])
        notes.append(note)
    return notes


def _section(key: str, part: dict[str, Any], title: str, lang: str, general: set[str] | None,
             is_market: bool = True, scheduled: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A verdict with its conditions: the provider's, and those every market shares, all, met or not;
    a market's its own unmet ones only, the shared ones being said once, above (a market whose only
    unmet conditions are shared ones says so)."""
    unmet = [c for c in part["criteria"] if not c["met"]]
    general_unmet = bool(general) and any(c["id"] in general for c in unmet)
    own = [c for c in unmet if not general or c["id"] not in general]
    notes = []
    if not own:
        notes.append(word("only_general" if general_unmet else "all_met", lang))
    if general is None:
        own = part["criteria"]
    if general_unmet:
        notes.append(word("plus_general", lang))
    notes += _dated_notes(scheduled or [], lang)
    return {"kind": "section", "key": key, "market": is_market, "open": part.get("open", True), "title": title,
            "status": word("open" if part["open"] else "closed", lang) if is_market else None,
            "badge": {"kind": verdict_kind(part), "text": verdict(part, lang)},
            "criteria": [_criterion(c, lang) for c in own], "notes": notes}


def _obstacles(criteria: list[dict[str, Any]], is_open: bool, said: set[str], lang: str) -> str:
    """What stands between a provider and applying, of `criteria`: the day time alone clears the dated
    conditions, how many others are unmet, whether the market is closed; the conditions in `said`
    (stated in an earlier line) are not counted again. "" when nothing of its own stands in the way."""
    unmet = [c for c in criteria if not c["met"] and c["id"] not in said]
    dated = [c["met_from"] for c in unmet if c["met_from"]]
    others = [c for c in unmet if not c["met_from"]]
    parts = []
    if dated:
        parts.append(word("obstacle_time", lang, day=max(dated)))
    if others:
        parts.append(word("obstacle_unmet_more" if dated else "obstacle_unmet", lang, count=len(others)))
    if not is_open:
        parts.append(word("obstacle_closed", lang))
    return joined(parts, lang, "semicolon")


def _shared(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The criteria every market has beyond the provider's own."""
    general = {c["id"] for c in result["provider"]["criteria"]}
    markets = list(result["categories"].values())
    ids = [{c["id"] for c in m["criteria"]} for m in markets]
    return [c for c in markets[0]["criteria"] if c["id"] not in general and all(c["id"] in i for i in ids)] \
        if markets else []


def _decision(result: dict[str, Any], lang: str, shared: list[dict[str, Any]]) -> dict[str, Any]:
    """The first line: what the provider can do on the day evaluated; then what stands in the way of
    every market (once) and of each market it cannot apply to yet (only what that market adds)."""
    provider, markets, as_of = result["provider"], result["categories"], result["as_of"]
    ready = [m["name"] for m in markets.values() if m["can_apply"]]
    if provider["eligible"]:  # green only when a market can be applied to today
        kind = "yes" if ready else "wait"
        text = (word("decide_apply", lang, as_of=as_of, markets=joined(ready, lang)) if ready
                else word("decide_provider_only", lang, as_of=as_of))
    elif provider["eligible_from"]:
        kind, text = "wait", word("decide_wait", lang, as_of=as_of, day=provider["eligible_from"])
    else:
        unmet = [c for c in provider["criteria"] if not c["met"]]
        kind, text = "no", word("decide_no", lang, as_of=as_of, count=len(unmet))
    said = {c["id"] for c in provider["criteria"]}
    lines = []
    common = _obstacles(shared, True, said, lang)
    if common and not ready:
        lines.append({"key": "markets_common", "text": word("every_market", lang) + colon(lang) + common})
    said |= {c["id"] for c in shared}
    for key, market in markets.items():
        if not market["can_apply"]:
            own = _obstacles(market["criteria"], market["open"], said, lang)
            if not own:  # only what is said above: a day to apply from, when time alone clears it
                own = (word("obstacle_apply_from", lang, day=market["eligible_from"])
                       if market["eligible_from"] else word("obstacle_said", lang))
            lines.append({"key": key, "text": market["name"] + colon(lang) + own})
    return {"kind": "decision", "today": {"kind": kind, "text": text}, "markets": lines}


def _eligibility(result: dict[str, Any], lang: str, page: int | None, whole: int) -> dict[str, Any]:
    provider, markets = result["provider"], result["categories"]
    general = {c["id"] for c in provider["criteria"]}
    scheduled = result.get("scheduled", {})
    shared = _shared(result)
    blocks: list[dict[str, Any]] = [_decision(result, lang, shared),
                                    _section("provider", provider, capital(word("provider", lang)), lang, None, False,
                                             scheduled.get("provider"))]
    # the conditions every market has beyond the provider's: stated once, between the two
    if shared:
        blocks.append(_section("markets_common", _part(shared), word("markets_common", lang), lang, None,
                               False))
        general |= {c["id"] for c in shared}
    blocks += [_section(key, market, market["name"], lang, general, True, scheduled.get(key))
               for key, market in markets.items()]
    return {"title": word("eligibility_title", lang, as_of=result["as_of"], version=result["policy_version"]),
            "blocks": blocks}


# --- fees ----------------------------------------------------------------------------------------

def fee_rows(orders: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """The fee table's rows for `orders` (rows of the contract's result), one list of cells per order."""
    mark = word("waived", lang)
    none = word("not_waived", lang)
    return [[printable(o["id"]), o["date"], o["amount"], o["refunded"], o["fee_base"], percent(o["rate"]), o["fee"],
             f"{mark} {o['waived_fee']}" if o["waived"] else none, o["provider_receives"]] for o in orders]


def _csv_read(read: dict[str, Any], lang: str) -> dict[str, Any]:
    """How the orders file was read: its encoding (where known), and cells read from another form, as read."""
    parts = [word("csv_encoding", lang, encoding=read["encoding"])] if read["encoding"] else []
    if read["count"]:
        examples = [word("csv_cell_read", lang, row=e["row"], column=e["column"], value=show_value(e["value"]),
                                read=e["read"]) for e in read["examples"]]
        parts.append(word("csv_cells_read", lang, count=read["count"], examples=joined(examples, lang)))
    return _text(labelled("csv_field", lang, joined(parts, lang, "semicolon")), style="csv-read")


def _free_period(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The free period named: its first and last day, and which of the orders fall in it."""
    free = result.get("free_period")
    if free is None:
        return _text(labelled("free_period", lang, word("free_period_none", lang)), style="free-period")
    inside = [o["date"] for o in result["orders"] if o["waived"]]
    if inside:
        first, last = min(inside), max(inside)
        which = word("free_period_orders" if first != last else "free_period_orders_day", lang,
                            count=len(inside), first=first, last=last, waived=grouped(result["totals"]["waived_fee"]))
    else:
        which = word("free_period_no_orders", lang)
    span = word("free_period_span", lang, first=free["first"], last=free["last"])
    return _text((capital(word("free_period", lang)) + colon(lang), True), span + word("semicolon", lang) + which,
                 style="free-period")


def _fees(result: dict[str, Any], lang: str, page: int | None, whole: int) -> dict[str, Any]:
    orders, totals, version = result["orders"], result["totals"], result["policy_version"]
    periods = rate_periods(orders)
    blocks = []
    if len(periods) <= 1:
        title = word("fees_title", lang, version=version, rate=percent(result["rate"]))
    else:  # the batch spans a rate change: say which orders paid which rate
        title = word("fees_title_changed", lang, version=version)
        spans = [word("rate_span" if p["first"] != p["last"] else "rate_day", lang, rate=percent(p["rate"]),
                             first=p["first"], last=p["last"]) for p in periods]
        blocks.append(_text(word("rate_changed", lang, spans=joined(spans, lang, "semicolon")),
                            style="rate-change"))
    # totals first: the answer to "what will I pay", whatever the number of orders
    blocks.append(_text((capital(word("totals", lang)) + colon(lang), True),
                        word("totals_line", lang, count=len(orders), fee=grouped(totals["fee"]),
                             waived=grouped(totals["waived_fee"]), base=grouped(totals["fee_base"])), style="totals"))
    if "csv_read" in result:
        blocks.append(_csv_read(result["csv_read"], lang))
    blocks.append(_free_period(result, lang))
    paged = page is not None and len(orders) > whole
    blocks.append({
        "kind": "table", "label": word("orders_table", lang),
        "headings": [word(key, lang) for key in FEE_COLUMNS],
        "rows": fee_rows(orders[:page] if paged else orders, lang),
        "totals": [capital(word("totals", lang)), "", totals["amount"], totals["refunded"], totals["fee_base"], "",
                   totals["fee"], totals["waived_fee"], totals["provider_receives"]],
        "paged": {"total": len(orders), "size": page} if paged else None,
    })
    blocks.append(_text(word("invoices", lang, platform=totals["fee"], user=totals["fee_base"])))
    deposit = result["deposit"]
    text = deposit["amount"] or deposit["note"]
    if "planned" in deposit:
        planned = word("planned", lang) + " " + deposit["planned"]
        text = joined([text, parenthesised(planned, deposit["planned_note"], lang)], lang, "semicolon")
    blocks.append(_text(labelled("deposit", lang, text)))
    blocks.append({"kind": "download", "text": word("download_csv", lang), "file": "csv",
                   "filename": "fees-result.csv"})
    return {"title": title, "blocks": blocks}


# --- review --------------------------------------------------------------------------------------

def _days(days: list[dict[str, str]], lang: str) -> str:
    return joined([parenthesised(d["date"], d["reason"], lang) for d in days], lang)


def _review(result: dict[str, Any], lang: str, page: int | None, whole: int) -> dict[str, Any]:
    blocks = [
        _text((word("review_window", lang, earliest=result["earliest"], latest=result["latest"]), True)),
        _text(labelled("working_days_counted", lang, joined(result["working_days"], lang))),
        _text(labelled("days_skipped", lang, _days(result["skipped"], lang) or word("none", lang))),
    ]
    if result.get("makeup_working_days"):
        blocks.append(_text(labelled("makeup_days", lang, _days(result["makeup_working_days"], lang)), style="makeup"))
    blocks += [_text(labelled("warning", lang, w), style="warning") for w in result["warnings"]]
    return {"title": word("review_title", lang, submitted_on=result["submitted_on"]), "blocks": blocks}


def display(name: str, result: dict[str, Any], lang: str, page: int | None = None,
            whole: int = WHOLE_TABLE) -> dict[str, Any]:
    """The display model of calculator `name`'s result in `lang`. `page`: for the page, where a fee
    table of over `whole` orders comes `page` rows at a time (the text report lists every row)."""
    return {"eligibility": _eligibility, "fees": _fees, "review": _review}[name](result, lang, page, whole)
