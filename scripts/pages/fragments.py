"""The policy fragments the hand-written pages include, each from the compiled policy in one language.

The conditions, markets and their matrix, the process and the holiday calendar, the fees, the key
figures, the assumptions, the changelog, the sources and the input fields."""

from __future__ import annotations

from typing import Any

from calculators.kinds import AS_OF
from calculators.messages import capital, colon, joined, labelled, parenthesised, word
from scripts.pages.fidelity import md_escape, source_words, status_block
from scripts.pages.invoice_diagram import invoice_diagram
from scripts.pages.page_md import anchor, anchor_heading, indent, label
from scripts.pages.page_site import Site
from scripts.pages.page_text import link_target, md_format, text

__all__ = ["assumptions", "calendar", "changelog", "conditions_market", "conditions_provider", "fees_deposit",
           "fees_invoicing", "fees_mode", "fees_platform", "fees_waiver", "fields_table", "key_figures", "markets",
           "markets_overview", "matrix", "meta", "process", "provider_list", "sources"]


def meta(site: Site, lang: str) -> str:
    m = site.doc["meta"]
    return (f"| {capital(word('policy_version', lang))} | {word('effective', lang)} | {word('reviewed', lang)} | {word('review_by', lang)} |\n"
            f"|---|---|---|---|\n| {m['version']} | {m['effective_from']} | {m['reviewed_on']} | {m['review_by']} |\n"
            + effective_date_note(site, lang))


def effective_date_note(site: Site, lang: str) -> str:
    """What the effective date is: the day the text was taken, since the source gives none."""
    # the day the text of the first sources was taken: the policy's effective date is that day
    taken = min(s["text"]["taken_on"] for s in site.doc["sources"])
    text = word("effective_note", lang, taken=taken)
    return "\n" + text + "\n"


def status_links(site: Site, fact_id: str, lang: str) -> str:
    """Links to the readings, assumptions and unknowns that qualify a fact, each with its status."""
    links = [f"[{labelled(a['kind'], lang, md_escape(a['title'][lang]))}](assumptions.md#{a['id']})"
             for a in site.doc["assumptions"] if fact_id in a["applies_to"]]
    return joined(links, lang, "semicolon") or word("mark_no", lang)


def _quoted_item(marker: str, item: dict[str, Any], lang: str) -> str:
    """A list item (a step, an invoice rule) in our words, with the source's words under it."""
    return f"{marker} {anchor(item['id'])}{text(item['text'][lang])}\n\n{indent(source_words(item, lang), 4)}"


def key_figures(site: Site, lang: str) -> str:
    p = site.policy
    review = site.doc["process"]["review"]
    fees = site.doc["fees"]
    rows = []
    for key, cid in (("licence_provider", "licence-age-provider"), ("licence_market", "licence-age-market"),
                     ("team", "team-size"), ("support", "support-coverage")):
        condition = p.condition(cid)
        rows.append((word(key, lang), site.schedule([condition["threshold"]], site.condition_on(condition, lang), lang),
                     f"conditions.md#{cid}"))
    rows += [
        (word("review_time", lang), site.schedule([review["min_working_days"], review["max_working_days"]],
                                               site.review_on(lang), lang), "process.md#review-time"),
        (word("rate", lang), site.rate_schedule(lang), "fees.md#platform-service-fee"),
        (word("waiver", lang), site.schedule([fees["waiver"]["years"]], site.waiver_on(lang), lang), "fees.md#fee-waiver"),
        (word("deposit_amount", lang), site.schedule([fees["deposit"]["amount"]], site.deposit_on(lang), lang),
         "fees.md#deposit"),
    ]
    lines = [f"| {word('figure', lang)} | {word('value', lang)} | {word('rests_on', lang)} |", "|---|---|---|"]
    lines += [f"| [{name}]({href}) | {value} | {status_links(site, href.split('#')[1], lang)} |" for name, value, href in rows]
    return "\n".join(lines) + "\n"


def markets_overview(site: Site, lang: str) -> str:
    lines = [f"| {word('market', lang)} | {word('status', lang)} | {word('about', lang)} |", "|---|---|---|"]
    for market in site.policy.markets:
        lines.append(f"| {site.link(market['id'], market['name'][lang])} | {site.status(market, lang)} "
                     f"| {text(market['description'][lang])} |")
    return "\n".join(lines) + "\n"


def window(starts: str | None, ends: str | None, lang: str) -> str:
    """When a condition applies, in words ("applies from 2027-03-01"); "" when always."""
    if starts and ends:
        return word("applies_between", lang, day=starts, until=ends)
    if starts:
        return word("applies_from", lang, day=starts)
    return word("applies_until", lang, until=ends) if ends else ""


def _placed(site: Site, part: dict[str, Any], cid: str, name: str, lang: str) -> str:
    """A list's link to a condition or market, with the days it applies there when they are bounded."""
    place = next(p for p in site.policy.places(part) if p.id == cid)
    when = window(place.starts, place.ends, lang)
    return parenthesised(name, when, lang) if when else name


def _condition_block(site: Site, condition: dict[str, Any], lang: str) -> str:
    cid = condition["id"]
    used_by = []
    if cid in site.policy.condition_ids(site.policy.provider):
        used_by.append(_placed(site, site.policy.provider, cid,
                               f"[{text(site.policy.provider['name'][lang])}](#provider-conditions)", lang))
    used_by += [_placed(site, m, cid, site.link(m["id"], m["name"][lang]), lang)
                for m in site.policy.markets if cid in site.policy.condition_ids(m)]
    schedule = site.scheduled([condition["threshold"]], site.condition_on(condition, lang), lang) \
        if "threshold" in condition else ""
    when = window(condition.get("from"), condition.get("to"), lang)
    if when:
        schedule = f"**{word('schedule', lang)}**{colon(lang)}{when}\n" + schedule
    parts = [anchor_heading(3, text(site.condition(cid, lang)), cid), source_words(condition, lang), schedule,
             labelled("applies_in", lang, joined(used_by, lang)),
             "", site.ref(condition["ref"], lang), "", site.assumptions_for(cid, lang)]
    return "\n".join(parts) + "\n"


def conditions_provider(site: Site, lang: str) -> str:
    return source_words(site.policy.provider, lang) + "\n" + "\n".join(
        _condition_block(site, site.policy.condition(cid), lang) for cid in site.policy.condition_ids(site.policy.provider))


def conditions_market(site: Site, lang: str) -> str:
    provider = set(site.policy.condition_ids(site.policy.provider))
    return "\n".join(_condition_block(site, c, lang) for c in site.policy.conditions if c["id"] not in provider)


def provider_list(site: Site, lang: str) -> str:
    provider = site.policy.provider
    return "\n".join(f"{i}. {_placed(site, provider, cid, site.link(cid, site.condition(cid, lang)), lang)}"
                     for i, cid in enumerate(site.policy.condition_ids(provider), 1)) + "\n"


def markets(site: Site, lang: str) -> str:
    out = []
    for market in site.policy.markets:
        out.append(anchor_heading(2, text(market["name"][lang]), market["id"]))
        out.append(f"**{label('status', lang)}{site.status(market, lang)}**\n\n{text(market['description'][lang])}\n")
        out.append(source_words(market, lang))
        out.append(f"**{word('conditions_of', lang)}**\n")
        out += [f"{i}. {_placed(site, market, cid, site.link(cid, site.condition(cid, lang)), lang)}"
                for i, cid in enumerate(site.policy.condition_ids(market), 1)]
        out.append("\n" + site.ref(market["ref"], lang) + "\n")
        out.append(site.assumptions_for(market["id"], lang))
    return "\n".join(out) + "\n"


def matrix(site: Site, lang: str) -> str:
    columns = [("provider", text(site.policy.provider["name"][lang]), site.policy.provider)]
    columns += [(m["id"], text(m["name"][lang]), m) for m in site.policy.markets]
    head = f"| {word('condition', lang)} | " + " | ".join(name for _, name, _ in columns) + " |"
    lines = [head, "|---|" + "|".join(":-:" for _ in columns) + "|"]
    for condition in site.policy.conditions:
        cid = condition["id"]
        cells = [_placed(site, part, cid, word("mark_yes", lang), lang) if cid in site.policy.condition_ids(part)
                 else word("mark_no", lang) for _, _, part in columns]
        lines.append(f"| {site.link(cid, site.condition(cid, lang))} | " + " | ".join(cells) + " |")
    status = [site.status(m, lang) for m in site.policy.markets]
    lines.append(f"| **{word('status', lang)}** | {word('mark_no', lang)} | " + " | ".join(status) + " |")
    # a class for the layout: the conditions column keeps a readable width, the ticks stay narrow
    return '<div class="policy-matrix" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def process(site: Site, lang: str) -> str:
    p = site.doc["process"]
    review = p["review"]
    low, high = site.at(review["min_working_days"]), site.at(review["max_working_days"])
    heads = [word(key, lang) for key in ("process_prerequisites", "process_steps", "process_form", "process_review")]
    out = [anchor_heading(2, heads[0], "prerequisites")]
    out += [_quoted_item(f"{i}.", item, lang) for i, item in enumerate(p["prerequisites"], 1)]
    out += ["", site.ref(p["prerequisites"][0]["ref"], lang), "", anchor_heading(2, heads[1], "steps")]
    out += [_quoted_item(f"{i}.", item, lang) for i, item in enumerate(p["steps"], 1)]
    out += ["", anchor_heading(2, heads[2], "application-form")]
    out += [f"- {text(item[lang])}" for item in p["application_form"]]
    out += ["", anchor_heading(2, heads[3], review["id"]),
            f"**{md_format(review['text'][lang], min=low, max=high)}**{word('full_stop', lang)}",
            site.scheduled([review["min_working_days"], review["max_working_days"]], site.review_on(lang), lang),
            "", labelled("statutory", lang, joined([
                anchor(h["id"]) + parenthesised(text(h["name"][lang]), word("days", lang, n=h["days"]), lang)
                for h in review["statutory_holidays"]], lang)),
            "", source_words(review, lang),
            text(review["notification"][lang]), "", site.ref(review["ref"], lang), "",
            site.assumptions_for(review["id"], lang), calendar(site, lang)]
    return "\n".join(out) + "\n"


def calendar(site: Site, lang: str, level: int = 3) -> str:
    """Each holiday schedule entered from the State Council's notice (policy/calendar.yaml), with its
    source: its holidays, its make-up working days and, when given, the notice's words."""
    schedules = sorted(site.doc.get("calendar", {}).get("schedules", []), key=lambda s: s["year"])
    out = [anchor_heading(level, word("calendar_heading", lang), "calendar"),
           word("calendar_intro" if schedules else "calendar_none", lang), ""]
    for schedule in schedules:
        notice = schedule["source"]
        out += [anchor_heading(level + 1, word("calendar_year", lang, year=schedule["year"]), f"calendar-{schedule['year']}"),
                f"{label('source', lang)}[{text(notice['title'])}]({link_target(notice['url'])}) · "
                f"{label('published', lang)}{notice['published_on']}", "",
                f"| {word('calendar_holiday', lang)} | {word('calendar_days_off', lang)} |", "|---|---|"]
        out += [f"| {text(h['name'][lang])} | "
                + (h["from"] if h["from"] == h["to"] else word("days_from_to", lang, first=h["from"], last=h["to"])) + " |"
                for h in schedule["holidays"]]
        makeup = joined(schedule["makeup_working_days"], lang) or word("makeup_none", lang)
        out += ["", labelled("makeup_days", lang, makeup), ""]
        if schedule.get("quote"):
            out.append(source_words(schedule, lang))
    return "\n".join(out) + "\n"


def fees_mode(site: Site, lang: str) -> str:
    mode = site.doc["fees"]["mode"]
    return "\n".join([anchor_heading(2, text(mode["name"][lang]), mode["id"]), source_words(mode, lang),
                      text(mode["only_mode"][lang]), "", text(mode["text"][lang]), "", site.ref(mode["ref"], lang), "",
                      site.assumptions_for(mode["id"], lang)])


def fees_deposit(site: Site, lang: str) -> str:
    deposit = site.doc["fees"]["deposit"]
    shown = site.schedule([deposit["amount"]], site.deposit_on(lang), lang)
    return "\n".join([anchor_heading(2, text(deposit["name"][lang]), deposit["id"]), source_words(deposit, lang),
                      text(deposit["text"][lang]), "",
                      f"**{label('deposit_amount', lang)}{shown}**", "", site.ref(deposit["ref"], lang), "",
                      site.assumptions_for(deposit["id"], lang)])


def fees_platform(site: Site, lang: str) -> str:
    fee = site.doc["fees"]["platform_fee"]
    rounding = site.doc["fees"]["rounding"]
    body = md_format(fee["text"][lang], rate=f"**{site.rate_percent()}**")
    return "\n".join([anchor_heading(2, text(fee["name"][lang]), fee["id"]), source_words(fee, lang), body, "",
                      site.scheduled([fee["rate"]], site.rate_on, lang), site.ref(fee["ref"], lang), "",
                      site.assumptions_for(fee["id"], lang),
                      anchor(rounding["id"]), ""])


def fees_invoicing(site: Site, lang: str) -> str:
    items = site.doc["fees"]["invoicing"]
    out = []
    out += [_quoted_item("-", item, lang) for item in items]
    out += ["", site.ref(items[0]["ref"], lang), "", invoice_diagram(site, lang), "",
            site.assumptions_for(items[0]["id"], lang)]
    return "\n".join(out) + "\n"




def fees_waiver(site: Site, lang: str) -> str:
    waiver = site.doc["fees"]["waiver"]
    years = site.at(waiver["years"])
    return "\n".join([anchor_heading(2, text(waiver["name"][lang]), waiver["id"]), source_words(waiver, lang),
                      md_format(waiver["text"][lang], years=f"**{years}**", period=f"**{word('years', lang, n=years)}**"), "",
                      site.scheduled([waiver["years"]], site.waiver_on(lang), lang), site.ref(waiver["ref"], lang), "",
                      site.assumptions_for(waiver["id"], lang)])


def assumptions(site: Site, lang: str) -> str:
    out = []
    for kind in ("unknown", "assumption", "reading"):
        out.append(anchor_heading(2, word(f"kind_{kind}", lang), f"kind-{kind}"))
        for a in (a for a in site.doc["assumptions"] if a["kind"] == kind):
            out.append(anchor_heading(3, text(a["title"][lang]), a["id"]))
            out.append(text(a["text"][lang]) + "\n")
            targets = [site.link(t, site.names[t][lang]) for t in a["applies_to"]]
            out.append(labelled("qualifies", lang, joined(targets, lang)) + "\n")
    return "\n".join(out)


def changelog(site: Site, lang: str) -> str:
    """Each version's hand-written entry, and beside it the changes generated from the policies (this one
    against the previous version's, as git last recorded each; the first version has none)."""
    generated = _generated_changes(site, lang)
    out = []
    for index, entry in enumerate(site.doc["changelog"]):
        out.append(anchor_heading(2, entry["version"], "v" + entry["version"].replace(".", "-")))
        out.append(f"{label('published', lang)}{entry['published_on']} · {label('effective', lang)}{entry['effective_from']}\n")
        out += [f"- {text(change[lang])}" for change in entry["changes"]]
        out.append("")
        if index == len(site.doc["changelog"]) - 1:
            continue
        lines = generated.get(entry["version"])
        out.append(f'???+ note "{word("change_generated", lang)}"')
        if lines is None:
            out.append(f"    {capital(word('change_unavailable', lang))}\n")
        else:
            out += [f"    - {text(line)}" for line in lines] or [f"    {capital(word('change_nothing', lang))}"]
            out.append("")
    return "\n".join(out)


def _generated_changes(site: Site, lang: str) -> dict[str, list[str]]:
    """version -> its changes from the version below it in the changelog; {} without the git history."""
    from scripts.policy.policy_diff import policy_changes
    from scripts.policy.policy_release import NoRelease, released_policies

    try:
        released = released_policies()
    except NoRelease:
        return {}
    released[site.doc["meta"]["version"]] = site.doc  # the version being built is the policy as it stands
    versions = [entry["version"] for entry in site.doc["changelog"]]
    return {new: policy_changes(released[old], released[new], lang)
            for new, old in zip(versions, versions[1:], strict=False) if new in released and old in released}


def sources(site: Site, lang: str) -> str:
    """Each source: its title and address, what it is, when it was published (an announcement or a
    notice) and the day its kept text was taken."""
    def line(s: dict[str, Any]) -> str:
        dates = ([word("source_published", lang, day=s["published_on"])] if s.get("published_on") else []) \
            + [word("text_taken", lang, day=s["text"]["taken_on"])]
        return (f"- {anchor(s['id'])}[{text(s['title'][lang])}]({link_target(s['url'])})"
                + (word("inferred", lang) if s["title_inferred"] else "")
                + parenthesised("", joined([word(f"source_{s['kind']}", lang), *dates], lang, "semicolon"), lang))
    lines = [line(s) for s in site.doc["sources"]]
    ids = {s["id"] for s in site.doc["sources"]}
    blocks = [status_block(a, lang) for a in site.doc["assumptions"] if set(a["applies_to"]) & ids]
    return "\n".join(lines) + "\n\n" + "\n".join(blocks)


def fields_table(site: Site, lang: str) -> str:
    lines = [f"| {word('field', lang)} | {word('type', lang)} | {word('required', lang)} | {word('meaning', lang)} |",
             "|---|---|---|---|"]
    for field in [*site.policy.fields, AS_OF]:
        kind = word("type_" + field["type"], lang)
        if "minimum" in field or "maximum" in field:
            kind = parenthesised(kind, f"{field.get('minimum', '')}–{field.get('maximum', '')}", lang)
        required = word("mark_yes", lang) if field["required"] else word("optional", lang)
        meaning = word(field["meaning"], lang) if "meaning" in field else text(field["label"][lang])
        lines.append(f"| `{field['name']}` | {kind} | {required} | {meaning} |")
    return "\n".join(lines) + "\n"
