"""Run the test suite against the site's trimmed standard library; the rest serves the test tools only.

The runtime starts with the trimmed python_stdlib.zip the site ships (at /lib/python314.zip). The
test tools (pytest, hypothesis) need more of the standard library: a finder at the end of
sys.meta_path takes it from the runtime's full zip, FULL. Any module taken from FULL while code of
the calculators (or of a wheel they use) is running is recorded, except by the command line's own
modules, which the page never runs; `check()` then names it, so a module
the calculators need but the trimmed zip lacks fails the test run, not a user.
"""

from __future__ import annotations

import builtins
import sys
import zipimport

FULL = "/lib/full_stdlib.zip"
WATCHED = ("calculators", "chinese_calendar")
# the command line's own modules: the page never runs them (argparse, reading files, utf-8-sig)
COMMAND_LINE = ("calculators.cli", "calculators.__main__")
missing: set[str] = set()


def _calculators_running() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in WATCHED and module not in COMMAND_LINE:
            return True
        frame = frame.f_back
    return False


def _from_full(name: str) -> bool:
    return (getattr(sys.modules.get(name), "__file__", None) or "").startswith(FULL)


class TestToolsStdlib:
    """Finds, last of all, standard-library modules that only the full zip has."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> object:
        parts = name.split(".")
        folder = FULL + "".join(f"/{part}" for part in parts[:-1]) + ("/" if len(parts) > 1 else "")
        try:
            spec = zipimport.zipimporter(folder).find_spec(name)
        except (zipimport.ZipImportError, OSError):
            return None
        if spec is not None and _calculators_running():
            missing.add(name)
        return spec


_import = builtins.__import__


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002, ANN001, ANN202
    module = _import(name, globals, locals, fromlist, level)
    if _calculators_running():
        absolute = name
        if level:
            package = (globals or {}).get("__package__") or ""
            base = package.rsplit(".", level - 1)[0] if level > 1 else package
            absolute = f"{base}.{name}" if name else base
        parts = absolute.split(".")
        names = [".".join(parts[: i + 1]) for i in range(len(parts))]
        names += [f"{absolute}.{item}" for item in fromlist or () if item != "*"]
        missing.update(n for n in names if _from_full(n))
    return module


def install() -> None:
    sys.meta_path.append(TestToolsStdlib())
    builtins.__import__ = _guarded_import
    _self_test()


# a small pure-Python module of the full zip that the calculators never import
SELF_TEST_MODULE = "colorsys"


def _self_test() -> None:
    """The guard flags an import from FULL made while calculators code runs (SELF_TEST_MODULE:
    not trimmed-in)."""
    name = SELF_TEST_MODULE
    if name in sys.modules or not _zip_has(f"{name}.py") or _trimmed_has(f"{name}.pyc"):
        raise RuntimeError(f"stdlib guard self-test needs {name} in the full zip only")
    exec(f"import {name}", {"__name__": "calculators._guard_self_test"})  # noqa: S102
    if name not in missing:
        raise RuntimeError("stdlib guard self-test: an import from the full zip went unnoticed")
    missing.clear()


def _zip_has(name: str) -> bool:
    import zipfile

    return name in zipfile.ZipFile(FULL).namelist()


def _trimmed_has(name: str) -> bool:
    import zipfile

    return name in zipfile.ZipFile(f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip").namelist()


def check() -> int:
    """0, or 1 after naming every module the calculators took from outside the trimmed zip."""
    if missing:
        print("The site's trimmed standard library lacks modules the calculators import: "
              + ", ".join(sorted(missing)) + " (see scripts/assets/stdlib_closure.mjs)", file=sys.stderr)
        return 1
    return 0
