"""The inputs of examples/ and what the calculators answer for them, as JSON blocks for the data page."""

from __future__ import annotations

import json
from typing import Any

from calculators import calculate_fees, check_eligibility, estimate_review
from calculators.api import contract
from scripts.pages.examples import FEES_ONBOARDED_ON, example, example_orders
from scripts.pages.page_site import Site

__all__ = ["example_outputs"]


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, ensure_ascii=False, indent=2) + "\n```\n"


def example_outputs(site: Site, lang: str) -> dict[str, str]:
    """The examples/ inputs and what the calculators answer, for the data page."""
    eligibility_input = example("eligibility")
    review_input = example("review")
    eligibility = contract(check_eligibility(eligibility_input, lang=lang, policy=site.policy))
    eligibility["categories"] = {"basic_software": eligibility["categories"]["basic_software"], "…": "…"}
    orders = example_orders()[:1]
    fees = calculate_fees({"onboarded_on": FEES_ONBOARDED_ON, "orders": orders}, lang=lang, policy=site.policy)
    return {
        "example-eligibility-input": _json_block(eligibility_input),
        "example-eligibility-output": _json_block(eligibility),
        "example-fees-input": _json_block({"onboarded_on": FEES_ONBOARDED_ON, "orders": orders}),
        "example-fees-output": _json_block(fees),
        "example-review-input": _json_block(review_input),
        "example-review-output": _json_block(estimate_review(review_input, lang=lang, policy=site.policy)),
    }
