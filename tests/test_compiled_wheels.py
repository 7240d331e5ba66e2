"""The wheels the site serves carry their modules compiled by the runtime's Python (scripts/assets/
stdlib_closure.mjs): a .pyc in place of each .py, every other file as in the wheel it came from, a
RECORD that lists each member with its digest, and the same bytecode format as the trimmed standard
library's. The browser tests run the calculators from these wheels; the CLI and the suite inside
Pyodide use the plain ones."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from .conftest import IN_PYODIDE

in_cpython = pytest.mark.skipif(IN_PYODIDE, reason="reads the built site in CPython")


def served_wheels(site: Path) -> list[Path]:
    return sorted(site.glob("wheels/*/*.whl"))


def plain_wheel(name: str) -> Path:
    from scripts.assets.wheels import WHEELS

    return WHEELS / name


@pytest.mark.site
@in_cpython
def test_each_served_wheel_is_its_plain_wheel_with_every_module_compiled() -> None:
    from .built_site import built_site

    site = built_site()
    wheels = served_wheels(site)
    names = {w.name.split("-")[0] for w in wheels}
    assert names >= {"ksyun_marketplace_calculators", "chinesecalendar", "lunar_python"}
    stdlib = next(site.glob("pyodide/*/python_stdlib-*.zip"))
    with zipfile.ZipFile(stdlib) as zipped:
        magic = zipped.read(next(n for n in zipped.namelist() if n.endswith(".pyc")))[:4]
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as served, zipfile.ZipFile(plain_wheel(wheel.name)) as plain:
            names, plain_names = set(served.namelist()), set(plain.namelist())
            modules = {n for n in plain_names if n.endswith(".py")}
            assert modules, wheel.name
            assert not {n for n in names if n.endswith(".py")}, f"{wheel.name} still carries sources"
            assert names == (plain_names - modules) | {f"{n}c" for n in modules}, wheel.name
            for name in plain_names - modules:
                if not name.endswith("RECORD"):
                    assert served.read(name) == plain.read(name), (wheel.name, name)
            for module in modules:
                pyc = served.read(f"{module}c")
                assert pyc[:4] == magic, (wheel.name, module)  # written by the runtime's Python
                assert int.from_bytes(pyc[4:8], "little") == 1, (wheel.name, module)  # hash-based, unchecked
            record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
            record = {}
            for line in served.read(record_name).decode().splitlines():
                path, digest, size = line.rsplit(",", 2)
                record[path] = (digest, size)
            assert set(record) == names, wheel.name
            for path, (digest, size) in record.items():
                if path == record_name:
                    assert (digest, size) == ("", ""), wheel.name
                    continue
                data = served.read(path)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert (digest, size) == (f"sha256={expected}", str(len(data))), (wheel.name, path)


@pytest.mark.skipif(not IN_PYODIDE, reason="the suite inside Pyodide runs the site's compiled wheels")
def test_inside_pyodide_the_calculators_run_from_the_compiled_wheels() -> None:
    import chinese_calendar
    import lunar_python

    import calculators.api

    for module in (calculators, calculators.api, chinese_calendar, lunar_python):
        assert module.__file__.endswith(".pyc") and not Path(module.__file__[:-1]).exists(), module.__file__
    assert calculators.api.__doc__ is None  # compiled as `python -OO` compiles
