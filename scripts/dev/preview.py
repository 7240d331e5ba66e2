"""The docs team's preview: build the site, serve it with the site's CSP, rebuild once per saved change.

    python -m scripts.dev.preview [--port 8000]        (what `make serve` runs)

- Each build is the strict `mkdocs build` that `make site` runs (scripts/site_build.py), in its own
  process (so changes to calculators/ and scripts/ apply), writing into build/preview/ only: `make test`
  can run meanwhile.
- Watches docs/, policy/, examples/, calculators/, scripts/, overrides/, hooks/ and mkdocs.yml. A burst
  of saves is one build; a file whose content did not change (a generated file rewritten with the
  same text, an editor's touch) and generated or temporary files trigger nothing.
- Prints "Serving on URL" when ready, and the build's own messages, so a broken policy edit reads
  file:line: key: sentence exactly as with `make site`.
- While the newest build has failed, every page request gets, at once, a page listing those messages.
- Every page carries a small same-origin script that reloads it when a newer build is ready, so the
  site comes back by itself when the edit is fixed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from scripts.assets.host_config import host_dir
from scripts.dev.static_server import Handler, QuietServer
from scripts.paths import ROOT
from scripts.policy.compile_policy import write_site_address
from scripts.site_build import build_command, build_env

__all__ = ["Preview", "main"]

PREVIEW_BUILD = ROOT / "build" / "preview"
WATCHED = ("docs", "policy", "examples", "calculators", "scripts", "overrides", "hooks", "mkdocs.yml")
# Generated, hidden or temporary files (editors' and atomic writes' own): never a reason to build.
IGNORED = re.compile(r"(^|/)(__pycache__|[^/]*\.egg-info|\.[^/]*)(/|$)|(\.pyc|\.swp|\.swx|\.tmp|~)$|(^|/)4913$|"
                     r"^calculators/(policy|site)\.json$")
QUIET = 0.3  # seconds without a change before a build starts
SCRIPT_PATH = "/__preview/reload.js"
EPOCH_PATH = "/__preview/epoch"
RELOAD_SCRIPT = b"""// Preview only (make serve): reload this page when a newer build of the site is ready.
(function () {
  "use strict";
  var epoch = document.currentScript.dataset.epoch;
  function poll() {
    fetch("/__preview/epoch?since=" + epoch, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (now) { if (now.trim() !== epoch) location.reload(); else poll(); },
            function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _remove_build(site: Path) -> None:
    """A preview build's site folder and its host files beside it."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(host_dir(site), ignore_errors=True)


class Preview:
    """The state shared by the watcher, the builder and the request handlers."""

    def __init__(self, port: int, out: Any = sys.stdout) -> None:
        self.port = port
        self.out = out
        self.url = f"http://127.0.0.1:{port}/"
        self.epoch = 0
        self.site: Path | None = None  # the newest good build
        self.made: list[Path] = []  # every build folder this preview made (removed when it stops)
        self.problems: list[str] | None = None  # the newest build's messages when it failed
        self.changed = threading.Condition()
        self._hashes: dict[str, str] = {}
        self._pending = threading.Event()
        self._dirty: set[str] = set()
        self.lock = threading.Lock()
        PREVIEW_BUILD.mkdir(parents=True, exist_ok=True)

    def remove_builds(self) -> None:
        """Every build folder this preview made, and the host files beside each."""
        for site in self.made:
            _remove_build(site)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # --- building -------------------------------------------------------------------------------

    def build(self) -> bool:
        """One strict build into a new folder; on success it becomes the served site."""
        target = Path(tempfile.mkdtemp(prefix="site-", dir=PREVIEW_BUILD))
        self.made.append(target)
        # GUIDE_PREVIEW: no precompressed files and the runtime's full standard library (scripts/
        # precompress.py, site_assets.py), so a saved change shows without waiting for them
        env = build_env(GUIDE_BUILD_DIR=str(PREVIEW_BUILD), SITE_URL=self.url, GUIDE_PREVIEW="1")
        started = time.monotonic()
        process = subprocess.Popen(build_command(ROOT, target), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        lines = []
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                self.say(line.rstrip("\n"))
            ok = process.wait() == 0
        except BaseException:  # stopped mid-build: the build goes too (its folder with the others, on exit)
            process.kill()
            process.wait()
            raise
        with self.changed:
            old = self.site
            if ok:
                self.site, self.problems = target, None
            else:
                self.problems = [ANSI.sub("", line) for line in lines if not re.match(r"(\x1b\[[0-9;]*m)?INFO", line)]
                _remove_build(target)
            self.epoch += 1
            self.changed.notify_all()
        if ok and old is not None:
            _remove_build(old)
        took = time.monotonic() - started
        self.say(f"Preview updated ({took:.1f} s): {self.url}" if ok else
                 f"The build failed ({took:.1f} s); pages at {self.url} show why until the edit is fixed.")
        return ok

    # --- watching -------------------------------------------------------------------------------

    def watched(self, path: str) -> str | None:
        """The project-relative name of `path` when a change to it may call for a build: a watched file
        that is neither generated, hidden nor temporary."""
        try:
            relative = Path(path).resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return None
        if IGNORED.search(relative) or not relative.startswith(WATCHED):
            return None
        return relative

    def changed_since_last_look(self, names: set[str]) -> list[str]:
        """Which of `names` differ in content from the last look (a deleted file counts). Looked at once
        the files are quiet: a file truncated and rewritten with the same text is no change."""
        changed = []
        for name in sorted(names):
            path = ROOT / name
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
            except OSError:
                digest = "absent"
            if self._hashes.get(name, "absent") != digest:
                changed.append(name)
            self._hashes[name] = digest
        return changed

    def remember(self) -> None:
        """Record the content of every watched file, so that a rewrite with the same text is no change."""
        names = set()
        for name in WATCHED:
            base = ROOT / name
            for path in [base] if base.is_file() else base.rglob("*"):
                if path.is_file() and self.watched(str(path)):
                    names.add(path.relative_to(ROOT).as_posix())
        self.changed_since_last_look(names)

    def watch(self) -> Any:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        preview = self

        class Changes(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    name = path and preview.watched(os.fsdecode(path))
                    if name:
                        with preview.lock:
                            preview._dirty.add(name)
                        preview._pending.set()

        observer = Observer()
        for name in WATCHED:
            path = ROOT / name
            observer.schedule(Changes(), str(path if path.is_dir() else ROOT), recursive=path.is_dir())
        observer.start()
        return observer

    def build_loop(self) -> None:
        while True:
            self._pending.wait()
            while True:  # a burst of saves is one build: wait until the files are quiet
                self._pending.clear()
                time.sleep(QUIET)
                if not self._pending.is_set():
                    break
            with self.lock:
                dirty, self._dirty = self._dirty, set()
            changed = self.changed_since_last_look(dirty)
            if changed:
                self.say(f"Changed: {', '.join(changed)}; rebuilding…")
                self.build()

    # --- serving --------------------------------------------------------------------------------

    def wait_for_newer(self, since: str, timeout: float = 25) -> int:
        with self.changed:
            self.changed.wait_for(lambda: str(self.epoch) != since, timeout=timeout)
            return self.epoch

    def error_page(self) -> bytes:
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.problems or [] if line.strip())
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed · preview</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem">
<h1>The site did not build / 站点构建失败</h1>
<p>Fix the edit below and save: this page reloads by itself when the site builds again.
修改下面指出的问题并保存，站点重新构建成功后本页会自动刷新。</p>
<ul style="line-height: 1.6">{items}</ul>
</body></html>""".encode()


def inject(content: bytes, epoch: int) -> bytes:
    """The page with the reload script before </body> (a same-origin file: the CSP allows it)."""
    end = content.rfind(b"</body>")
    end = len(content) if end < 0 else end
    tag = f'<script src="{SCRIPT_PATH}" data-epoch="{epoch}"></script>'.encode()
    return content[:end] + tag + content[end:]


class PreviewHandler(Handler):
    """The site's static handler (CSP, types), serving the newest good build, or the build's problems."""

    preview: Preview

    def translate_path(self, path: str) -> str:
        self.directory = str(self.preview.site or PREVIEW_BUILD)
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        path = self.path.split("?", 1)[0]
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript", RELOAD_SCRIPT)
        if path == EPOCH_PATH:
            since = re.search(r"since=(\d+)", self.path)
            epoch = self.preview.wait_for_newer(since.group(1) if since else "")
            return self._send(200, "text/plain", str(epoch).encode())
        local = Path(self.translate_path(self.path))
        page = local / "index.html" if local.is_dir() else local
        wants_page = path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]
        if self.preview.problems is not None and wants_page:
            return self._send(500, "text/html; charset=utf-8", inject(self.preview.error_page(), self.preview.epoch))
        if page.suffix == ".html" and page.is_file():
            if local.is_dir() and not path.endswith("/"):
                return super().do_GET()  # the directory redirect
            return self._send(200, "text/html; charset=utf-8", inject(page.read_bytes(), self.preview.epoch))
        return super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _stopped(signum: int, frame: Any) -> None:  # noqa: ARG001
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dev.preview", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stopped)  # stopped by a service manager or a test: clean up as on Ctrl-C
    preview = Preview(args.port)
    handler = type("Bound", (PreviewHandler,), {"preview": preview})
    try:
        server = QuietServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        print(f"Cannot serve on port {args.port}: {error.strerror}. Another server may be using it: stop it, "
              f"or choose another port (make serve PORT={args.port + 1}).", file=sys.stderr)
        return 2
    server.daemon_threads = True
    server.verbose = False  # type: ignore[attr-defined]
    preview.remember()
    observer = preview.watch()
    preview.say("Building the site…")
    preview.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    preview.say(f"Serving on {preview.url} (live preview; Ctrl+C to stop)")
    try:
        preview.build_loop()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
        preview.remove_builds()
        # the package's site address back to the checkout's default (as `make policy` writes it): the
        # command line's clause links must not lead to this stopped preview
        write_site_address()
    return 0


if __name__ == "__main__":
    sys.exit(main())
