"""The readable text report of each calculator, in Chinese or English."""

from __future__ import annotations

from typing import Any

from .fees import percent, rate_periods
from .messages import capital, colon, joined, labelled, parenthesised, printable, report_text

__all__ = ["render_report", "verdict", "verdict_kind"]


def verdict_kind(result: dict[str, Any]) -> str:
    """yes (can apply / eligible), closed (eligible, market not open), wait (eligible from a day), no."""
    if result["eligible"]:
        return "yes" if result.get("open", True) else "closed"
    return "wait" if result["eligible_from"] else "no"


def verdict(result: dict[str, Any], lang: str) -> str:
    """One phrase for a provider or market result: can apply, not open yet, not yet (from), not eligible."""
    is_open = result.get("open", True)
    kind = verdict_kind(result)
    if kind == "yes":
        return report_text("can_apply" if "can_apply" in result else "eligible", lang)
    if kind == "closed":
        return report_text("eligible_not_open", lang)
    if kind == "wait":
        return report_text("not_yet" if is_open else "not_yet_closed", lang, day=result["eligible_from"])
    return report_text("not_eligible", lang)


def _criteria_lines(result: dict[str, Any], only_unmet: bool) -> list[str]:
    return [f"  {'✓' if c['met'] else '✗'} {c['text']} — {c['reason']}"
            for c in result["criteria"] if not (only_unmet and c["met"])]


def _eligibility(result: dict[str, Any], lang: str) -> list[str]:
    lines = [report_text("eligibility_title", lang, as_of=result["as_of"], version=result["policy_version"]), ""]
    provider = result["provider"]
    lines.append(labelled("provider", lang, verdict(provider, lang)))
    lines += _criteria_lines(provider, only_unmet=False)
    for market in result["categories"].values():
        status = report_text("open" if market["open"] else "closed", lang)
        lines += ["", parenthesised(market["name"], status, lang) + colon(lang) + verdict(market, lang)]
        lines += _criteria_lines(market, only_unmet=True)
    return lines


def _fees(result: dict[str, Any], lang: str) -> list[str]:
    periods = rate_periods(result["orders"])
    if len(periods) <= 1:
        lines = [report_text("fees_title", lang, version=result["policy_version"], rate=percent(result["rate"])), ""]
    else:  # the batch spans a rate change: say which orders paid which rate
        lines = [report_text("fees_title_changed", lang, version=result["policy_version"]), ""]
        spans = [report_text("rate_span" if p["first"] != p["last"] else "rate_day", lang, rate=percent(p["rate"]),
                             first=p["first"], last=p["last"]) for p in periods]
        lines += [report_text("rate_changed", lang, spans=joined(spans, lang, "semicolon")), ""]
    lines.append(report_text("fees_header", lang))
    mark = report_text("waived", lang)
    for row in result["orders"]:
        lines.append(" | ".join([printable(row["id"]), row["date"], row["amount"], row["refunded"], row["fee_base"],
                                 percent(row["rate"]), row["fee"],
                                 mark + " " + row["waived_fee"] if row["waived"] else "-",
                                 row["provider_receives"]]))
    totals = result["totals"]
    lines.append(" | ".join([capital(report_text("totals", lang)), "", totals["amount"], totals["refunded"],
                             totals["fee_base"], "", totals["fee"], totals["waived_fee"],
                             totals["provider_receives"]]))
    lines += ["", report_text("invoices", lang, platform=totals["fee"], user=totals["fee_base"])]
    deposit = result["deposit"]
    text = deposit["amount"] or deposit["note"]
    if "planned" in deposit:
        planned = report_text("planned", lang) + " " + deposit["planned"]
        text = joined([text, parenthesised(planned, deposit["planned_note"], lang)], lang, "semicolon")
    lines.append(labelled("deposit", lang, text))
    return lines


def _review(result: dict[str, Any], lang: str) -> list[str]:
    lines = [report_text("review_title", lang, submitted_on=result["submitted_on"]), "",
             report_text("review_window", lang, earliest=result["earliest"], latest=result["latest"]),
             labelled("working_days_counted", lang, joined(result["working_days"], lang))]
    if result["skipped"]:
        skipped = joined([parenthesised(s["date"], s["reason"], lang) for s in result["skipped"]], lang)
        lines.append(labelled("days_skipped", lang, skipped))
    if result.get("makeup_working_days"):
        days = joined([parenthesised(m["date"], m["reason"], lang) for m in result["makeup_working_days"]], lang)
        lines.append(labelled("makeup_days", lang, days))
    lines += [labelled("warning", lang, w) for w in result["warnings"]]
    return lines


def render_report(name: str, result: dict[str, Any], lang: str) -> str:
    """The report of calculator `name` as text."""
    render = {"eligibility": _eligibility, "fees": _fees, "review": _review}[name]
    return "\n".join(render(result, lang)) + "\n"
