"""The source's own words: every fact quotes the source text kept in policy/, verbatim, line breaks aside."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="reads policy/ and its source text, at build time, in CPython")

if not IN_PYODIDE:
    from scripts.policy_source import POLICY_DIR, compile_policy
    from scripts.quotes import Quote, missing_quotes, normalise, quotes_in, source_text_path


def _document() -> dict[str, Any]:
    return compile_policy()


def _source_text() -> str:
    return source_text_path(_document(), POLICY_DIR).read_text(encoding="utf-8")


def test_the_source_text_is_kept_once_under_policy_with_the_date_it_was_taken() -> None:
    meta = _document()["meta"]["source_text"]
    kept = sorted(path.name for path in POLICY_DIR.glob("*.txt"))
    assert kept == [meta["file"]], "keep exactly one copy of the source text under policy/"
    assert meta["taken_on"] in meta["file"], "the file name carries the date the text was taken"
    text = _source_text()
    assert "成为金山云服务市场服务商需要符合以下条件" in text and "平台服务费" in text


def test_every_quote_stands_verbatim_in_the_source_text() -> None:
    document = _document()
    text = _source_text()
    quotes = list(quotes_in(document))
    assert len(quotes) > 40
    # compared independently of the policy tool chain: only line breaks (and spaces at a line join) go
    joined = "".join(line.strip(" \u3000") for line in text.splitlines())
    for quote in quotes:
        assert quote.text.strip() == quote.text and "\n" not in quote.text, quote
        assert quote.text in joined, f"{quote.where}: {quote.text!r} is not the source's words"
    assert missing_quotes(quotes, text) == []


def _facts(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every fact that must carry the source's words: conditions, markets, the provider block, each
    process step and each fee item."""
    facts = [(c["id"], c) for c in document["criteria"]["conditions"]]
    facts += [(m["id"], m) for m in document["markets"]["markets"]]
    facts.append(("provider", document["markets"]["provider"]))
    process = document["process"]
    facts += [(i["id"], i) for i in process["prerequisites"] + process["steps"] + [process["review"]]]
    fees = document["fees"]
    facts += [(fees[k]["id"], fees[k]) for k in ("mode", "deposit", "platform_fee", "waiver")]
    facts += [(i["id"], i) for i in fees["invoicing"]]
    return facts


def test_every_condition_market_step_and_fee_item_quotes_the_source() -> None:
    document = _document()
    facts = _facts(document)
    assert len(facts) == len(document["criteria"]["conditions"]) + len(document["markets"]["markets"]) + 1 + 6 + 6
    for fact_id, fact in facts:
        quote = fact.get("quote")
        passages = [quote] if isinstance(quote, str) else quote
        assert passages and all(isinstance(p, str) and p for p in passages), fact_id


def test_each_market_condition_quotes_the_words_that_set_it_apart() -> None:
    """生产 is the enterprise market's word; the API market's condition does not carry it."""
    conditions = {c["id"]: c for c in _document()["criteria"]["conditions"]}
    assert "生产" in conditions["production-api-integration"]["quote"]
    assert "生产" not in conditions["api-integration"]["quote"]
    markets = {m["id"]: m["conditions"] for m in _document()["markets"]["markets"]}
    assert "production-api-integration" in markets["enterprise-apps"]
    assert "api-integration" not in markets["enterprise-apps"] and "api-integration" in markets["api"]


@pytest.mark.parametrize(("quote", "text", "found"), [
    pytest.param("预装集成环境", "通过预装集\n成环境及软件", True, id="a line broken inside a word"),
    pytest.param("可提供不少于 5*8 小时", " 可提供不少于 5*8 小时的客服", True, id="leading space on the line"),
    pytest.param("可提供不少于 5*8 小时", "可提供不少于 5 * 8 小时", False, id="a space added inside the line"),
    pytest.param("有生产接口开发能力", "有接口开发能力", False, id="a word dropped"),
    pytest.param("入驻条件", "入驻条件入驻条件", True, id="a heading the extraction doubled"),
    pytest.param("10%收取", "10% \n  收取", True, id="spaces around a line join"),
])
def test_quotes_are_compared_verbatim_except_for_line_breaks(quote: str, text: str, found: bool) -> None:
    missing = missing_quotes([Quote(("x",), "s", quote)], text)
    assert (missing == []) is found
    assert normalise(text).count("\n") == 0
