"""The last release of the policy (from git, offline) and the guard: a changed policy needs a new version.

The last release is, in this order: the git ref given (`FROM=<ref>`); the newest tag `policy-<version>`
reachable from HEAD (the publish workflow tags each version it publishes); where no such tag exists, the
commit where this branch left `main` (`origin/main` first); on `main` itself, the first commit that
recorded the current version (so a change committed after it needs a new version), or the last commit
when the current version is not committed yet (a new version in the making). Its
policy/ is read with `git archive` into a temporary folder, so a fresh clone needs no network; a clone
without that history (shallow, or no git) gets a clear message and the comparison is skipped.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.paths import ROOT
from scripts.policy.policy_load import FILES, PolicyError, Problem, Source, load_source

TAG_PREFIX = "policy-"
_VERSION_LINE = re.compile(r'^version:\s*"?([0-9.]+)"?\s*$', re.M)  # meta.yaml's version, read without YAML
CONTENT_IGNORED = {"meta": {"version", "reviewed_on", "review_by"}}  # bookkeeping, not the policy's content


class NoRelease(Exception):
    """The last release cannot be read here; the message says why and what to do."""


@dataclass(frozen=True)
class Release:
    ref: str  # what git reads (a tag, a commit)
    label: str  # how messages name it
    document: dict[str, Any]


def _git(*args: str, root: Path = ROOT) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise NoRelease("git is not installed") from None
    if done.returncode != 0:
        raise NoRelease(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout.strip()


def _ref(root: Path) -> tuple[str, str]:
    """(ref, label) of the last release, as the module's docstring orders them."""
    _git("rev-parse", "--git-dir", root=root)
    try:
        tag = _git("describe", "--tags", "--abbrev=0", "--match", f"{TAG_PREFIX}*", "HEAD", root=root)
        return tag, f"the release tag {tag}"
    except NoRelease:
        pass
    head = _git("rev-parse", "HEAD", root=root)
    for main in ("origin/main", "main"):
        try:
            base = _git("merge-base", "HEAD", main, root=root)
        except NoRelease:
            continue
        if base != head:
            return base, f"{main} (commit {base[:10]}, where this branch left it)"
    match = _VERSION_LINE.search((root / "policy" / "meta.yaml").read_text(encoding="utf-8"))
    version = match.group(1) if match else ""
    for commit in _git("log", "--reverse", "--format=%H", "--", "policy/meta.yaml", root=root).split():
        try:
            found = _VERSION_LINE.search(_git("show", f"{commit}:policy/meta.yaml", root=root))
        except NoRelease:
            continue
        if found and found.group(1) == version:
            return commit, f"version {version} as first recorded (commit {commit[:10]}; no {TAG_PREFIX}* tag yet)"
    return head, f"the last commit ({head[:10]}, before version {version}; no {TAG_PREFIX}* tag yet)"


def policy_at(ref: str, root: Path = ROOT) -> dict[str, Any]:
    """The policy as it was at git `ref`, read leniently (no validation: an old policy met older rules)."""
    try:
        done = subprocess.run(["git", "archive", "--format=tar", ref, "policy"], cwd=root, capture_output=True,
                              timeout=60)
    except FileNotFoundError:
        raise NoRelease("git is not installed") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NoRelease(f"git cannot read policy/ at {ref}: {reason[-1] if reason else 'unknown error'}")
    with tempfile.TemporaryDirectory() as folder, tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(folder, filter="data")
        try:
            source = load_source(Path(folder) / "policy")
        except PolicyError as error:
            raise NoRelease(f"policy/ at {ref} cannot be read: {error.problems[0]}") from None
    return {key: source.document[key] for key in FILES if key in source.document}


def last_release(from_ref: str | None = None, root: Path = ROOT) -> Release:
    """The last release (or `from_ref`) with its policy; raises NoRelease with the reason."""
    try:
        ref, label = (from_ref, from_ref) if from_ref else _ref(root)
    except NoRelease as error:
        raise NoRelease(f"no git history to compare with ({error}); in a shallow clone run "
                        "`git fetch --unshallow --tags`, or name a ref: make check FROM=<ref>") from None
    return Release(ref, label, policy_at(ref, root))


def content(document: dict[str, Any]) -> dict[str, Any]:
    """What a version number stands for: everything but the changelog and the meta's bookkeeping."""
    kept = {key: value for key, value in document.items() if key != "changelog"}
    if isinstance(kept.get("meta"), dict):
        kept["meta"] = {k: v for k, v in kept["meta"].items() if k not in CONTENT_IGNORED["meta"]}
    return kept


def version_key(version: Any) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in str(version).split("."))
    except ValueError:
        return ()


def next_version(version: str) -> str:
    *head, last = version.split(".")
    return ".".join([*head, str(int(last) + 1)])


def guard(source: Source, release: Release, changed: list[str]) -> list[Problem]:
    """The refusals of a policy compared with its last release; `changed` words what changed."""
    document = source.document
    new, old = document["meta"]["version"], release.document.get("meta", {}).get("version", "")
    meta_file, version_line = source.locate(("meta", "version"))
    problems = []
    if version_key(new) < version_key(old):
        problems.append(Problem(meta_file, version_line, "meta.version",
                                f"{new} is lower than {old}, the version of {release.label}; versions only "
                                f"increase: set it to {next_version(old)} or higher"))
    if json.dumps(content(document), sort_keys=True) != json.dumps(content(release.document), sort_keys=True) \
            and new == old:
        shown = "; ".join(changed[:6]) + (f"; and {len(changed) - 6} more (make diff)" if len(changed) > 6 else "")
        problems.append(Problem(meta_file, version_line, "meta.version",
                                f"the policy changed since {release.label} ({shown}) but its version is still {old}: "
                                f"set `version` to {next_version(old)} in policy/meta.yaml and add an entry for "
                                f"{next_version(old)} at the top of policy/changelog.yaml"))
    released = {entry.get("version") for entry in release.document.get("changelog", []) if isinstance(entry, dict)}
    for index, entry in enumerate(document.get("changelog", [])):
        if entry["version"] in released and entry not in release.document.get("changelog", []):
            file, line = source.locate(("changelog", index))
            problems.append(Problem(file, line, f"changelog[{index}]",
                                    f"the entry of version {entry['version']}, already released in {release.label}, "
                                    "was changed: leave released entries as they were and describe the change in "
                                    "the entry of a new version"))
    return problems



def released_policies(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """Each version of the policy as released: at its tag `policy-<version>`, else as the commit that first
    recorded that version (as the guard reads a release); raises NoRelease without git or its history (a
    shallow clone)."""
    if _git("rev-parse", "--is-shallow-repository", root=root) == "true":
        raise NoRelease("this is a shallow clone; run `git fetch --unshallow`")
    found: dict[str, str] = {}
    for commit in _git("log", "--reverse", "--format=%H", "--", "policy/meta.yaml", root=root).split():
        try:
            match = _VERSION_LINE.search(_git("show", f"{commit}:policy/meta.yaml", root=root))
        except NoRelease:
            continue
        if match and match.group(1) not in found:
            found[match.group(1)] = commit
    for tag in _git("tag", "--list", f"{TAG_PREFIX}*", "--merged", "HEAD", root=root).split():
        found[tag.removeprefix(TAG_PREFIX)] = tag
    return {version: policy_at(ref, root) for version, ref in found.items()}
