"""The site's static server, with the CSP and headers of scripts/assets/host_config.py.

As `make serve-static`, the live preview, the tests and the benchmark serve the site."""

from __future__ import annotations

import email.utils
import functools
import http.server
import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from scripts.assets.host_config import HEADERS, IMMUTABLE, IMMUTABLE_CACHE, LANGUAGE_FOLDERS, TYPES

PRECOMPRESSED = ((".br", "br"), (".gz", "gzip"))  # made by scripts/assets/precompress.py; preferred first


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the CSP, correct types for wasm and modules, cache headers, and the
    precompressed .br/.gz beside a file sent in its place when the request accepts that encoding;
    ranges, ETags and conditional requests as nginx and Caddy answer them (tests/test_hosts.py)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self) -> None:
        for name, value in HEADERS.items():
            self.send_header(name, value)
        path = self.path.split("?", 1)[0]
        if any(part in path for part in IMMUTABLE):
            self.send_header("Cache-Control", IMMUTABLE_CACHE)
        else:
            self.send_header("Cache-Control", "no-cache")
        if getattr(self, "has_variants", False):
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    # --- precompressed files: path.br / path.gz beside the file, sent when the request accepts them

    def accepted_encodings(self) -> set[str]:
        accepted = set()
        for item in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = item.strip().partition(";")
            if name and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
                accepted.add(name.lower())
        return accepted

    def send_head(self):  # noqa: ANN201
        """As nginx and Caddy answer: the precompressed file in place of the file when accepted, an ETag
        and Last-Modified, 304 to a matching If-None-Match (or If-Modified-Since), and a single
        `Range` (checked against If-Range) of a file sent as it is (a compressed one goes whole, as nginx does)."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address with its slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # the 404
        variants = [(suffix, encoding) for suffix, encoding in PRECOMPRESSED if os.path.isfile(path + suffix)]
        self.has_variants = bool(variants)
        accepted = self.accepted_encodings()
        sent, encoding = path, None
        for suffix, name in variants:
            if name in accepted:
                sent, encoding = path + suffix, name
                break
        stat = os.stat(sent)
        etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
        modified = self.date_time_string(int(os.stat(path).st_mtime))
        if self._not_modified(etag, int(os.stat(path).st_mtime)):
            self.send_response(http.HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return None
        body = open(sent, "rb")  # noqa: SIM115 (the caller copies and closes it)
        status, length, content_range = http.HTTPStatus.OK, stat.st_size, None
        # nginx sends a compressed file whole whatever the Range (gzip_static and brotli_static alike),
        # and a range of the file itself
        wanted = self._range(stat.st_size, etag, modified) if encoding is None else None
        if wanted == "unsatisfiable":
            body.close()
            self.send_response(http.HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{stat.st_size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if wanted:
            first, last = wanted
            body.seek(first)
            part = io.BytesIO(body.read(last - first + 1))
            body.close()
            body, status, length = part, http.HTTPStatus.PARTIAL_CONTENT, last - first + 1
            content_range = f"bytes {first}-{last}/{stat.st_size}"
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(path))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(length))
        if content_range:
            self.send_header("Content-Range", content_range)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        return body

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file gets the site's 404 page, as the hosts' configurations send it for a site at
        the server's root: a further language's own (en/404.html) for that language's addresses, else
        the root's; Python's own error page when the served folder has no 404 page (a site in a sub-folder)."""
        page = self._not_found_page() if code == http.HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.has_variants = False
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        first = self.path.split("?", 1)[0].lstrip("/").split("/", 1)[0]
        for folder in ((first,) if first in LANGUAGE_FOLDERS else ()) + ("",):
            page = Path(self.directory, folder, "404.html")
            if page.is_file():
                return page
        return None

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return match.strip() == "*" or etag in [tag.strip().removeprefix("W/") for tag in match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return email.utils.parsedate_to_datetime(since).timestamp() >= mtime
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False

    def _range(self, size: int, etag: str, modified: str) -> tuple[int, int] | str | None:
        """The one byte range asked for (first, last), "unsatisfiable", or None for the whole file
        (no Range, several ranges, or an If-Range the file no longer matches)."""
        asked = self.headers.get("Range", "")
        condition = self.headers.get("If-Range")
        if not asked.startswith("bytes=") or "," in asked or (condition and condition not in (etag, modified)):
            return None
        start, _, end = asked.removeprefix("bytes=").strip().partition("-")
        try:
            if not start:
                first, last = max(0, size - int(end)), size - 1
            else:
                first, last = int(start), min(int(end), size - 1) if end else size - 1
        except ValueError:
            return None
        return "unsatisfiable" if first >= size or first > last else (first, last)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class QuietServer(http.server.ThreadingHTTPServer):
    """A closed tab drops its waiting request: that is no error worth a traceback in the terminal."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def static_server(directory: Path, port: int = 0, handler: type[Handler] = Handler,
                  verbose: bool = False) -> QuietServer:
    """`directory` as `make serve-static` serves it, on 127.0.0.1:`port` (0: a free port); not started."""
    server = QuietServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


@contextmanager
def in_background(server: http.server.HTTPServer) -> Iterator[str]:
    """Run `server` in a thread for the duration of the block; yields its base URL (ending in /)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serving(directory: Path, handler: type[Handler] = Handler) -> AbstractContextManager[str]:
    """`directory` served as `make serve-static` does, on a free port, while the block runs: the
    one static server of the tests and the benchmark. Yields the base URL, ending in /."""
    return in_background(static_server(directory, handler=handler))
