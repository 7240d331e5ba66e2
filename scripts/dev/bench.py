"""Measure the site and the calculators on this machine; print a table and write it as JSON.

    python -m scripts.dev.bench [--runs 5] [--host-only] [--out build/bench/results.json]
    (BENCH_RUNS=1 sets the default of --runs: a short run that checks the bench works)

Run after `make site`. Every comparison is measured side by side in the same run, each figure the
median of --runs runs, in headless Chromium against the built site as users receive it: behind
Debian's nginx with the generated configuration (build/host/nginx.conf, gzip_static and
brotli_static; scripts/dev/hosts.py), bare Pyodide served by the same nginx:

  - first answer, cold cache: bare Pyodide (the site's runtime in a module worker, one line of
    Python) against the eligibility widget's first result from a shared link, and their ratio;
  - the same with a warm HTTP cache (a later visit, with the site's shared worker still running), and
    for the widget a later visit once the shared worker has ended (from the kept snapshot);
  - the second calculator page of a visit (fees from a shared link, after the first page answered
    and went idle), against the bare start;
  - the cold first answers again on an emulated 9 Mbit/s, 40 ms link (Chromium's network
    emulation, which applies to a page's own worker's requests too, not to a shared worker's: the
    widget runs in a worker of its own there);
  - bytes on the wire per phase of a visit, from nginx's access log (headers and bodies, as sent):
    the cold calculator page, the second calculator page, a later visit; and a plain policy page;
  - warm recalculation: from a changed field to the updated result;
  - fees over 1k, 10k and 100k orders in CPython and in Pyodide (Node), and how time grows;
  - the full site build.
The goals are printed beside the figures (never a test: timings depend on the machine). The load
average is printed; above 1.5 at the start the run says it is not fit to publish (a loaded machine flatters
every ratio against a bare start).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from scripts.dev import hosts
from scripts.dev.browser import NO_SHARED_WORKERS, chromium, end_shared_workers, missing
from scripts.pages.examples import FEES_ONBOARDED_ON, PAGES, example, link_parameters
from scripts.paths import ROOT
from scripts.site_build import strict_build

BENCH_DIR = ROOT / "bench"
SITE = ROOT / "site"
SHARED_LINK = link_parameters(example("eligibility"))  # examples/eligibility.json as a shared link
FEE_LINK = {"onboarded_on": FEES_ONBOARDED_ON, "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}
FEE_SIZES = (1_000, 10_000, 100_000)
IDLE_WAIT_MS = 30_000  # the longest a first page is left open before the second (until it says it is idle)
SLOW_LINK = {"offline": False, "latency": 40, "downloadThroughput": 9_000_000 / 8, "uploadThroughput": 9_000_000 / 8}
FIT_LOAD = 1.5  # above this load average, a run is not fit to publish


def bench_root() -> Path:
    """What nginx serves: the built site/, plus the bare-Pyodide page under /__bench/ (links only)."""
    www = ROOT / "build" / "bench" / "www"
    if www.is_symlink() or www.exists():
        for entry in www.iterdir():
            entry.unlink()
    www.mkdir(parents=True, exist_ok=True)
    for entry in SITE.iterdir():
        (www / entry.name).symlink_to(entry.resolve())
    (www / "__bench").symlink_to(BENCH_DIR.resolve())
    return www


def runtime_path() -> str:
    return json.loads((ROOT / "build" / "site-assets.json").read_text(encoding="utf-8"))["runtime"]


def mark_time(page: Any, name: str) -> float:
    """Milliseconds from navigation start to the last performance mark `name`."""
    return page.evaluate(f"performance.getEntriesByName({json.dumps(name)}).at(-1).startTime")


def throttled(context: Any, page: Any) -> None:
    """The page (and its worker) on the emulated slow link."""
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_LINK)


def first_answers(browser: Any, base: str, runs: int, slow: bool = False) -> dict[str, list[float]]:
    """Cold and warm: bare Pyodide and the widget's first result, alternating run by run; for the
    widget also a later visit once its shared worker has ended (`widget_ended`). `slow`: cold and warm
    on the emulated 9 Mbit/s, 40 ms link, the widget in a worker of the page's own (Chromium's network
    emulation does not reach a shared worker; a cold start does the same work in either)."""
    bare_url = f"{base}__bench/bare.html?runtime=/{runtime_path()}"
    widget_url = f"{base}{PAGES['eligibility']}/?{urlencode(SHARED_LINK)}"
    samples: dict[str, list[float]] = {key: [] for key in ("bare_cold", "widget_cold", "bare_warm", "widget_warm",
                                                           "widget_ended")}

    def visit(context: Any, url: str, done: str, mark: str) -> float:
        page = context.new_page()
        if slow:
            throttled(context, page)
        page.goto(url)
        page.wait_for_selector(done, timeout=300_000)
        elapsed = mark_time(page, mark)
        if mark.startswith("calc:"):
            settle_idle(page)  # as a user would leave it: after the worker's idle-time work
        page.close()
        return elapsed

    for _ in range(runs):
        for kind, url, done, mark in (("bare", bare_url, "body[data-done]", "bare:done"),
                                      ("widget", widget_url, "[data-state=done]", "calc:first-result")):
            context = browser.new_context()  # a new context: an empty HTTP cache
            if slow:
                context.add_init_script(NO_SHARED_WORKERS)
            samples[f"{kind}_cold"].append(visit(context, url, done, mark))
            samples[f"{kind}_warm"].append(visit(context, url, done, mark))  # the same cache: a repeat visit
            if kind == "widget" and not slow:
                end_shared_workers(browser)  # its extended lifetime over: the runtime starts from the snapshot
                samples["widget_ended"].append(visit(context, url, done, mark))
            context.close()
    return samples


def settle_idle(page: Any) -> None:
    """Wait until the page's worker has done its after-the-first-answer work (calc:idle), if it does any."""
    for _ in range(IDLE_WAIT_MS // 250):
        if page.evaluate("performance.getEntriesByName('calc:idle').length > 0"):
            return
        page.wait_for_timeout(250)


def second_pages(browser: Any, base: str, runs: int) -> list[float]:
    """A visit's second calculator page: fees from a shared link after the eligibility page answered."""
    samples = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}{PAGES['eligibility']}/?{urlencode(SHARED_LINK)}")
        page.wait_for_selector("[data-state=done]", timeout=120_000)
        settle_idle(page)
        page.goto(f"{base}{PAGES['fees']}/?{urlencode(FEE_LINK)}")
        page.wait_for_selector("[data-state=done]", timeout=120_000)
        samples.append(mark_time(page, "calc:first-result"))
        context.close()
    return samples


def recalculation(browser: Any, base: str, runs: int) -> list[float]:
    """From a changed field to the updated result, on a page that has answered once."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}{PAGES['eligibility']}/?{urlencode(SHARED_LINK)}")
    page.wait_for_selector("[data-state=done]", timeout=120_000)
    settle_idle(page)  # the worker's idle-time work done, as when a user starts editing
    samples = []
    results = "performance.getEntriesByName('calc:result').length"
    for run in range(runs * 2):
        # the old result is withdrawn at once on input; wait for the new one's mark
        before = page.evaluate(results)
        page.select_option("#eligibility-marketing_capability", "false" if run % 2 == 0 else "true")
        for _ in range(2000):
            if page.evaluate(results) > before:
                break
            time.sleep(0.005)
        samples.append(mark_time(page, "calc:result") - mark_time(page, "calc:input"))
    context.close()
    return samples


def quiet(page: Any, host: Any, still_ms: int = 1000, limit_ms: int = 30_000) -> None:
    """Until the host has logged no new response for `still_ms` (Playwright's "networkidle" never comes
    on a page with a shared worker: it counts the worker's script as a request of the page that never
    ends)."""
    count, still = len(host.sent()), 0
    for _ in range(limit_ms // 250):
        page.wait_for_timeout(250)
        now = len(host.sent())
        still = still + 250 if now == count else 0
        count = now
        if still >= still_ms:
            return


def transferred(browser: Any, host: Any) -> dict[str, int]:
    """Bytes on the wire as nginx logged them (headers and bodies): a plain policy page, cold; then one
    visit: the cold calculator page (until its idle-time work is done), the second calculator page,
    and a later visit (a new tab of the same browser, the first page again)."""
    base = host.url
    totals = {}

    def runtime_requests(sent: list[Any]) -> int:
        return sum(1 for s in sent if s.body and ("/pyodide/" in s.path or s.path.endswith((".wasm", ".whl"))))

    context = browser.new_context()
    host.since()
    page = context.new_page()
    page.goto(f"{base}conditions/")
    page.wait_for_load_state("networkidle")
    sent = host.since()
    totals["plain_page"], totals["plain_page_runtime_requests"] = sum(s.wire for s in sent), runtime_requests(sent)
    context.close()
    context = browser.new_context()
    page = context.new_page()
    for phase, url in (("calculator_page", f"{base}{PAGES['eligibility']}/?{urlencode(SHARED_LINK)}"),
                       ("second_page", f"{base}{PAGES['fees']}/?{urlencode(FEE_LINK)}"),
                       ("later_visit", f"{base}{PAGES['eligibility']}/?{urlencode(SHARED_LINK)}")):
        if phase == "later_visit":
            page.close()
            page = context.new_page()
        page.goto(url)
        page.wait_for_selector("[data-state=done]", timeout=120_000)
        settle_idle(page)
        quiet(page, host)
        sent = host.since()
        totals[phase], totals[f"{phase}_runtime_requests"] = sum(s.wire for s in sent), runtime_requests(sent)
    context.close()
    return totals


ONBOARDED_ON = "2026-01-01"


def large_csv_in_page(browser: Any, base: str, runs: int) -> dict[str, list[float]]:
    """100,000 orders uploaded to the fee calculator (runtime started): time to the first totals on
    the page (goal: 5 s), time to the whole answer (data-result set, state done), and the longest
    task the page's main thread ran from the upload until a moment after the whole answer (goal:
    200 ms). Also the machine's load average when the run began (the machine may be shared)."""
    path = orders_csv(FEE_SIZES[2])
    samples: dict[str, list[float]] = {"large_totals_ms": [], "large_done_ms": [], "large_longest_task_ms": [],
                                       "large_load": []}
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}{PAGES['fees']}/?onboarded_on={ONBOARDED_ON}")
        page.wait_for_selector("[data-state=ready]", timeout=180_000)
        page.evaluate("""() => { window.__long = 0; new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__long = Math.max(window.__long, e.duration); })
          .observe({ type: "longtask" }); }""")
        samples["large_load"].append(os.getloadavg()[0])
        start = time.perf_counter()
        page.set_input_files("#fees-csv", str(path))
        page.wait_for_selector(".calc-totals", timeout=300_000)
        samples["large_totals_ms"].append((time.perf_counter() - start) * 1000)
        page.wait_for_selector("[data-calculator][data-state=done][data-result]", timeout=300_000)
        samples["large_done_ms"].append((time.perf_counter() - start) * 1000)
        page.wait_for_timeout(500)  # anything the page does just after
        samples["large_longest_task_ms"].append(page.evaluate("window.__long"))
        context.close()
    return samples


def orders_csv(n: int) -> Path:
    """A CSV of `n` valid orders dated in 2026 (on or after ONBOARDED_ON), written once."""
    path = ROOT / "build" / "bench" / f"orders-{n}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = ["id,date,amount,refunded"]
        rows += [f"o{i},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 99991 + 10}.{i % 100:02d},{i % 7}.00"
                 for i in range(n)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def fees_cpython(runs: int) -> dict[int, float]:
    from calculators.api import fees_from_csv

    timings = {}
    for n in FEE_SIZES:
        text = orders_csv(n).read_text(encoding="utf-8")
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fees_from_csv(text, ONBOARDED_ON)
            samples.append(time.perf_counter() - start)
        timings[n] = statistics.median(samples)
    return timings


def fees_pyodide(runs: int) -> dict[int, float]:
    from scripts.assets.wheels import WHEELS

    wheels = sorted(str(p) for p in WHEELS.glob("*.whl"))
    files = [str(orders_csv(n)) for n in FEE_SIZES]
    out = subprocess.run(["node", str(BENCH_DIR / "fees.mjs"), str(runs), ONBOARDED_ON, *files, "--", *wheels],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    by_file = json.loads(out.stdout.strip().splitlines()[-1])
    return {n: by_file[Path(file).name] for n, file in zip(FEE_SIZES, files, strict=True)}


def build_time(runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = strict_build()
        if result.returncode:
            raise SystemExit(f"the site build failed:\n{result.stdout}{result.stderr}")
        samples.append(time.perf_counter() - start)
    return samples


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {cpu}, {platform.system()} {platform.release()}"


def table(results: dict[str, Any]) -> str:
    f = results["figures"]
    rows = [
        ("First answer, cold cache: bare Pyodide", f"{f['bare_cold_ms']:.0f} ms", ""),
        ("First answer, cold cache: eligibility from a shared link", f"{f['widget_cold_ms']:.0f} ms",
         f"{f['cold_ratio']:.2f}× bare (goal ≤ 0.6×)"),
        ("First answer, warm cache: bare Pyodide", f"{f['bare_warm_ms']:.0f} ms", ""),
        ("First answer, later visit: eligibility from a shared link", f"{f['widget_warm_ms']:.0f} ms",
         f"{f['widget_warm_ms'] / f['bare_cold_ms']:.2f}× bare cold (goal ≤ 0.2×); "
         f"{f['warm_ratio']:.2f}× bare warm; the shared worker still running"),
        ("First answer, later visit after the shared worker ended", f"{f['widget_ended_ms']:.0f} ms",
         f"{f['widget_ended_ms'] / f['bare_cold_ms']:.2f}× bare cold; "
         f"{f['widget_ended_ms'] / f['bare_warm_ms']:.2f}× bare warm; from the kept snapshot"),
        ("First answer, second calculator page of a visit (fees)", f"{f['second_page_ms']:.0f} ms",
         f"{f['second_page_ms'] / f['bare_cold_ms']:.2f}× bare cold (goal ≤ 0.2×); "
         f"{f['second_page_ms'] / f['bare_warm_ms']:.2f}× bare warm"),
        ("9 Mbit/s, 40 ms link: bare Pyodide, cold", f"{f['slow_bare_cold_ms']:.0f} ms", ""),
        ("9 Mbit/s, 40 ms link: eligibility, cold", f"{f['slow_widget_cold_ms']:.0f} ms",
         f"{f['slow_cold_ratio']:.2f}× bare on that link (goal ≤ 0.6×); the page's own worker"),
        ("Bytes on the wire: plain policy page", f"{f['plain_page_kb']:.0f} KB",
         f"runtime files sent: {f['plain_page_runtime_requests']} (goal 0)"),
        ("Bytes on the wire: calculator page, cold", f"{f['calculator_page_kb'] / 1024:.2f} MB",
         f"goal ≤ 4.5 MB, aim 3.6 MB; runtime files sent: {f['calculator_page_runtime_requests']}"),
        ("Bytes on the wire: second calculator page of a visit", f"{f['second_page_kb'] / 1024:.2f} MB",
         f"goal ≤ 0.3 MB; runtime files sent: {f['second_page_runtime_requests']}"),
        ("Bytes on the wire: later visit", f"{f['later_visit_kb'] / 1024:.2f} MB",
         f"runtime files sent: {f['later_visit_runtime_requests']}"),
        ("Warm recalculation (changed field → result)", f"{f['recalc_ms']:.1f} ms", "goal < 100 ms"),
    ]
    if "fees_cpython_s" in f:
        for n in FEE_SIZES:
            cp, py = f["fees_cpython_s"][str(n)], f["fees_pyodide_s"][str(n)]
            rows.append((f"Fees over {n:,} orders: CPython / Pyodide", f"{cp * 1000:.0f} / {py * 1000:.0f} ms",
                         f"Pyodide {py / cp:.1f}× CPython (goal < 5×)"))

        def growth(timings: dict[str, float]) -> float:
            return timings[str(FEE_SIZES[2])] / timings[str(FEE_SIZES[1])]

        rows.append(("Fees growth 10k → 100k orders (linear ≈ 10×)",
                     f"{growth(f['fees_cpython_s']):.1f}× / {growth(f['fees_pyodide_s']):.1f}×", "CPython / Pyodide"))
        rows.append(("100,000 orders in the fee calculator: first totals", f"{f['large_totals_ms']:.0f} ms",
                     "upload to totals on the page (goal ≤ 5000 ms)"))
        rows.append(("100,000 orders: whole answer (data-result, state done)", f"{f['large_done_ms']:.0f} ms",
                     "the result's JSON follows the totals"))
        rows.append(("100,000 orders: longest main-thread task", f"{f['large_longest_task_ms']:.0f} ms",
                     f"upload to whole answer (goal ≤ 200 ms); load average {f['large_load']:.1f} "
                     f"on {os.cpu_count()} cores: wall time, which a loaded machine stretches (README)"))
        rows.append(("Full site build (both languages)", f"{f['build_s']:.1f} s", ""))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'measure'.ljust(width)} | figure | note |", f"|{'-' * (width + 2)}|---|---|"]
    lines += [f"| {name.ljust(width)} | {value} | {note} |" for name, value, note in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dev.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS") or 5))
    parser.add_argument("--host-only", action="store_true",
                        help="only the figures of the site on its host (first answers, bytes, the slow link)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "results.json")
    args = parser.parse_args(argv)
    if not (SITE / PAGES["eligibility"] / "index.html").exists():
        raise SystemExit("site/ is not built: run `make site` first")
    if problem := missing() or hosts.missing():
        raise SystemExit(problem)
    sys.path.insert(0, str(ROOT))
    progress: Callable[[str], None] = lambda text: print(f"… {text}", file=sys.stderr, flush=True)  # noqa: E731
    loads = [os.getloadavg()[0]]
    with hosts.nginx(bench_root()) as host, chromium() as browser:
        base = host.url
        progress(f"through nginx at {base}: first answers (cold and warm)")
        first = first_answers(browser, base, args.runs)
        progress("second calculator page of a visit")
        second = second_pages(browser, base, args.runs)
        progress("first answers on an emulated 9 Mbit/s, 40 ms link")
        slow = first_answers(browser, base, args.runs, slow=True)
        progress("bytes on the wire per phase")
        sizes = transferred(browser, host)
        progress("warm recalculation")
        recalc = recalculation(browser, base, args.runs)
        large = {}
        if not args.host_only:
            progress("100,000 orders in the page")
            large = large_csv_in_page(browser, base, max(1, min(args.runs, 3)))
    figures = {
        "bare_cold_ms": median(first["bare_cold"]), "widget_cold_ms": median(first["widget_cold"]),
        "bare_warm_ms": median(first["bare_warm"]), "widget_warm_ms": median(first["widget_warm"]),
        "widget_ended_ms": median(first["widget_ended"]),
        "slow_bare_cold_ms": median(slow["bare_cold"]), "slow_widget_cold_ms": median(slow["widget_cold"]),
        "recalc_ms": median(recalc), "second_page_ms": median(second),
        **{f"{key}_kb": value / 1024 for key, value in sizes.items() if not key.endswith("_requests")},
        **{key: value for key, value in sizes.items() if key.endswith("_requests")},
    }
    samples: dict[str, Any] = {**first, **{f"slow_{k}": v for k, v in slow.items()}, "second_page": second,
                               "recalc": recalc}
    if not args.host_only:
        progress("fees in CPython")
        cpython = fees_cpython(3)
        progress("fees in Pyodide")
        pyodide = fees_pyodide(3)
        progress("site build")
        build = build_time(max(1, min(args.runs, 3)))
        figures.update({
            "fees_cpython_s": {str(k): v for k, v in cpython.items()},
            "fees_pyodide_s": {str(k): v for k, v in pyodide.items()},
            "build_s": median(build),
            "large_totals_ms": median(large["large_totals_ms"]),
            "large_done_ms": median(large["large_done_ms"]),
            "large_longest_task_ms": max(large["large_longest_task_ms"]),
            "large_load": median(large["large_load"]),
        })
        samples.update({**large, "build": build})
    loads.append(os.getloadavg()[0])
    figures["cold_ratio"] = figures["widget_cold_ms"] / figures["bare_cold_ms"]
    figures["warm_ratio"] = figures["widget_warm_ms"] / figures["bare_warm_ms"]
    figures["slow_cold_ratio"] = figures["slow_widget_cold_ms"] / figures["slow_bare_cold_ms"]
    # fit to publish: the load before the run, i.e. what else the machine was doing; the load at the end
    # also counts the bench's own browser and runtimes, which keep both cores busy for minutes
    figures["load"] = loads[0]
    figures["load_end"] = loads[1]
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
               "host": "nginx", "figures": figures,
               "samples": samples}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    fit = "" if figures["load"] <= FIT_LOAD else f" · NOT FIT TO PUBLISH (load above {FIT_LOAD} at the start)"
    print(f"Machine: {results['machine']} · {results['date']} · median of {args.runs} runs · through nginx "
          f"(gzip_static, brotli_static) · load average {loads[0]:.2f} at the start, {loads[1]:.2f} at the end "
          f"(with the bench's own browser){fit}\n")
    print(table(results))
    print(f"\n(figures and samples: {args.out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
