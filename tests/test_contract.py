"""The declared inputs and results (calculators/contract.py) are the contract's, each worded once."""

from __future__ import annotations

import pytest

from calculators.contract import CONTRACTS, affectable, named_by
from calculators.messages import LANGUAGES, catalogue, word

# The contract's keys as calculators-json.md writes them: the one place the tests spell them out;
# the other tests compare results with the declaration.
RESULT = {
    "eligibility": {"as_of", "policy_version", "provider", "categories"},
    "fees": {"policy_version", "rate", "orders", "totals", "deposit"},
    "review": {"submitted_on", "earliest", "latest", "working_days", "calendar_complete", "warnings"},
}
ORDER_ROW = {"id", "date", "amount", "refunded", "fee_base", "rate", "waived", "fee", "waived_fee",
             "provider_receives", "platform_invoice", "user_invoice"}
TOTALS = {"amount", "refunded", "fee_base", "fee", "waived_fee", "provider_receives"}
# What an assumption's `affects` may name besides the policy's eligibility fields.
AFFECTABLE = {
    "eligibility": {"as_of", "eligible", "eligible_from", "met_from", "open", "can_apply"},
    "fees": {"onboarded_on", "date", "amount", "refunded", "deposit", "rate", "fee_base", "waived", "fee",
             "waived_fee", "provider_receives", "platform_invoice", "user_invoice"},
    "review": {"submitted_on", "earliest", "latest", "working_days", "calendar_complete"},
}


def test_the_declared_inputs_are_the_contract_inputs() -> None:
    fees, review = CONTRACTS["fees"], CONTRACTS["review"]
    assert [(f.name, f.type, f.required) for f in fees.inputs] == [
        ("onboarded_on", "date", False), ("orders", "list", True), ("deposit", "money", False)]
    assert [(f.name, f.type, f.required) for f in fees.field("orders").items] == [
        ("id", "text", True), ("date", "date", True), ("amount", "money", True), ("refunded", "money", False)]
    assert [(f.name, f.type, f.required) for f in review.inputs] == [("submitted_on", "date", True)]
    assert [(f.name, f.type, f.required) for f in CONTRACTS["eligibility"].inputs] == [("as_of", "date", False)]


@pytest.mark.parametrize("name", list(RESULT))
def test_the_declared_result_keys_are_the_contract_keys(name: str) -> None:
    assert set(CONTRACTS[name].result) == RESULT[name]
    assert len(CONTRACTS[name].result) == len(RESULT[name])


def test_the_declared_fee_rows_and_totals_are_the_contract_keys() -> None:
    fees = CONTRACTS["fees"]
    assert [f.name for f in fees.rows] == ["id", "date", "amount", "refunded", "fee_base", "rate", "waived", "fee",
                                          "waived_fee", "provider_receives", "platform_invoice", "user_invoice"]
    assert {f.name for f in fees.rows} == ORDER_ROW and set(fees.totals) == TOTALS
    money = {f.name for f in fees.rows if f.type == "money"}
    assert money == TOTALS | {"platform_invoice", "user_invoice"}


@pytest.mark.parametrize("name", list(AFFECTABLE))
def test_an_assumption_may_name_the_inputs_and_results_with_a_word(name: str) -> None:
    assert affectable(name) == AFFECTABLE[name]


def test_a_name_is_worded_the_same_in_every_calculator_and_the_word_exists() -> None:
    words: dict[str, str] = {}
    for contract in CONTRACTS.values():
        for field in (*contract.fields(), *contract.rows, *contract.named):
            for key in (field.label, field.word, field.group):
                if key is not None:
                    assert key in catalogue(), (field.name, key)
                    assert all(word(key, lang) for lang in LANGUAGES)
            if field.word is not None:
                assert words.setdefault(field.name, field.word) == field.word, field.name
                assert named_by(field.name) == field.word
    with pytest.raises(KeyError):
        named_by("id")
