"""The site's security headers and file types in one place, and host configurations made from them.

    python -m scripts.host_config [SITE_DIR]

`make serve-static` and `make serve` send HEADERS and TYPES; every page carries the same policy as a
<meta http-equiv="Content-Security-Policy"> (less frame-ancestors, which only a header can set), so
the site protects itself on any host. For hosts that read them, the build writes `site/_headers`
(Netlify, Cloudflare Pages) and `build/host/nginx.conf` (an nginx snippet for the server block).
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["CSP", "HEADERS", "TYPES", "IMMUTABLE", "IMMUTABLE_CACHE", "meta_csp", "headers_file", "nginx_conf",
           "write"]

from .paths import BUILD, ROOT, write_if_changed

NGINX_FILE = BUILD / "host" / "nginx.conf"

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Types browsers insist on: WebAssembly streams only as application/wasm, modules load only with a
# JavaScript type. Most hosts know .js and .json; many do not know .mjs or .wasm.
TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".whl": "application/zip", ".json": "application/json", ".zip": "application/zip"}
IMMUTABLE = ("/pyodide/", "/wheels/")  # runtime files and wheels have versioned or hashed names
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


def meta_csp() -> str:
    """The policy for a <meta> tag: the same, less frame-ancestors (ignored there, with a warning)."""
    return "; ".join(part.strip() for part in CSP.split(";") if not part.strip().startswith("frame-ancestors"))


def _typed_files(site_dir: Path) -> list[tuple[str, str]]:
    """Each file of the site whose type hosts often get wrong (.wasm, .mjs), with its type."""
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.suffix in (".wasm", ".mjs"):
            found.append(("/" + path.relative_to(site_dir).as_posix(), TYPES[path.suffix]))
    return found


def headers_file(site_dir: Path) -> str:
    """`_headers` (Netlify, Cloudflare Pages): the security headers everywhere, long caching for the
    runtime and wheels, and the type of each .wasm and .mjs file by its path."""
    lines = ["# Made by scripts/host_config.py at build time; hosts such as Netlify and Cloudflare Pages",
             "# read it from the site's root. The same headers as `make serve-static` sends.", "/*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS.items()]
    for prefix in IMMUTABLE:
        lines += [f"{prefix}*", f"  Cache-Control: {IMMUTABLE_CACHE}"]
    for path, kind in _typed_files(site_dir):
        lines += [path, f"  Content-Type: {kind}"]
    return "\n".join(lines) + "\n"


def nginx_conf() -> str:
    """An nginx snippet for the server { } block whose root is site/."""
    headers = [f"add_header {name} \"{value}\" always;" for name, value in HEADERS.items()]
    types = " ".join(f"{kind} {ext[1:]};" for ext, kind in TYPES.items() if ext in (".wasm", ".mjs"))

    def block(cache: str) -> str:
        return "\n".join(f"    {line}" for line in [*headers, f'add_header Cache-Control "{cache}" always;'])

    parts = ["# Made by scripts/host_config.py. Include it inside the server { } block that serves site/,",
             "# after `include mime.types;` (root /path/to/site;). The same headers as `make serve-static`.",
             f"types {{ {types} }}",
             "# the .gz (and, with the ngx_brotli module, .br) files the build writes beside each file",
             "gzip_static on;",
             "# brotli_static on;",
             "location / {", block("no-cache"), "}"]
    for prefix in IMMUTABLE:
        parts += [f"location ^~ {prefix} {{", block(IMMUTABLE_CACHE), "}"]
    return "\n".join(parts) + "\n"


def write(site_dir: Path, nginx_file: Path = NGINX_FILE) -> list[Path]:
    """Write `_headers` into the built site and the nginx snippet beside it in build/host/."""
    headers = site_dir / "_headers"
    write_if_changed(headers, headers_file(site_dir))
    write_if_changed(nginx_file, nginx_conf())
    return [headers, nginx_file]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in write(Path(args[0]) if args else ROOT / "site"):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
