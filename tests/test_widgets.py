"""Tests of helpers.widgets: one explorer, a live slider in a kernel and static HTML offline."""

from __future__ import annotations

import base64
import gc
import re
import warnings
import weakref
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("ipywidgets")

import ipywidgets  # noqa: E402

from helpers.widgets import (  # noqa: E402
    WIDGET_MIME,
    explorers,
    lr_explorer,
    static_slider_html,
)

PNG = b"\x89PNG\r\n\x1a\n"
LRS = [0.01, 0.0316228, 0.1, 0.316228, 1.0]  # log-spaced; shown as 0.01, 0.0316, 0.1, 0.316, 1
DECADES = [0.01, 0.1, 1.0]
SMALL = dict(figsize=(3, 2), dpi=40)


def run(lr: float, num_steps: int = 20) -> np.ndarray:
    """Gradient descent on (w - 1)^2 from w = 0: the path w_0, ..., w_num_steps."""
    w, path = 0.0, [0.0]
    for _ in range(num_steps):
        w -= lr * 2 * (w - 1)
        path.append(w)
    return np.array(path)


def draw(fig, lr: float, path: np.ndarray) -> None:
    ax = fig.subplots()
    ax.plot(path, marker=".")
    ax.set(xlabel="step", ylabel="w", title=f"lr = {lr:.3g}")


def explore(lrs=LRS, **kwargs):
    return lr_explorer(run, draw, lrs, **(SMALL | kwargs))


def decode(output: dict) -> bytes:
    return base64.b64decode(output["data"]["image/png"])


class Tags(HTMLParser):
    """Collect (tag, attributes) of every start tag, and the text outside <script>."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        matches = (a for t, a in self.tags if t == tag)
        return [a for a in matches if all(a.get(k) == v for k, v in attrs.items())]


def shown(parsed: Tags) -> list[int]:
    """Indices of the frames displayed as block."""
    imgs = parsed.find("img", **{"class": "lrx-frame"})
    return [i for i, img in enumerate(imgs) if "display:block" in img["style"]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def explorer():
    return explore()


# --- precomputed frames -------------------------------------------------------------------


def test_one_png_frame_is_precomputed_per_learning_rate(explorer):
    assert len(explorer.frames) == len(LRS)
    assert all(isinstance(f, bytes) and f.startswith(PNG) for f in explorer.frames)


def test_frames_differ_between_learning_rates(explorer):
    assert len(set(explorer.frames)) == len(LRS)


def test_learning_rates_are_sorted(explorer):
    unsorted = explore(lrs=[1.0, 0.01, 0.1])
    assert unsorted.lrs == DECADES
    assert unsorted.frames == [explorer.frames[LRS.index(lr)] for lr in DECADES]


def test_each_frame_is_drawn_from_the_run_at_its_learning_rate():
    seen = []

    def recording_draw(fig, lr, path):
        seen.append((lr, path))
        draw(fig, lr, path)

    lr_explorer(run, recording_draw, [0.3, 0.1], **SMALL)
    assert [lr for lr, _ in seen] == [0.1, 0.3]
    for lr, path in seen:
        np.testing.assert_array_equal(path, run(lr))


# --- the MIME bundle ----------------------------------------------------------------------


def test_mimebundle_has_text_html_and_the_live_widget(explorer):
    bundle = explorer._repr_mimebundle_()
    assert {"text/plain", "text/html", WIDGET_MIME} <= bundle.keys()
    assert bundle[WIDGET_MIME]["model_id"] == explorer.widget.model_id
    assert bundle[WIDGET_MIME]["version_major"] == 2
    assert bundle["text/html"] == explorer.static_html()
    assert "5" in bundle["text/plain"]


def test_widget_is_the_slider_above_the_output(explorer):
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert explorer.widget.children == (explorer.slider, explorer.output)


# --- the static HTML ----------------------------------------------------------------------


def test_static_html_has_one_range_input_over_all_frames(explorer):
    parsed = Tags(explorer.static_html())
    (slider,) = parsed.find("input", type="range")
    assert (slider["min"], slider["max"]) == ("0", str(len(LRS) - 1))
    imgs = parsed.find("img", **{"class": "lrx-frame"})
    assert len(imgs) == len(LRS)
    srcs = [base64.b64decode(img["src"].removeprefix("data:image/png;base64,")) for img in imgs]
    assert srcs == explorer.frames


def test_static_html_shows_only_the_default_value_the_middle_one(explorer):
    parsed = Tags(explorer.static_html())
    assert shown(parsed) == [2]
    assert parsed.find("input", type="range")[0]["value"] == "2"
    assert "learning rate α = 0.1" in "".join(parsed.text)


def test_static_html_labels_every_frame_with_three_significant_digits(explorer):
    imgs = Tags(explorer.static_html()).find("img", **{"class": "lrx-frame"})
    expected = ["0.01", "0.0316", "0.1", "0.316", "1"]
    assert [img["data-label"] for img in imgs] == [f"learning rate α = {v}" for v in expected]


@pytest.fixture(scope="module")
def between():
    """An explorer whose value 0.4 is nearer 0.1 on a linear scale, nearer 1 on a log scale."""
    return explore(lrs=DECADES, value=0.4)


def test_static_html_shows_the_frame_nearest_value_on_a_log_scale(between):
    parsed = Tags(between.static_html())
    assert shown(parsed) == [2]
    assert "learning rate α = 1" in "".join(parsed.text)


def test_static_html_with_log_false_shows_the_frame_nearest_on_a_linear_scale():
    parsed = Tags(explore(lrs=DECADES, value=0.4, log=False).static_html())
    assert shown(parsed) == [1]


def test_static_html_has_a_script_and_no_network_url(explorer):
    text = explorer.static_html()
    assert len(Tags(text).find("script")) == 1
    assert not re.search(r"https?://", text)
    assert not re.search(r"\bsrc=\"(?!data:)", text)  # every source is inline data


def test_static_html_is_deterministic(explorer):
    assert explore().static_html() == explorer.static_html()


def test_static_html_ids_differ_between_frames_and_between_labels(explorer):
    texts = [
        explorer.static_html(),
        static_slider_html(explorer.frames[:2], LRS[:2], index=0, label=explorer.label),
        static_slider_html(explorer.frames, LRS, index=2, label="momentum β"),
    ]
    ids = {Tags(text).find("div")[0]["id"] for text in texts}
    assert len(ids) == 3


def test_static_html_escapes_the_label():
    text = static_slider_html([PNG, PNG + b"x"], [0.1, 1.0], index=0, label='<b>"α"</b>')
    assert "<b>" not in text
    (slider,) = Tags(text).find("input", type="range")
    assert slider["aria-label"] == '<b>"α"</b>'


# --- the live slider ------------------------------------------------------------------------


def test_live_output_starts_with_the_default_frame(explorer):
    (output,) = explorer.output.outputs
    assert output["output_type"] == "display_data"
    assert decode(output) == explorer.frames[2]


def test_moving_the_slider_replaces_the_figure_in_place():
    explorer = explore(lrs=DECADES)
    before = decode(explorer.output.outputs[0])
    explorer.slider.value = 0.5
    (output,) = explorer.output.outputs
    assert output["output_type"] == "display_data"
    after = decode(output)
    assert after.startswith(PNG) and after != before
    explorer.slider.value = 0.1
    (output,) = explorer.output.outputs
    assert decode(output) == before


def fragile_run(lr: float) -> np.ndarray:
    """Fails between the precomputed values 0.2 and 1.0 only, so the explorer can be built."""
    if 0.3 < lr < 0.5:
        raise FloatingPointError("diverged")
    return run(lr)


def test_a_run_that_raises_on_a_slider_move_shows_the_error_instead_of_raising():
    explorer = lr_explorer(fragile_run, draw, [0.1, 0.2, 1.0], **SMALL)
    explorer.slider.value = 0.4
    (output,) = explorer.output.outputs
    assert (output["output_type"], output["name"]) == ("stream", "stderr")
    assert "FloatingPointError: diverged" in output["text"]
    assert "learning rate α = 0.4" in output["text"]
    explorer.slider.value = 1.0  # the next good value brings the figure back
    (output,) = explorer.output.outputs
    assert decode(output) == explorer.frames[2]


def test_a_value_between_lrs_is_rendered_live_at_that_value(between):
    (output,) = between.output.outputs
    assert decode(output) not in between.frames  # drawn at 0.4, not at the nearest 1


# --- the registry of explorers ------------------------------------------------------------


def test_explorers_lists_the_explorers_made_oldest_first():
    made = [explore(lrs=DECADES, value=v) for v in (1.0, 0.01, 0.1)]  # not in order of value
    listed = explorers()
    assert [id(e) for e in listed[-3:]] == [id(e) for e in made]
    assert len({id(e) for e in listed}) == len(listed)  # each one once


def test_explorers_returns_a_new_list_each_time():
    explorer = explore(lrs=DECADES)
    listed = explorers()
    listed.clear()
    assert explorers() is not listed
    assert explorers()[-1] is explorer


def test_an_explorer_whose_run_fails_while_precomputing_is_not_listed():
    def run_failing_at_the_last_value(lr):
        if lr == DECADES[-1]:
            raise FloatingPointError("diverged")
        return run(lr)

    before = explorers()
    with pytest.raises(FloatingPointError) as failed:  # its traceback holds the half-built one
        lr_explorer(run_failing_at_the_last_value, draw, DECADES, **SMALL)
    assert failed.traceback  # still alive here
    assert [id(e) for e in explorers()] == [id(e) for e in before]


def test_explorers_holds_no_explorer_alive_by_itself():
    gc.collect()
    explorer = explore(lrs=DECADES)
    n = len(explorers())
    ref = weakref.ref(explorer)
    for widget in (explorer.widget, explorer.slider, explorer.output):
        widget.close()  # ipywidgets holds an open widget, and its slider holds the explorer
    del explorer
    gc.collect()
    assert ref() is None
    assert len(explorers()) == n - 1


# --- log and linear sliders ---------------------------------------------------------------


def test_default_slider_is_logarithmic_over_the_range_of_lrs(explorer):
    assert isinstance(explorer.slider, ipywidgets.FloatLogSlider)
    assert (explorer.slider.base, explorer.slider.min, explorer.slider.max) == (10, -2.0, 0.0)
    assert explorer.slider.value == pytest.approx(0.1)


def test_log_false_gives_a_linear_slider_that_accepts_zero():
    explorer = explore(lrs=[0.0, 0.5, 0.9], log=False)
    assert type(explorer.slider) is ipywidgets.FloatSlider
    assert (explorer.slider.min, explorer.slider.max, explorer.slider.value) == (0.0, 0.9, 0.5)
    explorer.slider.value = 0.0
    (output,) = explorer.output.outputs
    assert decode(output) == explorer.frames[0]


@pytest.mark.parametrize(("lrs", "middle"), [([0.1, 1.0], 1.0), ([0.001, 0.01, 0.1, 1.0], 0.1)])
def test_value_defaults_to_the_middle_of_lrs(lrs, middle):
    explorer = explore(lrs=lrs)
    assert explorer.slider.value == pytest.approx(middle)
    assert explorer.lrs[explorer.index] == middle


def test_a_diverging_run_renders_without_warnings():
    lrs = [0.1, 1.5]  # |1 - 2 lr| = 2: w reaches about 2**20 = 1e6 in 20 steps
    assert np.abs(run(1.5)).max() > 1e6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = lr_explorer(run, draw, lrs, **SMALL)
        explorer.slider.value = 1.2
        explorer._repr_mimebundle_()
    assert explorer.output.outputs[0]["output_type"] == "display_data"


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(run="run"), TypeError, "run"),
        (dict(draw=None), TypeError, "draw"),
        (dict(lrs="0.1,1"), TypeError, "lrs"),
        (dict(lrs={0.1, 1.0}), TypeError, "lrs"),
        (dict(lrs=[0.1]), ValueError, "lrs"),
        (dict(lrs=[0.1, 0.1, 1.0]), ValueError, "lrs"),
        (dict(lrs=list(np.geomspace(1e-3, 1, 41))), ValueError, "lrs"),
        (dict(lrs=[-0.1, 1.0]), ValueError, "lrs"),
        (dict(lrs=[0.0, 1.0]), ValueError, "lrs"),
        (dict(lrs=[0.1, np.nan]), ValueError, "lrs"),
        (dict(value=2.0), ValueError, "value"),
        (dict(value=0.001), ValueError, "value"),
        (dict(value="0.1"), TypeError, "value"),
        (dict(label=1), TypeError, "label"),
        (dict(dpi=10), ValueError, "dpi"),
        (dict(dpi=40.0), TypeError, "dpi"),
    ],
)
def test_lr_explorer_rejects_bad_input_naming_the_argument(kwargs, error, name):
    args = dict(run=run, draw=draw, lrs=LRS) | SMALL | kwargs
    with pytest.raises(error, match=name):
        lr_explorer(args.pop("run"), args.pop("draw"), args.pop("lrs"), **args)


def test_forty_lrs_are_accepted():
    lrs = list(np.geomspace(1e-3, 1, 40))
    explorer = lr_explorer(lambda lr: lr, lambda fig, lr, r: None, lrs, dpi=30, figsize=(1, 1))
    assert len(explorer.frames) == 40


@pytest.mark.parametrize(("frames", "values"), [([PNG], [0.1, 1.0]), ([PNG, PNG], [0.1]), ([], [])])
def test_static_slider_html_needs_one_value_per_frame(frames, values):
    with pytest.raises(ValueError, match="frames"):
        static_slider_html(frames, values, index=0, label="lr")


@pytest.mark.parametrize("index", [-1, 2])
def test_static_slider_html_rejects_an_index_out_of_range_naming_index(index):
    with pytest.raises(ValueError, match="index"):
        static_slider_html([PNG, PNG], [0.1, 1.0], index=index, label="lr")


@pytest.mark.parametrize(("dpi", "scale"), [(90, "0.8"), (72, "1"), (144, "0.5")])
def test_static_slider_html_frames_say_how_small_a_phone_may_draw_them(dpi, scale):
    """72/dpi of the pixel size keeps a 9 pt label 9 CSS px high (_static/book.css)."""
    imgs = Tags(static_slider_html([PNG], [0.1], index=0, label="lr", dpi=dpi)).find("img")
    assert f"--min-scale:{scale};" in imgs[0]["style"]


@pytest.mark.parametrize(("dpi", "error"), [(10, ValueError), (90.5, TypeError)])
def test_static_slider_html_rejects_a_bad_dpi_naming_it(dpi, error):
    with pytest.raises(error, match="dpi"):
        static_slider_html([PNG], [0.1], index=0, label="lr", dpi=dpi)
