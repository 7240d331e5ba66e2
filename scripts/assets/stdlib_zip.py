"""The trimmed standard library the site ships: only the modules the calculators use, compiled; and
the wheels it ships, with their modules compiled.

    python -m scripts.assets.stdlib_zip [OUT.zip]

Runs scripts/assets/stdlib_closure.mjs (Node, inside the Pyodide the site ships) over the runtime wheels,
and caches the result under build/stdlib/ by the inputs' hash (runtime version, wheels, examples,
the script), so an unchanged build reuses it. The same run writes each wheel with its modules
compiled, a .pyc in place of each .py (compiled_wheels: Pyodide's Python compiles them; the page's
runtime would compile each module again at every start). The page loads the zip with loadPyodide({stdLibURL}); the
test suite runs inside Pyodide against the same file (scripts/dev/pyodide_tests.py), so a module the
calculators need but the zip lacks fails the build, never a user.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from scripts.paths import ROOT

CACHE = ROOT / "build" / "stdlib"  # shared by every build folder: keyed by content, written atomically
SCRIPT = ROOT / "scripts" / "assets" / "stdlib_closure.mjs"
INSTALL = ROOT / "docs" / "assets" / "js" / "install-wheels.mjs"  # how the closure and the page unpack wheels
EXAMPLES = ROOT / "examples"
RUNTIME = ROOT / "node_modules" / "pyodide"
KEEP = 6  # cached zips kept (test builds with a changed policy make others)


def _key(wheels: list[Path]) -> str:
    digest = hashlib.sha256()
    inputs = [RUNTIME / "package.json", RUNTIME / "python_stdlib.zip", SCRIPT, INSTALL,
              *sorted(EXAMPLES.iterdir()), *wheels]
    for path in inputs:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def trimmed_stdlib(wheels: list[Path]) -> Path:
    """The trimmed python_stdlib.zip for these runtime wheels (built once per set of inputs)."""
    key = _key(wheels)
    target, compiled = CACHE / f"python_stdlib-{key}.zip", CACHE / f"wheels-{key}"
    if not (target.exists() and compiled.is_dir()):
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = CACHE / f".{target.name}.{os.getpid()}.part"
        command = ["node", str(SCRIPT), str(partial), str(EXAMPLES), *map(str, wheels)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"could not build the trimmed standard library:\n{result.stderr[-4000:]}")
        shutil.rmtree(compiled, ignore_errors=True)
        Path(f"{partial}-wheels").replace(compiled)
        partial.replace(target)
        for old in sorted(CACHE.glob("python_stdlib-*.zip"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink()
            shutil.rmtree(CACHE / old.name.replace("python_stdlib-", "wheels-").removesuffix(".zip"),
                          ignore_errors=True)
    return target


def compiled_wheels(wheels: list[Path]) -> list[Path]:
    """These runtime wheels with each module compiled by Pyodide's Python, a .pyc in place of its .py
    (made with the trimmed standard library, in the same order)."""
    compiled = CACHE / f"wheels-{_key(wheels)}"
    if not compiled.is_dir():
        trimmed_stdlib(wheels)
    return [compiled / wheel.name for wheel in wheels]


def main(argv: list[str] | None = None) -> int:
    from scripts.assets.wheels import build_all

    args = sys.argv[1:] if argv is None else argv
    zip_path = trimmed_stdlib(build_all(test=False))
    if args:
        shutil.copyfile(zip_path, args[0])
    print(zip_path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
