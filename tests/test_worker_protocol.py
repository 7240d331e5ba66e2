"""The worker's message protocol (docs/assets/js/calc/protocol.mjs), read by Node: every message the
worker and its client post is a declared one, each side dispatches from a table of exactly the
declared types, and a message of an undeclared type or with an undeclared field is refused."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from scripts.paths import ROOT

from .conftest import cpython_only

pytestmark = cpython_only

JS = ROOT / "docs" / "assets" / "js"
WORKER = JS / "calc-worker.mjs"
CLIENT = JS / "calc" / "runtime.mjs"

# Prints the declaration, then what message() and dispatcher() make of good and bad input.
PROBE = """
const p = await import(process.argv[1]);
const refused = (f) => { try { f(); return null; } catch (error) { return error.message; } };
const all = (protocol) => Object.fromEntries(Object.keys(protocol).map((type) => [type, () => type]));
const receive = p.dispatcher(p.FROM_WORKER, all(p.FROM_WORKER));
console.log(JSON.stringify({
  to: p.TO_WORKER, from: p.FROM_WORKER,
  made: p.message(p.TO_WORKER, "page", { id: 1, of: 2, start: 0, count: 100 }),
  routed: [receive({ type: "idle-done" }), receive({ type: "toString" }) ?? null, receive({ type: "nope" }) ?? null],
  unknownType: refused(() => p.message(p.TO_WORKER, "pages", {})),
  unknownField: refused(() => p.message(p.FROM_WORKER, "rows", { id: 1, rows: [] })),
  missingHandler: refused(() => {
    const { idle, ...rest } = all(p.TO_WORKER);
    void idle;
    p.dispatcher(p.TO_WORKER, rest);
  }),
  extraHandler: refused(() => p.dispatcher(p.TO_WORKER, { ...all(p.TO_WORKER), stop: () => null })),
  frozen: Object.isFrozen(p.TO_WORKER) && Object.isFrozen(p.TO_WORKER.init) && Object.isFrozen(p.FROM_WORKER.result),
}));
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    result = subprocess.run(["node", "--input-type=module", "-e", PROBE, (JS / "calc" / "protocol.mjs").as_uri()],
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_message_and_dispatcher_hold_to_the_declaration(probe: dict) -> None:
    assert probe["made"] == {"type": "page", "id": 1, "of": 2, "start": 0, "count": 100}
    assert probe["routed"] == ["idle-done", None, None]  # unknown types (even Object's own names) are ignored
    assert probe["unknownType"] == "undeclared message type: pages"
    assert probe["unknownField"] == 'undeclared fields of a "rows" message: rows'
    assert probe["missingHandler"] == "message handlers: missing idle; undeclared none"
    assert probe["extraHandler"] == "message handlers: missing none; undeclared stop"
    assert probe["frozen"] is True


def _uses(text: str, pattern: str) -> list[tuple[str, set[str]]]:
    """Each (type, field names) a call matching `pattern` (type, then an optional {fields}) names."""
    found = []
    for match in re.finditer(pattern + r'"([a-z-]+)"(?:,\s*\{([^}]*)\})?', text):
        fields = {name.split(":")[0].strip() for name in (match.group(2) or "").split(",") if name.strip()}
        found.append((match.group(1), {f.removeprefix("...") for f in fields}))
    return found


def test_every_message_posted_is_declared_with_its_fields(probe: dict) -> None:
    worker = WORKER.read_text(encoding="utf-8")
    client = CLIENT.read_text(encoding="utf-8")
    posted = _uses(worker, r"\bpost\(")
    sent = _uses(client, r"\bsend\(") + _uses(client, r"message\(TO_WORKER,\s*")
    assert {t for t, _ in posted} == set(probe["from"])  # the worker says each thing it may say
    assert {t for t, _ in sent} <= set(probe["to"]) and {"init", "compute", "idle"} <= {t for t, _ in sent}
    for kind, uses in (("from", posted), ("to", sent)):
        for type_, fields in uses:
            assert fields <= set(probe[kind][type_]), (type_, fields - set(probe[kind][type_]))


def test_both_sides_dispatch_from_the_declared_table_not_by_comparing_types() -> None:
    for path, protocol in ((WORKER, "TO_WORKER"), (CLIENT, "FROM_WORKER")):
        text = path.read_text(encoding="utf-8")
        assert f"dispatcher({protocol}," in text, path.name
        assert not re.search(r"\.type\s*===", text), path.name


def test_the_worker_declares_no_paging_sizes_of_its_own() -> None:
    """A page of orders and a large answer are sized in Python (calculators.display): the worker calls
    compute_paged with its defaults, and names no size itself."""
    text = WORKER.read_text(encoding="utf-8")
    calls = re.findall(r"batches\.compute_paged\(([^)]*)\)", text)
    assert len(calls) == 1 and len(calls[0].split(",")) == 5, calls  # name, input, lang, csv, progress
    assert not re.search(r"\bconst\s+(PAGE|LARGE)\w*\s*=", text)
