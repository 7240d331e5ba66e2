"""What the site build needs around MkDocs: the policy, its fragments, the runtime and the wheels.

Before the build: compile the policy, build the calculators wheel (which carries it), and write
the page fragments, whose calculator forms name the runtime and wheel URLs. After the build: copy
the compiled policy and schema, the Pyodide runtime files, the trimmed standard library the pages
load (scripts/assets/stdlib_zip.py) and the wheels into the site. Runtime, standard library and wheels
live under versioned or content-hashed names, so they can be cached forever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from scripts.assets.precompress import precompress
from scripts.assets.stdlib_zip import compiled_wheels, trimmed_stdlib
from scripts.assets.wheels import RUNTIME_PACKAGES, WHEELS, build_calculators, fetch
from scripts.pages.gen_pages import generate
from scripts.paths import BUILD, ROOT, write_if_changed
from scripts.policy.compile_policy import DATA_DIR, write_outputs
from scripts.policy.policy_load import POLICY_DIR
from scripts.policy.policy_source import compile_policy, review_warning

__all__ = ["prepare", "publish", "precompress", "RUNTIME_FILES"]

# What Pyodide needs at run time from its npm package (no source maps, no console pages).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MANIFEST = BUILD / "site-assets.json"


def pyodide_dir() -> Path:
    """The installed npm package `pyodide` (from `npm ci`)."""
    package = ROOT / "node_modules" / "pyodide"
    if not (package / "package.json").exists():
        raise SystemExit("node_modules/pyodide is missing: run `make setup` (it runs `npm ci`)")
    return package


def runtime_assets() -> dict[str, object]:
    """Build the wheels and name where the site serves them and the runtime, relative to its root."""
    package = pyodide_dir()
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    wheels = [(build_calculators(), None)]
    dependencies = fetch(tuple(RUNTIME_PACKAGES), WHEELS)
    wheels += [(wheel, RUNTIME_PACKAGES[name]) for name, wheel in zip(RUNTIME_PACKAGES, dependencies, strict=True)]
    plain = [wheel for wheel, _ in wheels]
    preview = os.environ.get("GUIDE_PREVIEW") == "1"  # the live preview keeps the runtime's full stdlib
    if not preview:
        # the wheels with their modules compiled (the runtime would compile them at every start)
        built = compiled_wheels(plain)
        wheels = [(compiled, needed_by) for compiled, (_, needed_by) in zip(built, wheels, strict=True)]
    served = []
    for wheel, needed_by in wheels:
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
        # needed_by: the calculators whose pages load this wheel (None: every calculator page)
        served.append({"file": str(wheel), "url": f"wheels/{digest}/{wheel.name}", "needed_by": needed_by})
    assets = {"runtime": f"pyodide/{version}/", "runtime_dir": str(package), "wheels": served}
    if not preview:
        # only the standard library the calculators use, compiled; content-hashed beside the runtime
        stdlib = trimmed_stdlib(plain)
        digest = hashlib.sha256(stdlib.read_bytes()).hexdigest()[:16]
        assets.update(stdlib=f"pyodide/{version}/python_stdlib-{digest}.zip", stdlib_file=str(stdlib))
    return assets


def compiled_with_warnings(policy_dir: Path = POLICY_DIR) -> dict:
    """The compiled policy (raises PolicyError naming every problem), after printing to stderr what
    it should still look at, as `make policy` does: assumptions to review, a notice's quote not yet
    checked, a passed review-by date. The site build and the preview print them in their terminal."""
    warnings: list[str] = []
    document = compile_policy(policy_dir, warnings)
    warning = review_warning(document, dt.date.today())
    for line in [*warnings, *([warning] if warning else [])]:
        print(line, file=sys.stderr)
    return document


def prepare(site_url: str | None = None) -> None:
    """Compile policy/ (raises PolicyError naming every problem), build the wheels, write fragments.
    `site_url`: the site's base URL as MkDocs resolved it (the calculators' links are made from it)."""
    document = compiled_with_warnings()
    write_outputs(document, site_url=site_url)
    assets = runtime_assets()
    write_if_changed(MANIFEST, json.dumps(assets, indent=1))
    generate(document, assets=assets)


def publish(site_dir: Path) -> None:
    """Copy the data, the runtime files and the wheels into the built site."""
    target = site_dir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("policy.json", "policy.schema.json"):
        shutil.copyfile(DATA_DIR / name, target / name)
    assets = json.loads(MANIFEST.read_text(encoding="utf-8"))
    runtime = site_dir / assets["runtime"]
    runtime.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(Path(assets["runtime_dir"]) / name, runtime / name)
    if "stdlib" in assets:
        shutil.copyfile(assets["stdlib_file"], site_dir / assets["stdlib"])
    for wheel in assets["wheels"]:
        served = site_dir / wheel["url"]
        served.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(wheel["file"], served)
