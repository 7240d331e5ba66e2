"""A set of legitimate docs-team edits of policy/, applied as a docs editor would (by key, not by line),
for the tests that check that such a change leaves every check green and is shown everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from scripts.policy.policy_release import next_version

NEW_CONDITION = {
    "id": "api-stable-service",
    "kind": "attestation",
    "field": "api_stable_service",
    "text": {"zh": "提供接入方便、调用稳定的 API 服务",
             "en": "Offer API services that are easy to integrate and stable to call"},
    "ref": {"source": "ksyun-doc-2677", "section": "API市场"},
    "quote": "为用户提供丰富的API服务，接入方便，调用稳定，助力用户业务实现快速上线。",
}
NEW_FIELD = {
    "name": "api_stable_service", "type": "bool", "required": False, "group": "product",
    "label": {"zh": "提供接入方便、调用稳定的 API 服务（API市场）",
              "en": "Offers API services that are easy to integrate and stable to call (API market)"},
}


def _load(path: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], yaml.safe_load(text)


def _save(path: Path, modeline: str, data: Any) -> None:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(f"{modeline}\n{body}", encoding="utf-8")


def apply(project: Path, *, today: dt.date | None = None) -> str:
    """Apply the edits to `project`/policy, the version and its changelog entry included; returns the version."""
    edit_figures(project)
    return record_version(project, today)


def edit_figures(project: Path) -> None:
    """The edits of the figures, conditions and markets alone (without a new version: what the guard refuses)."""
    policy = project / "policy"
    modeline, fees = _load(policy / "fees.yaml")
    fees["platform_fee"]["rate"]["2027-03-01"] = "0.08"  # a dated rate
    fees["waiver"]["years"]["2027-03-01"] = None  # the free year ends for providers onboarded from then
    _save(policy / "fees.yaml", modeline, fees)

    modeline, criteria = _load(policy / "criteria.yaml")
    team = next(c for c in criteria["conditions"] if c["id"] == "team-size")
    first = min(team["threshold"])
    team["threshold"] = {first: team["threshold"][first], "2027-09-01": team["threshold"][first] + 5}  # dated threshold
    criteria["fields"].append(NEW_FIELD)
    criteria["conditions"].append(NEW_CONDITION)
    _save(policy / "criteria.yaml", modeline, criteria)

    modeline, markets = _load(policy / "markets.yaml")
    api = next(m for m in markets["markets"] if m["id"] == "api")
    api["open"]["2027-03-01"] = True  # the API market opens
    api["conditions"].insert(api["conditions"].index("agreements"), NEW_CONDITION["id"])
    _save(policy / "markets.yaml", modeline, markets)



def record_version(project: Path, today: dt.date | None = None) -> str:
    """A new version in policy/meta.yaml and its entry at the top of policy/changelog.yaml."""
    policy = project / "policy"
    modeline, meta = _load(policy / "meta.yaml")
    today = today or dt.date.today()
    meta["version"] = next_version(meta["version"])
    meta["reviewed_on"] = today.isoformat()
    _save(policy / "meta.yaml", modeline, meta)
    modeline, changelog = _load(policy / "changelog.yaml")
    changelog.insert(0, {
        "version": meta["version"], "published_on": today.isoformat(), "effective_from": "2027-03-01",
        "changes": [{
            "zh": "自 2027-03-01 起平台服务费率为 8%，此后入驻的服务商不再享受免费期；"
                  "API市场开放并新增一项条件；自 2027-09-01 起团队规模门槛提高。",
            "en": "From 2027-03-01 the platform service fee rate is 8% and providers onboarded from then get "
                  "no free period; the API market opens with one more condition; from 2027-09-01 the team "
                  "size threshold rises."}],
    })
    _save(policy / "changelog.yaml", modeline, changelog)
    return meta["version"]
