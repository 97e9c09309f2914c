"""Learning-rate explorers: a live slider in a kernel, precomputed frames in the HTML book.

One call, ``lr_explorer(run, draw, lrs)``, gives both. The object it returns displays as a
MIME bundle with two representations of the same explorer:

- ``application/vnd.jupyter.widget-view+json``: an ipywidgets slider whose every move
  re-runs ``run(lr)`` and redraws one figure in place. Jupyter, JupyterLab and Colab
  show this one when a kernel is running. Only widgets that ipywidgets 7 (Colab) and
  8 share are used: ``FloatLogSlider``, ``FloatSlider``, ``Output``, ``VBox``.
- ``text/html``: a self-contained ``<input type="range">`` over figures precomputed for
  each value in ``lrs``, labelled with the value. It needs no kernel, no network and no
  widget manager, so it works in the static HTML book, whose build prefers ``text/html``.

``explorers()`` lists the explorers made in this process, oldest first; the notebook tests
(tests/plugin_live_explorers.py) move each one's live slider through it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers._validate import check_float, check_int

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

Run = Callable[[float], Any]
Draw = Callable[[Figure, float, Any], None]


def _render_png(
    run: Run, draw: Draw, lr: float, *, figsize: tuple[float, float], dpi: int
) -> bytes:
    """Run training at ``lr``, draw the result on a new figure, return it as PNG bytes."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig, lr, run(lr))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=None, metadata={"Software": None})
    return buf.getvalue()


def static_slider_html(
    frames: Sequence[bytes],
    values: Sequence[float],
    *,
    index: int,
    label: str,
    fmt: str = "{:.3g}",
    dpi: int = 90,
) -> str:
    """An HTML slider over PNG ``frames``, one per value in ``values``; no kernel needed.

    The element ids derive from the frames' content, so the same figures give the same HTML.
    ``dpi`` is the frames' resolution: on a phone the book draws a frame at no less than
    72/dpi of its pixel size (``--min-scale``, _static/book.css), so a 9 pt label stays
    9 CSS px high.
    """
    if len(frames) != len(values) or not frames:
        raise ValueError("frames and values must be non-empty and of the same length")
    index = check_int("index", index, low=0, high=len(frames) - 1)
    min_scale = 72 / check_int("dpi", dpi, low=30, high=300)
    uid = "lrx-" + hashlib.sha1(b"".join(frames) + label.encode()).hexdigest()[:12]
    texts = [f"{label} = {fmt.format(v)}" for v in values]
    imgs = "\n".join(
        f'<img class="lrx-frame" alt="{html.escape(t)}" data-label="{html.escape(t)}" '
        f'style="max-width:100%;--min-scale:{min_scale:.3g};'
        f'display:{"block" if i == index else "none"}" '
        f'src="data:image/png;base64,{base64.b64encode(f).decode()}">'
        for i, (f, t) in enumerate(zip(frames, texts, strict=True))
    )
    data_values = json.dumps([float(v) for v in values])
    return f"""<div class="lr-explorer" id="{uid}" data-values='{data_values}'>
<div style="display:flex;align-items:center;gap:0.8em;flex-wrap:wrap;font-size:0.9em">
<input type="range" id="{uid}-range" min="0" max="{len(frames) - 1}" step="1" value="{index}"
 aria-label="{html.escape(label)}" style="flex:1;min-width:12em;max-width:28em">
<output for="{uid}-range" style="font-family:monospace">{html.escape(texts[index])}</output>
</div>
<div class="lrx-frames">
{imgs}
</div>
<div style="font-size:0.8em;opacity:0.7">Precomputed for {len(frames)} values.
Run the notebook for a live slider over any value.</div>
</div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var range = root.querySelector("input[type=range]");
  var out = root.querySelector("output");
  var frames = root.querySelectorAll("img.lrx-frame");
  function show() {{
    var k = Number(range.value);
    frames.forEach(function (f, i) {{ f.style.display = i === k ? "block" : "none"; }});
    out.textContent = frames[k].dataset.label;
  }}
  range.addEventListener("input", show);
  show();
}})();
</script>"""


class LearningRateExplorer:
    """See :func:`lr_explorer`; this object is what it returns."""

    def __init__(
        self,
        run: Run,
        draw: Draw,
        lrs: Sequence[float],
        value: float,
        *,
        label: str,
        log: bool,
        figsize: tuple[float, float],
        dpi: int,
    ) -> None:
        self.run, self.draw, self.lrs, self.label = run, draw, list(lrs), label
        self._render = dict(figsize=figsize, dpi=dpi)
        self.frames = [_render_png(run, draw, lr, **self._render) for lr in self.lrs]
        scale = np.log if log else np.asarray
        self.index = int(np.argmin(np.abs(scale(self.lrs) - scale(value))))
        self.slider, self.output = _make_widgets(self.lrs, value, label, log)
        self.output.outputs = (_png_output(self.frames[self.index]),)
        if value != self.lrs[self.index]:
            self.update(value)
        self.slider.observe(lambda change: self.update(change["new"]), names="value")
        from ipywidgets import VBox

        self.widget = VBox([self.slider, self.output])
        _registry[next(_serial)] = self  # last, so an explorer that failed to build is not listed

    def update(self, lr: float) -> None:
        """Re-run training at ``lr`` and replace the figure in place (the live path)."""
        try:
            png = _render_png(self.run, self.draw, float(lr), **self._render)
            self.output.outputs = (_png_output(png),)
        except Exception as err:  # a callback's error would otherwise vanish into a log
            text = f"{self.label} = {lr:.3g} failed: {type(err).__name__}: {err}\n"
            self.output.outputs = ({"output_type": "stream", "name": "stderr", "text": text},)

    def static_html(self) -> str:
        """The kernel-free slider over the precomputed frames."""
        return static_slider_html(
            self.frames, self.lrs, index=self.index, label=self.label, dpi=self._render["dpi"]
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"LearningRateExplorer({self.label}, {len(self.lrs)} precomputed values)",
            "text/html": self.static_html(),
            WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
        }


# Every explorer made in this process, by serial number: a dict keeps insertion order, so
# its values come oldest first. Weak values: see explorers().
_serial = itertools.count()
_registry: weakref.WeakValueDictionary[int, LearningRateExplorer] = weakref.WeakValueDictionary()


def explorers() -> list[LearningRateExplorer]:
    """The learning-rate explorers made in this process and still alive, oldest first.

    Returns a new list; changing it changes nothing here. Every explorer is listed once
    its figures are precomputed and its widgets built (one whose ``run`` or ``draw``
    raised while building is not).

    The registry holds weak references, so it keeps no explorer, and its precomputed
    frames, alive by itself: an explorer is listed exactly as long as something else
    holds it (a notebook variable, IPython's ``Out`` history, or its own slider, which
    ipywidgets keeps until the widget is closed). A weak reference dies only when its
    explorer is collected, so this lists what scanning ``gc.get_objects()`` would find,
    without the scan. The notebook tests call it after a notebook's last cell, while the
    notebook's variables still hold its explorers; a registry holding them strongly would
    serve them as well, but would keep every explorer of a long session alive.
    """
    return list(_registry.values())


def lr_explorer(
    run: Run,
    draw: Draw,
    lrs: Sequence[float],
    *,
    value: float | None = None,
    label: str = "learning rate α",
    log: bool = True,
    figsize: tuple[float, float] = (8.0, 3.2),
    dpi: int = 90,
) -> LearningRateExplorer:
    """A learning-rate slider that works live in Jupyter/Colab and statically in the HTML book.

    Parameters
    ----------
    run : callable
        ``run(lr) -> result``: train at learning rate ``lr`` (fast: it runs on every move).
    draw : callable
        ``draw(fig, lr, result)``: draw ``result`` on the empty matplotlib ``Figure`` ``fig``.
    lrs : sequence of float > 0, length 2 to 40
        The values precomputed for the static slider; the live slider spans their range.
    value : float, optional
        The value shown first (default: the middle of ``lrs``).
    label : str
        What the slider sets, shown next to its value.
    log : bool
        A log-scale live slider (right for learning rates); False for e.g. momentum.
    figsize, dpi
        Size of each figure; 8×3.2 inches at 90 dpi keeps a 12-frame slider near 0.5 MB.

    Returns
    -------
    LearningRateExplorer
        Display it (make it a cell's last expression) to show the slider.
    """
    for name, fn in (("run", run), ("draw", draw)):
        if not callable(fn):
            raise TypeError(f"{name} must be callable, got {type(fn).__name__}")
    if isinstance(lrs, str) or not isinstance(lrs, Sequence | np.ndarray):
        raise TypeError(f"lrs must be a sequence of numbers, got {type(lrs).__name__}")
    lrs = sorted(check_float("lrs", v, low=0, low_open=log) for v in lrs)
    if not 2 <= len(lrs) <= 40 or len(set(lrs)) != len(lrs):
        raise ValueError(f"lrs must hold 2 to 40 distinct values, got {len(lrs)}")
    value = lrs[len(lrs) // 2] if value is None else check_float("value", value)
    if not lrs[0] <= value <= lrs[-1]:
        raise ValueError(
            f"value must be in [{lrs[0]:g}, {lrs[-1]:g}] (the range of lrs), got {value:g}"
        )
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    dpi = check_int("dpi", dpi, low=30, high=300)
    return LearningRateExplorer(
        run, draw, lrs, value, label=label, log=log, figsize=figsize, dpi=dpi
    )


def _make_widgets(lrs: list[float], value: float, label: str, log: bool) -> tuple[Any, Any]:
    import ipywidgets as w

    common = dict(
        value=value,
        description=label,
        continuous_update=False,
        readout_format=".3g",
        style={"description_width": "initial"},
        layout=w.Layout(width="32em"),
    )
    if log:
        lo, hi = np.log10(lrs[0]), np.log10(lrs[-1])
        slider = w.FloatLogSlider(base=10, min=lo, max=hi, step=(hi - lo) / 200, **common)
    else:
        slider = w.FloatSlider(min=lrs[0], max=lrs[-1], step=(lrs[-1] - lrs[0]) / 200, **common)
    return slider, w.Output()


def _png_output(png: bytes) -> dict[str, Any]:
    data = {"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}
    return {"output_type": "display_data", "data": data, "metadata": {}}
