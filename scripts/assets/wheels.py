"""Build the calculators wheel and fetch the pure-Python wheels that run with it in Pyodide.

    python -m scripts.assets.wheels [--test]

Writes build/wheels/ (the calculators wheel, with its compiled policy, and its pure-Python dependencies) and,
with --test, build/test-wheels/ (pytest, hypothesis and their dependencies, for running the test
suite inside Pyodide). Versions are the pins in requirements/dev.txt.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.paths import BUILD, ROOT, SHARED_CACHE

WHEELS = BUILD / "wheels"
TEST_WHEELS = BUILD / "test-wheels"
CACHE = SHARED_CACHE
# Pure-Python packages the calculators import, with the calculators that need each.
RUNTIME_PACKAGES = {"chinesecalendar": ("review",), "lunar_python": ("review",)}
TEST_PACKAGES = ("pytest", "iniconfig", "packaging", "pluggy", "pygments", "hypothesis", "sortedcontainers")


def pins() -> dict[str, str]:
    """Package name (lower case) -> pinned version, from requirements/dev.txt."""
    text = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    return {name.lower(): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


# A fixed timestamp makes the wheel reproducible: the same code and policy give the same bytes,
# hence the same content-hashed URL on the site and a browser cache that stays valid.
REPRODUCIBLE = {"SOURCE_DATE_EPOCH": "315532800"}


def _pip(*args: str, quiet: bool = False) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args],
                   check=True, cwd=ROOT, env={**os.environ, **REPRODUCIBLE},
                   stderr=subprocess.DEVNULL if quiet else None)


# The files that ship to every browser, pinned by SHA-256 (a version names a file; a hash is the file):
# each is checked after it is downloaded or built and whenever it is taken from the cache, and a file
# that differs is removed from the cache and refused. `sdist`: a package published as source only is
# downloaded as this file, checked, and built with the pinned build tools (no build isolation) and
# SOURCE_DATE_EPOCH, which gives the same wheel every time. After changing a pin in
# requirements/dev.txt, put the new files' hashes here (`pip hash FILE`).
PINNED = {
    "chinesecalendar==1.11.0": {
        "wheel": "9479ead6010e6001472efdf97317699882c16604c7858ba26862dc9d36d56d46",
    },
    "lunar_python==1.4.8": {
        "sdist": "3aa11cc73c25e70ddf0ba5bdac7398c03acc9491a3aa512a91c9642973b669d6",
        "wheel": "f34e737a63a6aa778bd6e0bdbf4ece47487ce4835a513051a2bacb786bdb8f35",
    },
}


class Unpinned(SystemExit):
    """A file that ships to the site is not the file pinned."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked(path: Path, expected: str) -> Path:
    """`path` if its SHA-256 is `expected`; else it is removed and the build stops, naming both."""
    actual = sha256(path)
    if actual != expected:
        path.unlink(missing_ok=True)
        raise Unpinned(f"{path.name}: SHA-256 {actual} is not the pinned {expected} (scripts/assets/wheels.py); "
                       "the file was removed from the cache and not used")
    return path


def _cached(name: str, version: str) -> list[Path]:
    prefix = f"{name.replace('-', '_')}-{version}-".lower()
    return sorted(p for p in CACHE.iterdir() if p.name.lower().startswith(prefix) and p.suffix == ".whl")


def _place(source: Path, target: Path) -> Path:
    """Copy `source` into the folder `target` atomically (builds running side by side see whole files)."""
    target.mkdir(parents=True, exist_ok=True)
    copy = target / source.name
    handle, temporary = tempfile.mkstemp(dir=target, prefix=f".{source.name}.")
    os.close(handle)
    shutil.copyfile(source, temporary)
    os.replace(temporary, copy)
    return copy


def _download(name: str, version: str, folder: str, pin: dict[str, str] | None) -> None:
    """The package's pure-Python wheel into `folder`: downloaded, or built from its source. With a
    pin, pip checks the downloaded file's hash (--require-hashes) and the build uses the pinned tools."""
    requirement = f"{name}=={version}"
    if pin is None:
        try:  # quiet: a package published as source only fails here, and is built below
            _pip("download", "--no-deps", "--only-binary=:all:", "--platform", "any", "--python-version",
                 "3.14", "--implementation", "py", "-d", folder, requirement, quiet=True)
        except subprocess.CalledProcessError:  # published as source only: build its pure wheel
            _pip("wheel", "--no-deps", "--no-binary", name, "-w", folder, requirement)
        return
    pinned = Path(folder) / "requirement.txt"
    if "sdist" in pin:
        pinned.write_text(f"{requirement} --hash=sha256:{pin['sdist']}\n", encoding="utf-8")
        sources = Path(folder) / "sdist"
        _pip("download", "--no-deps", "--no-binary=:all:", "--require-hashes", "-d", str(sources), "-r", str(pinned))
        for sdist in sources.iterdir():
            _pip("wheel", "--no-deps", "--no-build-isolation", "-w", folder, str(checked(sdist, pin["sdist"])))
    else:
        pinned.write_text(f"{requirement} --hash=sha256:{pin['wheel']}\n", encoding="utf-8")
        _pip("download", "--no-deps", "--only-binary=:all:", "--platform", "any", "--python-version", "3.14",
             "--implementation", "py", "--require-hashes", "-d", folder, "-r", str(pinned))


def fetch(packages: tuple[str, ...], target: Path) -> list[Path]:
    """Pure-Python wheels of `packages` at their pinned versions (cached under build/wheel-cache); each
    that ships to the site (RUNTIME_PACKAGES) checked against its SHA-256 in PINNED, when taken from
    the cache as after a download: a cached file that is not the pinned one is fetched again, a fetched
    one that is not stops the build."""
    versions = pins()
    CACHE.mkdir(parents=True, exist_ok=True)
    found = []
    for name in packages:
        pinned = name in RUNTIME_PACKAGES
        pin = PINNED.get(f"{name}=={versions[name]}") if pinned else None
        if pinned and pin is None:
            raise Unpinned(f"{name}=={versions[name]} ships to the site but has no SHA-256 in scripts/assets/wheels.py "
                           "PINNED: add the hashes of its files")
        for stale in _cached(name, versions[name]) if pin is not None else []:
            if sha256(stale) != pin["wheel"]:  # an older build's file: fetched again below, then checked
                print(f"{stale.name} in the cache is not the pinned file; fetching it again", file=sys.stderr)
                stale.unlink()
        if not _cached(name, versions[name]):
            with tempfile.TemporaryDirectory(dir=CACHE) as download:
                _download(name, versions[name], download, pin)
                for wheel in Path(download).glob("*.whl"):
                    if pin is not None:
                        checked(wheel, pin["wheel"])
                    os.replace(wheel, CACHE / wheel.name)
        cached = _cached(name, versions[name])
        if not cached:
            raise SystemExit(f"no pure-Python wheel of {name}=={versions[name]}")
        found.append(_place(checked(cached[0], pin["wheel"]) if pin is not None else cached[0], target))
    return found


PACKAGE_FILES = ("pyproject.toml", "README.md")


def _sources() -> list[Path]:
    """What the calculators wheel is built from: the package (with its compiled policy) and its metadata."""
    package = sorted(p for p in (ROOT / "calculators").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [ROOT / name for name in PACKAGE_FILES] + package


def build_calculators(target: Path = WHEELS) -> Path:
    """The calculators wheel, with the policy compiled into it (run the compiler first).

    Built from a private copy of its sources, so nothing is written into the project tree and two
    builds can run at once; kept in the cache under the hash of those sources, so an unchanged
    package is not built again.
    """
    if not (ROOT / "calculators" / "policy.json").exists():
        raise SystemExit("calculators/policy.json is missing: run `python -m scripts.policy.compile_policy` first")
    digest = hashlib.sha256()
    for path in _sources():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    cached = CACHE / f"calculators-{digest.hexdigest()[:20]}"
    if not any(cached.glob("*.whl")):
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as work:
            copy = Path(work) / "src"
            for path in _sources():
                destination = copy / path.relative_to(ROOT)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
            _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(Path(work) / "out"), str(copy))
            try:
                os.replace(Path(work) / "out", cached)
            except OSError:  # another build placed the same wheel meanwhile
                pass
    for old in target.glob("ksyun_marketplace_calculators-*.whl") if target.is_dir() else []:
        old.unlink(missing_ok=True)
    return _place(next(cached.glob("*.whl")), target)


def build_all(test: bool = False) -> list[Path]:
    wheels = [build_calculators(), *fetch(tuple(RUNTIME_PACKAGES), WHEELS)]
    if test:
        wheels += fetch(TEST_PACKAGES, TEST_WHEELS)
    return wheels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.assets.wheels", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", action="store_true", help="also fetch the test tools' wheels")
    args = parser.parse_args(argv)
    for wheel in build_all(args.test):
        print(wheel.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
