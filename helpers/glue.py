"""Numbers from a run, placed in the prose: ``glue`` a value, cite it in Markdown.

In a code cell::

    glue("test_acc", test_acc)

and in the Markdown around it (Jupyter Book)::

    The network reaches {glue:text}`test_acc:.3f` on the test set.

This is myst-nb's ``glue`` (``myst_nb.glue(name, value, display=False)``), written out so
that a notebook also runs where myst-nb is not installed (Colab): it emits the same
hidden display output, which the book build reads and a notebook front-end ignores. A
number glued from the run can never disagree with the output it came from, whatever the
seed or the machine.
"""

from __future__ import annotations

import re
from typing import Any

PREFIX = "application/papermill.record/"  # the MIME prefix myst-nb reads glued values from
_NAME = re.compile(r"[A-Za-z_][\w\-]*")


def glue(name: str, value: Any) -> None:
    """Store ``value``'s display form under ``name`` for ``{glue:text}`name``` in the prose.

    Parameters
    ----------
    name : str
        A key unique within the book's page: letters, digits, ``_`` and ``-``.
    value : object
        What to glue; numbers keep their type, so the prose can format them
        (``{glue:text}`name:.2f```).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not _NAME.fullmatch(name):
        raise ValueError(f"name must be letters, digits, '_' or '-', got {name!r}")
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # a NumPy scalar: its repr, np.float64(...), is no number

    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": PREFIX}
    display({PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
