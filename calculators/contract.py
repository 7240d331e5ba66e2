"""Each calculator's JSON input fields and result keys, declared once (eligibility's own fields come from the policy).

The fee and review inputs are declared here as the policy declares eligibility's: a name, a type (a
field type of kinds.FIELD_TYPES, or "text" or "list"), whether it is required, the catalogue word
that labels it in the form and the group (fieldset) it sits in there. A result key is declared with
its type. Each field and result an assumption may name (its `affects`) has a catalogue word the
pages name it by. The forms, the widget's state (through the form's markup), the API's reading of
typed figures, the policy's check of `affects`, the pages and the tests read this declaration; the
contract itself is calculators-json.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kinds import AS_OF

__all__ = ["CONTRACTS", "Contract", "Field", "affectable", "named_by"]


@dataclass(frozen=True)
class Field:
    """One input field or result key: its name, its type, whether the input must give it; the catalogue
    words of its form label and of its name on the pages (None: it has none); its form group; and,
    for a list, the fields of each of its items."""

    name: str
    type: str
    required: bool = False
    label: str | None = None
    word: str | None = None
    group: str | None = None
    items: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Contract:
    """A calculator's input fields (eligibility: besides the policy's), the keys of its result, the
    keys of each of its result's rows (fees: an order's) and of its totals, and the result keys an
    assumption may name."""

    inputs: tuple[Field, ...]
    result: tuple[str, ...]
    rows: tuple[Field, ...] = ()
    totals: tuple[str, ...] = ()
    named: tuple[Field, ...] = ()

    def fields(self) -> tuple[Field, ...]:
        """Every input field, a list's item fields after the list."""
        return tuple(f for field in self.inputs for f in (field, *field.items))

    def field(self, name: str) -> Field:
        return next(f for f in self.fields() if f.name == name)

    def item_names(self, name: str) -> tuple[str, ...]:
        """The names of the fields of each item of list field `name`, in order."""
        return tuple(f.name for f in self.field(name).items)


ORDER = (
    Field("id", "text", required=True),
    Field("date", "date", required=True, label="order_date", word="order_date"),
    Field("amount", "money", required=True, label="amount_label", word="order_amount"),
    Field("refunded", "money", label="refunded_label", word="refund_amount"),
)

CONTRACTS: dict[str, Contract] = {
    "eligibility": Contract(
        inputs=(Field(AS_OF["name"], AS_OF["type"], AS_OF["required"], AS_OF["label"], "evaluation_date",
                      group="evaluation_date"),),
        result=("as_of", "policy_version", "provider", "categories"),
        named=(Field("eligible", "bool", word="eligible"),
               Field("eligible_from", "date", word="result_eligible_from"),
               Field("met_from", "date", word="result_met_from"),
               Field("open", "bool", word="result_open"),
               Field("can_apply", "bool", word="result_can_apply")),
    ),
    "fees": Contract(
        inputs=(Field("onboarded_on", "date", label="onboarded_on_label", word="onboarding_date", group="onboarding"),
                Field("orders", "list", required=True, group="one_order", items=ORDER),
                Field("deposit", "money", label="deposit_plan_label", word="deposit", group="planning")),
        result=("policy_version", "rate", "orders", "totals", "deposit"),
        rows=(*ORDER,
              Field("fee_base", "money", word="fee_base"),
              Field("rate", "rate", word="column_rate"),
              Field("waived", "bool", word="result_waived"),
              Field("fee", "money", word="fee"),
              Field("waived_fee", "money", word="result_waived_fee"),
              Field("provider_receives", "money", word="net_of_fee"),
              Field("platform_invoice", "money", word="result_platform_invoice"),
              Field("user_invoice", "money", word="result_user_invoice")),
        totals=("amount", "refunded", "fee_base", "fee", "waived_fee", "provider_receives"),
    ),
    "review": Contract(
        inputs=(Field("submitted_on", "date", required=True, label="submission_date", word="submission_date",
                      group="submission_date"),),
        result=("submitted_on", "earliest", "latest", "working_days", "calendar_complete", "warnings"),
        named=(Field("earliest", "date", word="result_earliest"),
               Field("latest", "date", word="result_latest"),
               Field("working_days", "list", word="working_days_counted"),
               Field("calendar_complete", "bool", word="result_calendar_complete")),
    ),
}


def _named(contract: Contract) -> tuple[Field, ...]:
    return tuple(f for f in (*contract.fields(), *contract.rows, *contract.named) if f.word is not None)


def affectable(calculator: str) -> set[str]:
    """What an assumption's `affects` may name for `calculator` besides the policy's eligibility
    fields: its input fields and result keys that the pages have a word for."""
    return {f.name for f in _named(CONTRACTS[calculator])}


def named_by(name: str) -> str:
    """The catalogue word the pages name input field or result key `name` by (KeyError: none).
    A name means one thing in every calculator (tests/test_contract.py checks it)."""
    for contract in CONTRACTS.values():
        for field in contract.fields() + contract.rows + contract.named:
            if field.name == name and field.word is not None:
                return field.word
    raise KeyError(name)
