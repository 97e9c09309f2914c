"""Small fixes to the HTML that jupyter-book 1.x writes.

- Inline scripts of sphinx-thebe and sphinx-togglebutton are registered twice in this
  stack, so every page declared ``const THEBE_JS_URL`` twice: a JavaScript error on every
  page. Keep the first copy of each script.
- When the build executes a notebook itself, nbclient stores the widgets' state and
  myst-nb embeds it in the page. The book loads no widget manager (its sliders are the
  kernel-free HTML of helpers.widgets), so that state is dead weight: drop it.
"""

from __future__ import annotations

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


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


def setup(app):
    app.connect("html-page-context", clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
