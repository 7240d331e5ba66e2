"""Calculators for Kingsoft Cloud Marketplace providers: eligibility, fees and review time."""

from .api import CALCULATORS, compute, compute_json, dumps, fees_from_csv, fees_from_csv_rows
from .csv_io import fees_csv, read_orders_csv
from .eligibility import check_eligibility
from .fees import calculate_fees
from .inputs import InputError, Problem
from .periods import holds_from, period_end, today_in_china
from .policy import Policy, load_policy, value_at
from .review import estimate_review

__all__ = [
    "CALCULATORS",
    "InputError",
    "Policy",
    "Problem",
    "calculate_fees",
    "check_eligibility",
    "compute",
    "compute_json",
    "dumps",
    "estimate_review",
    "fees_csv",
    "fees_from_csv",
    "fees_from_csv_rows",
    "holds_from",
    "load_policy",
    "period_end",
    "read_orders_csv",
    "today_in_china",
    "value_at",
]
