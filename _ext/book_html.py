"""Small fixes to the HTML that jupyter-book 1.x writes.

- Inline scripts of sphinx-thebe and sphinx-togglebutton are registered twice in this
  stack, so every page declared ``const THEBE_JS_URL`` twice: a JavaScript error on every
  page. Keep the first copy of each script.
- When the build executes a notebook itself, nbclient stores the widgets' state and
  myst-nb embeds it in the page. The book loads no widget manager (its sliders are the
  kernel-free HTML of helpers.widgets), so that state is dead weight: drop it.
- pydata-sphinx-theme 0.17 renders a header of its own, with a second pair of sidebar
  toggles, which sphinx-book-theme hides. Both themes' scripts bind the *first*
  ``.primary-toggle`` and ``.secondary-toggle`` in the page, the hidden ones, so the
  visible menu buttons did nothing (pydata/pydata-sphinx-theme#2451,
  executablebooks/sphinx-book-theme#1000). With no navbar items the theme renders no
  such header; the article header keeps its toggles and search button.
- Without JavaScript the equations show as TeX source and the sliders stay on their
  first figure: a ``<noscript>`` line at the top of every page says so.
- While ``repository.url`` in ``_config.yml`` is still the placeholder, every launch,
  repository and issues button points at a repository that does not exist: the build
  says so at its start (as a notice, so that ``-W`` builds still pass).
"""

from __future__ import annotations

from sphinx.util import logging
from sphinx.util.console import bold, red

logger = logging.getLogger(__name__)
PLACEHOLDER_REPOSITORY = "https://github.com/pydl-book/pydl-book"

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
NOSCRIPT = (
    '<noscript><p class="noscript-note" style="border: 2px solid #c0392b; '
    'padding: 0.5em 1em"><strong>This page needs JavaScript</strong> '
    "for its equations, which otherwise show as TeX source, and for its sliders, "
    "which otherwise stay on their first figure.</p></noscript>\n"
)


def clean_scripts(app, pagename, templatename, context, doctree) -> None:
    seen: set[str] = set()
    unique = []
    for script in context.get("script_files", []):
        # the copies differ in how "no file" is spelt (None or ""): compare name and body
        key = repr((script.filename or "", sorted(script.attributes.items())))
        if key not in seen and script.attributes.get("type") != WIDGET_STATE:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def noscript_note(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = NOSCRIPT + context["body"]


NAVBAR_OPTIONS = ("navbar_start", "navbar_center", "navbar_end", "navbar_persistent")


def no_theme_header(app, config) -> None:
    options = dict(config.html_theme_options or {})
    options.update(dict.fromkeys(NAVBAR_OPTIONS, []))
    config.html_theme_options = options


def placeholder_notice(repository_url: str) -> str | None:
    """What the build prints while ``repository_url`` is the placeholder, else None."""
    if not isinstance(repository_url, str):
        raise TypeError(f"repository_url must be a str, not {type(repository_url).__name__}")
    if repository_url.rstrip("/") != PLACEHOLDER_REPOSITORY:
        return None
    return (
        f"repository.url in _config.yml is still the placeholder {PLACEHOLDER_REPOSITORY}: "
        "the Colab, Binder, repository and issues buttons and every notebook's Colab cell "
        "point at a repository that does not exist. Set it to the book's repository (one "
        "line) and run `python tools/colab_cell.py` (README: Publish the book)."
    )


def warn_placeholder(app) -> None:
    notice = placeholder_notice(app.config.html_theme_options.get("repository_url", ""))
    if notice:
        logger.info(bold(red(f"NOTICE: {notice}")))


def setup(app):
    app.connect("config-inited", no_theme_header)
    app.connect("builder-inited", warn_placeholder)
    app.connect("html-page-context", clean_scripts, priority=900)
    app.connect("html-page-context", noscript_note)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
