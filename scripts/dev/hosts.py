"""Real web servers for the tests and the benchmark: Debian's nginx and Caddy serving a built site with
the configurations the build writes (scripts/assets/host_config.py), on a free port of 127.0.0.1.

    with nginx(site_dir, "/guide/") as host:   # or caddy(...)
        host.url            # http://127.0.0.1:PORT/guide/
        host.sent()         # [(request line, status, body bytes, bytes on the wire, range), ...] so far

nginx runs in the foreground of its own process with its pid, logs and temporary files under a
temporary folder, `include mime.types`, the brotli_static module and the generated snippet; its access
log records every response's bytes. Caddy runs the generated Caddyfile with its admin API off; its
JSON access log gives the same records. Installed by scripts/dev/install-hosts.sh (`make test` does).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scripts.assets.host_config import base_path, caddyfile, nginx_conf

__all__ = ["Host", "Sent", "caddy", "missing", "nginx"]

NGINX = "/usr/sbin/nginx"
CADDY = "/usr/bin/caddy"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
MIME_TYPES = "/etc/nginx/mime.types"
INSTALL = "run scripts/dev/install-hosts.sh (as root; `make test` does) to install Debian's nginx and caddy"


@dataclass(frozen=True)
class Sent:
    """One response as the host logged it."""

    method: str
    path: str
    status: int
    body: int  # bytes of the body sent
    wire: int  # bytes sent in all (headers too)
    range: str  # the request's Range header, "" if none


@dataclass
class Host:
    name: str
    url: str
    log: Path
    process: subprocess.Popen[bytes]
    read: int = field(default=0)

    def sent(self) -> list[Sent]:
        """Every response logged so far."""
        text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
        return [record for line in text.splitlines() if line.strip() and (record := _parse(self.name, line))]

    def since(self) -> list[Sent]:
        """The responses logged since the last call (a phase of a visit)."""
        records = self.sent()
        new, self.read = records[self.read:], len(records)
        return new


def _parse(name: str, line: str) -> Sent | None:
    if name == "nginx":
        fields = line.split("\t")
        method, _, rest = fields[0].partition(" ")
        return Sent(method, rest.rsplit(" ", 1)[0], int(fields[1]), int(fields[2]), int(fields[3]),
                    "" if fields[4] == "-" else fields[4])
    entry = json.loads(line)
    if entry.get("msg") != "handled request":
        return None
    request = entry["request"]
    headers = request.get("headers", {})
    body = int(entry.get("size", 0))
    head = sum(len(k) + len(v) + 4 for k, values in entry.get("resp_headers", {}).items() for v in values) + 17
    return Sent(request["method"], request["uri"], int(entry["status"]), body, body + head,
                ", ".join(headers.get("Range", [])))


def missing() -> str | None:
    """Why the hosts cannot run here, or None."""
    absent = [path for path in (NGINX, CADDY, BROTLI_MODULE, MIME_TYPES) if not Path(path).exists()]
    return f"missing {', '.join(absent)}: {INSTALL}" if absent else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], errors: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"the host stopped: {errors.read_text(encoding='utf-8', errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the host did not answer at {url}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _www(site: Path, base: str, work: Path) -> Path:
    """A document root holding `site` at the path `base` (a link, nothing copied)."""
    if base == "/":
        return site.resolve()
    www = work / "www"
    target = www / base.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(site.resolve(), target_is_directory=True)
    return www


NGINX_LOG_FORMAT = "log_format bytes '$request\\t$status\\t$body_bytes_sent\\t$bytes_sent\\t$http_range';"


@contextmanager
def nginx(site: Path, base: str = "/", brotli: bool = True, untyped: tuple[str, ...] = ()) -> Iterator[Host]:
    """nginx serving the built `site` at path `base` of 127.0.0.1:<free port>, as the README says to
    configure it (the generated snippet, after `include mime.types;`; brotli_static on with `brotli`).
    `untyped`: extensions left out of mime.types (an older nginx's, that does not know .wasm)."""
    base = base_path(base)
    work = Path(tempfile.mkdtemp(prefix="nginx-"))
    try:
        port = free_port()
        root = _www(site, base, work)
        (work / "logs").mkdir()
        (work / "host.conf").write_text(nginx_conf(base), encoding="utf-8")
        types = Path(MIME_TYPES).read_text(encoding="utf-8")
        for extension in untyped:
            types = re.sub(rf"^(\s*\S+\s+){re.escape(extension)};\n", "", types, flags=re.M)
        (work / "mime.types").write_text(types, encoding="utf-8")
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = f"""{user}{f"load_module {BROTLI_MODULE};" if brotli else ""}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    {NGINX_LOG_FORMAT}
    access_log {work}/logs/access.log bytes;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        include {work}/mime.types;
        include {work}/host.conf;
        {"brotli_static on;" if brotli else ""}
    }}
}}
"""
        (work / "nginx.conf").write_text(conf, encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(work / "nginx.conf")],
                               capture_output=True, text=True, timeout=30)
        if check.returncode != 0 or "[warn]" in check.stderr or "[emerg]" in check.stderr:
            raise RuntimeError(f"nginx -t: {check.stderr}")
        process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with _running("nginx", f"http://127.0.0.1:{port}{base}", work / "logs" / "access.log", process,
                      work / "logs" / "error.log") as host:
            yield host
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def _running(kind: str, url: str, access_log: Path, process: subprocess.Popen, errors: Path) -> Iterator[Host]:
    """A started server as a Host once it answers at `url` (its access log read from now on); stopped after."""
    try:
        _wait_until_up(url, process, errors)
        host = Host(kind, url, access_log, process)
        host.since()
        yield host
    finally:
        _stop(process)


@contextmanager
def caddy(site: Path, base: str = "/") -> Iterator[Host]:
    """Caddy serving the built `site` at path `base` of 127.0.0.1:<free port> with the generated
    Caddyfile (its admin API off, its state under a temporary folder, a JSON access log)."""
    base = base_path(base)
    work = Path(tempfile.mkdtemp(prefix="caddy-"))
    try:
        port = free_port()
        log = work / "access.log"
        generated = caddyfile(base)
        # the test's own additions: no admin API (port 2019) and an access log of every response
        config = "{\n\tadmin off\n}\n" + generated.replace(
            "{$SITE_ADDRESS::8080} {\n", f"{{$SITE_ADDRESS::8080}} {{\n\tlog {{\n\t\toutput file {log}\n\t}}\n", 1)
        (work / "Caddyfile").write_text(config, encoding="utf-8")
        env = {**os.environ, "HOME": str(work), "XDG_DATA_HOME": str(work / "data"),
               "XDG_CONFIG_HOME": str(work / "config"), "SITE_ROOT": str(site.resolve()),
               "SITE_ADDRESS": f"http://127.0.0.1:{port}"}
        errors = work / "caddy.err"
        with errors.open("wb") as stderr:
            process = subprocess.Popen([CADDY, "run", "--config", str(work / "Caddyfile"), "--adapter", "caddyfile"],
                                       stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=work)
        with _running("caddy", f"http://127.0.0.1:{port}{base}", log, process, errors) as host:
            yield host
    finally:
        shutil.rmtree(work, ignore_errors=True)
