"""What changed between two compiled policies, in both languages, and how the answers for examples/ change.

    python -m scripts.policy.policy_diff [--from REF] [--lang zh|en]

Without --from, compares policy/ with the last release (scripts/policy/policy_release.py); REF is any git ref.
Each dated value is shown as its old and new schedule; conditions, markets, fields, assumptions and the
other facts (matched by id) as added, removed or changed, markets opened or closed; texts, quotes and
words as old → new. Then the example inputs of examples/ are answered under both policies and every
answer that differs is listed. Works offline (git only). Exit 0 (it reports; `make check` guards).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from calculators import Policy, calculate_fees, check_eligibility, estimate_review
from calculators.messages import LANGUAGES, word
from calculators.policy import is_dated, value_at
from scripts.pages.examples import EXAMPLES, FEES_ONBOARDED_ON, example_orders
from scripts.policy.policy_source import compile_policy

SHORT = 80


def _keyed(value: Any) -> str | None:
    """The key naming the items of a list of facts ("id", or "name" for fields), or None."""
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for key in ("id", "name", "version"):
            if all(isinstance(item.get(key), str) for item in value):
                return key
    return None


CJK = re.compile("[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")


def _shown(value: Any, lang: str) -> str:
    """A value as the diff shows it; in English, the source's own Chinese words (a quote, a section) in 「」,
    as the pages show the source's words."""
    if value is None:
        return word("change_none", lang)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= SHORT else text[: SHORT - 1] + "…"
    return f"「{text}」" if lang == "en" and CJK.search(text) else text


def schedule(dated: dict[str, Any] | None, lang: str) -> str:
    if not dated:
        return word("change_none", lang)
    return word("semicolon", lang).join(word("change_from", lang, date=day, value=_shown(value, lang))
                                        for day, value in sorted(dated.items()))


def _name(fact: dict[str, Any], lang: str) -> str | None:
    """How a fact reads in `lang`: its name, label or text."""
    for key in ("name", "label", "text", "title"):
        if isinstance(fact.get(key), dict) and isinstance(fact[key].get(lang), str):
            return _shown(fact[key][lang], lang)
    return None


def _walk(old: Any, new: Any, path: str, lang: str, every_text: bool = False) -> Iterator[str]:
    """The changes from `old` to `new` under `path`; a text's other language only with `every_text`."""
    if old == new:
        return
    if is_dated(old) or is_dated(new):
        yield word("change_value", lang, what=path, old=schedule(old, lang), new=schedule(new, lang))
        if path.endswith(".open"):
            for day in sorted(new or {}):
                before = value_at(old, _day(day)) if old else None
                if new[day] != before and new[day] is not None:
                    market = path.split("[")[-1].split("]")[0]
                    yield word("change_opens" if new[day] else "change_closes", lang,
                               market=_MARKET_NAMES.get((market, lang), market), date=day)
        return
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [*old, *(k for k in new if k not in old)]
        if set(keys) == set(LANGUAGES) and not every_text:
            keys = [lang]
        for key in keys:
            yield from _walk(old.get(key), new.get(key), f"{path}.{key}" if path else key, lang, every_text)
        return
    key = _keyed(old) or _keyed(new)
    if key and isinstance(old or [], list) and isinstance(new or [], list):
        before = {item[key]: item for item in old or []}
        after = {item[key]: item for item in new or []}
        for name, item in after.items():
            if name not in before:
                said = _name(item, lang)
                yield word("change_added", lang, what=f"{path}[{name}]") + (word("colon", lang) + said if said else "")
        for name in before:
            if name not in after:
                yield word("change_removed", lang, what=f"{path}[{name}]")
        for name in before:
            if name in after:
                yield from _walk(before[name], after[name], f"{path}[{name}]", lang, every_text)
        return
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(x, str) for x in old + new) \
            and sorted(old) != sorted(new):  # a list of ids: what came and went
        for item in new:
            if item not in old:
                yield word("change_added", lang, what=path + word("colon", lang) + item)
        for item in old:
            if item not in new:
                yield word("change_removed", lang, what=path + word("colon", lang) + item)
        return
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > SHORT:
        start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
        old, new = (("…" if start > 20 else "") + text[max(0, start - 20):] for text in (old, new))
    if old is None:
        yield word("change_added", lang, what=path) + word("colon", lang) + _shown(new, lang)
    elif new is None:
        yield word("change_removed", lang, what=path)
    else:
        yield word("change_value", lang, what=path, old=_shown(old, lang), new=_shown(new, lang))


def _day(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


_MARKET_NAMES: dict[tuple[str, str], str] = {}  # (market id, language) -> its name, for "opens from"


def policy_changes(old: dict[str, Any], new: dict[str, Any], lang: str, every_text: bool = False) -> list[str]:
    """Every change of the policy's content, in `lang` (the changelog and the bookkeeping dates apart); the
    texts of `lang` only, unless `every_text`."""
    from scripts.policy.policy_release import content

    for document in (old, new):
        for market in document.get("markets", {}).get("markets", []):
            if isinstance(market, dict) and isinstance(market.get("name"), dict):
                _MARKET_NAMES.update({(market.get("id"), key): value for key, value in market["name"].items()})
    return list(_walk(content(old), content(new), "", lang, every_text))


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            name = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else index
            yield from _leaves(item, f"{path}[{name}]")
    else:
        yield path, value


def answers(policy: Policy, lang: str) -> dict[str, Any]:
    """The answers for the inputs of examples/ under `policy` (an error's message where it cannot answer)."""
    inputs = {
        "eligibility.json": lambda: check_eligibility(json.loads((EXAMPLES / "eligibility.json").read_text("utf-8")),
                                                      lang=lang, policy=policy),
        "orders.csv": lambda: calculate_fees({"onboarded_on": FEES_ONBOARDED_ON, "orders": example_orders()}, lang=lang,
                                             policy=policy),
        "review.json": lambda: estimate_review(json.loads((EXAMPLES / "review.json").read_text("utf-8")), lang=lang,
                                               policy=policy),
    }
    results = {}
    for name, compute in inputs.items():
        try:
            results[name] = compute()
        except Exception as error:  # an old policy the calculators no longer read: said, not raised
            results[name] = {"error": str(error)}
    return results


def answer_changes(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    before, after = answers(Policy(old), lang), answers(Policy(new), lang)
    lines = []
    for name in after:
        if "error" in after[name] or "error" in before[name]:
            error = after[name].get("error") or before[name].get("error")
            lines.append(word("change_example_error", lang, example=name, error=error))
            continue
        old_leaves, new_leaves = dict(_leaves(before[name])), dict(_leaves(after[name]))
        said: set[str] = set()
        for path in [*new_leaves, *(p for p in old_leaves if p not in new_leaves)]:
            if path == "policy_version" or old_leaves.get(path) == new_leaves.get(path):
                continue
            item = path[: path.rfind("]") + 1]  # a criterion or order come or gone: one line for it
            if item and not any(p.startswith(item) for p in (old_leaves if path in new_leaves else new_leaves)):
                if item not in said:
                    said.add(item)
                    side = new_leaves if path in new_leaves else old_leaves
                    values = word("list_separator", lang).join(
                        f"{p[len(item) + 1:]}={_shown(v, lang)}" for p, v in side.items()
                        if p.startswith(item) and p[len(item) + 1:] in ("met", "reason", "fee", "waived"))
                    old_value, new_value = (word("change_none", lang), values) if path in new_leaves \
                        else (values, word("change_none", lang))
                    lines.append(word("change_example", lang, example=name, what=item, old=old_value, new=new_value))
                continue
            lines.append(word("change_example", lang, example=name, what=path, old=_shown(old_leaves.get(path), lang),
                              new=_shown(new_leaves.get(path), lang)))
    return lines


def report(old: dict[str, Any], new: dict[str, Any], label: str, langs: tuple[str, ...] = LANGUAGES) -> str:
    """The diff as text: per language, the policy's changes, then the examples' answers."""
    out = [f"policy {old['meta']['version']} ({label}) → {new['meta']['version']} (policy/)"]
    for lang in langs:
        changes = policy_changes(old, new, lang)
        out.append(f"\n[{lang}] {word('change_policy', lang)}")
        out += [f"  - {line}" for line in changes] or [f"  {word('change_nothing', lang)}"]
        answered = answer_changes(old, new, lang)
        out.append(f"[{lang}] {word('change_answers', lang)}")
        out += [f"  - {line}" for line in answered] or [f"  {word('change_none', lang)}"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from scripts.policy.policy_load import PolicyError
    from scripts.policy.policy_release import NoRelease, last_release

    parser = argparse.ArgumentParser(prog="python -m scripts.policy.policy_diff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="from_ref", help="a git ref to compare with (default: the last release)")
    parser.add_argument("--lang", choices=LANGUAGES, help="one language only (default: both)")
    args = parser.parse_args(argv)
    try:
        new = compile_policy()
    except PolicyError as error:
        print("\n".join(map(str, error.problems)), file=sys.stderr)
        return 1
    try:
        release = last_release(args.from_ref)
    except NoRelease as error:
        print(f"make diff: {error}", file=sys.stderr)
        return 0 if not args.from_ref else 1
    print(report(release.document, new, release.label, (args.lang,) if args.lang else LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
