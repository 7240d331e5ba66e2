"""The site's security headers and file types in one place, and host configurations made from them.

    python -m scripts.assets.host_config [SITE_DIR]   (for SITE_URL's path)

`make serve-static` and `make serve` send HEADERS and TYPES; every page carries the same policy as a
<meta http-equiv="Content-Security-Policy"> (less frame-ancestors, which only a header can set), so
the site protects itself on any host. For hosts that read them, the build writes `site/_headers`
(Netlify, Cloudflare Pages), `build/host/nginx.conf` (an nginx snippet for the server block) and
`build/host/Caddyfile`, both written for the path of the site's address (SITE_URL).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["CSP", "HEADERS", "TYPES", "LANGUAGE_FOLDERS", "IMMUTABLE", "IMMUTABLE_CACHE", "meta_csp", "headers_file",
           "nginx_conf", "caddyfile", "host_dir", "base_path", "write"]

from calculators.messages import LANGUAGES
from scripts.paths import BUILD, ROOT, write_if_changed

NGINX_FILE = BUILD / "host" / "nginx.conf"
CADDY_FILE = BUILD / "host" / "Caddyfile"

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
LANGUAGE_FOLDERS = LANGUAGES[1:]  # the further languages' folders, each with its own 404.html (hooks/build.py)
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
    lines = ["# Made by scripts/assets/host_config.py at build time; hosts such as Netlify and Cloudflare Pages",
             "# read it from the site's root. The same headers as `make serve-static` sends.", "/*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS.items()]
    for prefix in IMMUTABLE:
        lines += [f"{prefix}*", f"  Cache-Control: {IMMUTABLE_CACHE}"]
    for path, kind in _typed_files(site_dir):
        lines += [path, f"  Content-Type: {kind}"]
    return "\n".join(lines) + "\n"


def host_dir(site_dir: Path) -> Path:
    """Where the host configurations of the build into `site_dir` go: build/host/ for site/ (the
    publish build), else a folder beside the site folder (the tests' build never touches build/host/)."""
    site_dir = Path(site_dir).resolve()
    if site_dir == (ROOT / "site").resolve():
        return NGINX_FILE.parent
    return site_dir.parent / f"{site_dir.name}-host"


def base_path(site_url: str = "/") -> str:
    """The path part of the site's address (SITE_URL), beginning and ending in /: "/", "/guide/"."""
    path = urlsplit(site_url).path or "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def nginx_conf(base: str = "/") -> str:
    """An nginx snippet for the server { } block, for the site at path `base` of the host."""
    base = base_path(base)
    headers = [f"add_header {name} \"{value}\" always;" for name, value in HEADERS.items()]

    def block(cache: str) -> str:
        return "\n".join(f"    {line}" for line in [*headers, f'add_header Cache-Control "{cache}" always;'])

    where = ("`root /path/to/site;`" if base == "/" else
             f"`root /srv/www;` with the built site/ copied to /srv/www{base.rstrip('/')}/")
    parts = [f"# Made by scripts/assets/host_config.py for a site at {base} (SITE_URL's path). Include it inside the",
             "# server { } block, after `include mime.types;` (nginx 1.21+: it types .wasm as application/wasm),",
             f"# with {where}.",
             "# The same headers as `make serve-static`; add_header in a location replaces the server's,",
             "# so each location repeats them.",
             "types { text/javascript mjs; }  # modules load only with a JavaScript type; mime.types lacks .mjs",
             "# the .gz files the build writes beside each file, with Vary: Accept-Encoding; with the brotli_static",
             "# module (Debian: libnginx-mod-http-brotli-static) also add `brotli_static on;` for the .br files",
             "gzip_static on;",
             "gzip_vary on;",
             "# a missing page gets the 404 page of its language (en/404.html under en/); one error_page at the",
             "# server's level, so that the server's own error pages (50x) apply everywhere",
             "error_page 404 @site_404;",
             "location @site_404 {",
             *[f"    rewrite ^{base}{lang}/ {base}{lang}/404.html break;" for lang in LANGUAGE_FOLDERS],
             f"    rewrite ^ {base}404.html break;", block("no-cache"), "}",
             f"location {base} {{", block("no-cache"), "}"]
    for prefix in IMMUTABLE:
        parts += [f"location ^~ {base}{prefix.lstrip('/')} {{", block(IMMUTABLE_CACHE), "}"]
    return "\n".join(parts) + "\n"


def caddyfile(base: str = "/") -> str:
    """A whole Caddyfile serving the site at path `base`: SITE_ROOT names the built site/ folder,
    SITE_ADDRESS the address (default :8080), both read from the environment when Caddy starts."""
    base = base_path(base)
    quoted = [f'{name} "{value}"' for name, value in HEADERS.items()]
    versioned = " ".join(f"{base}{prefix.lstrip('/')}*" for prefix in IMMUTABLE)
    lines = [f"# Made by scripts/assets/host_config.py for a site at {base} (SITE_URL's path):",
             "#   SITE_ROOT=/path/to/site SITE_ADDRESS=example.com caddy run --config Caddyfile --adapter caddyfile",
             "# The same headers as `make serve-static`; the .br and .gz files the build writes are sent in",
             "# place of each file (with Vary: Accept-Encoding). Caddy types .wasm and .mjs as browsers require.",
             "{$SITE_ADDRESS::8080} {",
             "\theader {", *[f"\t\t{line}" for line in quoted], "\t}",
             f"\t@versioned path {versioned}",
             f'\theader @versioned Cache-Control "{IMMUTABLE_CACHE}"',
             "\t@mutable not path " + versioned,
             '\theader @mutable Cache-Control "no-cache"']
    if base != "/":
        lines += [f"\tredir {base.rstrip('/')} {base} 308"]
    lines += [f"\thandle_path {base}* {{", "\t\troot * {$SITE_ROOT}",
              "\t\tfile_server {", "\t\t\tprecompressed br gzip", "\t\t}", "\t}",
              "\thandle_errors {",
              "\t\troot * {$SITE_ROOT}",
              *[f"\t\trewrite {base}{lang}/* /{lang}/404.html" for lang in LANGUAGE_FOLDERS],
              "\t\trewrite * /404.html",
              "\t\tfile_server",
              "\t}", "}"]
    return "\n".join(lines) + "\n"


def write(site_dir: Path, site_url: str = "/", folder: Path | None = None) -> list[Path]:
    """Write `_headers` into the built site, and the nginx snippet and the Caddyfile for a site at
    `site_url`'s path into `folder` (default host_dir(site_dir))."""
    folder = folder or host_dir(site_dir)
    headers = site_dir / "_headers"
    write_if_changed(headers, headers_file(site_dir))
    write_if_changed(folder / NGINX_FILE.name, nginx_conf(site_url))
    write_if_changed(folder / CADDY_FILE.name, caddyfile(site_url))
    return [headers, folder / NGINX_FILE.name, folder / CADDY_FILE.name]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from scripts.policy.site_url import site_url

    for path in write(Path(args[0]) if args else ROOT / "site", site_url()):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
