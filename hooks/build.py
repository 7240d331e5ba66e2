"""MkDocs hook: before each build, compile the policy and generate its fragments; after, publish data.

The work is done by scripts/ (the same code `make site` runs); this file only calls it, so that
`mkdocs serve` regenerates the pages when a file under policy/ changes. MkDocs treats every
function here whose name starts with on_ as an event.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHECKOUT = str(Path(__file__).resolve().parent.parent)  # MkDocs loads hooks by path: scripts/ is imported from here
if CHECKOUT not in sys.path:
    sys.path.insert(0, CHECKOUT)

from mkdocs.exceptions import PluginError  # noqa: E402

from calculators.messages import LANGUAGES, word  # noqa: E402
from scripts.assets import host_config, site_assets  # noqa: E402
from scripts.pages import runtime_start, search_index  # noqa: E402
from scripts.pages.gen_pages import SNIPPETS  # noqa: E402
from scripts.pages.page_words import WORDS_FILE, substitute  # noqa: E402
from scripts.policy.compile_policy import problems_text  # noqa: E402
from scripts.policy.policy_load import PolicyError  # noqa: E402


def on_config(config, **kwargs):  # noqa: ANN001, ARG001
    # The fragments live in the build folder of this build (build/, or the preview's own).
    config["mdx_configs"].setdefault("pymdownx.snippets", {})["base_path"] = [str(SNIPPETS)]
    # every page carries the site's CSP as a <meta> tag (overrides/main.html): safe on any host
    config["extra"]["csp_meta"] = host_config.meta_csp()
    # what a page opened as a file says at the top, in its language (docs/assets/js/calc-loader.js)
    config["extra"]["file_banner"] = {lang: word("file_banner", lang) for lang in LANGUAGES}
    # the theme's search worker, whose name carries its content hash (overrides/main.html's config)
    try:
        config["extra"]["search_worker"] = search_index.search_worker(config["theme"].dirs)
    except ValueError as error:
        raise PluginError(str(error)) from None
    return config


def _is_default_language(config) -> bool:  # noqa: ANN001
    """The i18n plugin runs one build per language; the default language's comes first."""
    default = next(lang for lang in config["plugins"]["i18n"].config.languages if lang.default)
    return config["theme"]["language"] == default.locale


def on_pre_build(config, **kwargs):  # noqa: ANN001, ARG001
    if not _is_default_language(config):
        return  # the fragments of every language, the policy and the wheels are already made
    try:
        site_assets.prepare(config["site_url"])
    except PolicyError as error:
        raise PluginError(problems_text(error)) from None


def on_template_context(context, template_name, config, **kwargs):  # noqa: ANN001, ARG001
    # The 404 page, in the language of this build: its words, a link to that language's home, and a
    # language menu that leads to each language's home (the i18n plugin leaves the last page's there).
    if template_name == "404.html":
        lang = config["theme"]["language"]
        base = host_config.base_path(config["site_url"] or "/")
        roots = [{"name": language.name, "lang": language.locale,
                  "link": base if language.default else f"{base}{language.locale}/"}
                 for language in config["plugins"]["i18n"].config.languages if language.build]
        home = next(root["link"] for root in roots if root["lang"] == lang)
        context["not_found"] = {"title": word("not_found_title", lang), "text": word("not_found_text", lang),
                                "home": home, "home_text": word("not_found_home", lang)}
        # the plugin keeps a page's menu as an attribute of `extra` (which templates read first), its
        # first value as an item
        config["extra"]["alternate"] = roots
        config["extra"].alternate = roots
    return context


_DEFAULT_404: list[bytes] = []  # the default language's 404 page, which each further build writes over


def on_post_build(config, **kwargs):  # noqa: ANN001, ARG001
    # Further languages build into sub-folders; data, runtime and wheels belong at the site's root.
    site = Path(config["site_dir"])
    if _is_default_language(config):
        site_assets.publish(site)
        host_config.write(site, config["site_url"] or "/")
        _BUILT.append(site)
        _DEFAULT_404[:] = [(site / "404.html").read_bytes()]
    elif _DEFAULT_404:
        # each language's 404 page in its own folder (the hosts' configurations send it for its pages)
        lang = config["theme"]["language"]
        (site / "404.html").replace(site / lang / "404.html")
        (site / "404.html").write_bytes(_DEFAULT_404[0])


_BUILT: list[Path] = []  # the site folder of each finished build


def on_shutdown(**kwargs):  # noqa: ARG001
    # The i18n plugin writes the search index of every language last, after its own post_build;
    # once all is written, split it: a reader searches the pages of their language. Then write
    # .gz and .br beside each compressible file of the whole site (cached by content).
    while _BUILT:
        site = _BUILT.pop()
        search_index.split(site)
        site_assets.precompress(site)


def on_page_markdown(markdown, page, config, **kwargs):  # noqa: ANN001, ARG001
    # {{ name }} in a hand-written page: a figure or phrase of the policy, in the page's language.
    words = json.loads((SNIPPETS / config["theme"]["language"] / WORDS_FILE).read_text(encoding="utf-8"))
    where = page.file.src_uri  # completed with the docs folder and the line by _located
    try:
        for key in ("description", "title"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = substitute(page.meta[key], words, where)
        return substitute(markdown, words, where)
    except KeyError as error:
        raise PluginError(_located(str(error.args[0]), page, config)) from None


def on_page_content(html, page, config, **kwargs):  # noqa: ANN001, ARG001
    # a page with calculators names their runtime files in its head (overrides/main.html), so that a
    # link with answers starts the runtime before the rest of the page has loaded
    page.meta["calc_runtime"] = runtime_start.runtime_files(html)
    return html


def _located(message: str, page, config) -> str:  # noqa: ANN001
    """The message about an unknown {{ name }}, with the page's path and the line where it stands."""
    source = Path(page.file.abs_src_path)
    shown = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
    token = message.split("unknown ", 1)[-1].split(";", 1)[0]
    lines = source.read_text(encoding="utf-8").splitlines()
    line = next((number for number, text in enumerate(lines, 1) if token in text), 0)
    where = f"{shown}:{line}" if line else shown
    return where + message[len(page.file.src_uri):]
