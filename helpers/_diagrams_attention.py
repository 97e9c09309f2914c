"""Attention: scaled dot-product attention and the transformer block (private).

Part of ``helpers.diagrams``, which re-exports everything here. The symbols are those of
``03b_modern/attention``: queries Q (T, d), keys K (S, d), values V (S, d_v), the
scores, the weights A and the output; LN, MHA and MLP in the block.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from helpers._draw import BLUE, ORANGE, PALE, SMALL, Shape, arrow, box, canvas, node, text
from helpers._validate import check_choice

GREY = "0.4"  # captions: the shape of what a step produces
MASKS = ("optional", "causal", "padding", "none")
MASK_NOTE = {
    "optional": "optional",
    "causal": "causal",
    "padding": "key padding",
}


def draw_attention(mask: str = "optional", *, ax: Axes | None = None) -> Axes:
    """Scaled dot-product attention as a data flow: Q and K -> matmul -> scale -> mask
    -> softmax -> matmul with V -> output, with the shape after each step.

    Parameters
    ----------
    mask : {"optional", "causal", "padding", "none"}
        What the mask step says; "none" leaves the step out.
    """
    mask = check_choice("mask", mask, MASKS)
    ax = canvas(ax, (-0.6, 13.4), (-1.7, 3.3))
    q = box(ax, (0.3, 2.5), "$Q$", size=(0.9, 0.6), fc=PALE)
    k = box(ax, (0.3, 1.1), "$K$", size=(0.9, 0.6), fc=PALE)
    v = box(ax, (0.3, -0.9), "$V$", size=(0.9, 0.6), fc=PALE)
    for shape, note in [(q, "$(T, d)$"), (k, "$(S, d)$"), (v, "$(S, d_v)$")]:
        text(ax, (shape.x, shape.y - 0.55), note, fontsize=SMALL, color=GREY)
    y = 1.8
    scores = box(ax, (2.6, y), r"$QK^\top$", size=(1.3, 0.7))
    arrow(ax, q, scores)
    arrow(ax, k, scores)
    steps = [scores, box(ax, (4.6, y), r"$\div\sqrt{d}$", size=(1.3, 0.7))]
    if mask != "none":
        steps.append(box(ax, (6.6, y), "mask", size=(1.3, 0.7), ec=ORANGE, lw=1.8))
        text(ax, (6.6, y + 0.7), MASK_NOTE[mask], fontsize=SMALL, color=ORANGE)
    softmax = box(ax, (8.7, y), "softmax", size=(1.5, 0.7), ec=BLUE, lw=1.8)
    steps.append(softmax)
    for start, end in zip(steps, steps[1:], strict=False):
        arrow(ax, start, end)
    text(ax, (4.6, y - 0.7), "scores $(T, S)$", fontsize=SMALL, color=GREY)
    text(ax, (8.7, y - 0.7), "weights $A$ $(T, S)$", fontsize=SMALL, color=GREY)
    text(ax, (8.7, y + 0.7), "rows sum to 1", fontsize=SMALL, color=BLUE)
    _weighted_sum(ax, softmax, v)
    return ax


def _weighted_sum(ax: Axes, softmax: Shape, v: Shape) -> None:
    """A V: the weights times the values, and the output."""
    av = box(ax, (10.9, 0.45), "$AV$", size=(1.1, 0.7))
    arrow(ax, softmax, av)
    arrow(ax, v, (10.9, v.y), head=False)
    arrow(ax, (10.9, v.y), av)
    out = box(ax, (12.6, 0.45), "output", size=(1.4, 0.6), fc=PALE)
    arrow(ax, av, out)
    text(ax, (12.6, -0.15), "$(T, d_v)$", fontsize=SMALL, color=GREY)


def draw_transformer_block(norm_first: bool = True, *, ax: Axes | None = None) -> Axes:
    """A transformer encoder block: multi-head self-attention and a per-token MLP, each
    wrapped in a residual connection, with layer normalisation before each branch
    (pre-norm) or after each sum (post-norm, the original transformer's order).

    Parameters
    ----------
    norm_first : bool
        True for pre-norm, x + MHA(LN(x)); False for post-norm, LN(x + MHA(x)).
    """
    if not isinstance(norm_first, bool):
        raise TypeError(f"norm_first must be a bool, got {type(norm_first).__name__}")
    ax = canvas(ax, (-0.7, 13.3), (-1.6, 2.6))
    y = 0.6
    x_in = box(ax, (0.0, y), "$x$", size=(0.8, 0.6), fc=PALE)
    norm = dict(size=(0.9, 0.6), ec=ORANGE, lw=1.8)
    wide = dict(size=(1.4, 0.7), ec=BLUE, lw=1.8)
    if norm_first:
        order = ["LN", "MHA", "+", "LN", "MLP", "+"]
    else:
        order = ["MHA", "+", "LN", "MLP", "+", "LN"]
    shapes, previous, branch = [], x_in, 0.0
    for i, kind in enumerate(order):
        xy = (1.9 + 1.65 * i, y)
        if i % 3 == 0:  # a branch starts: the residual leaves the main line here
            branch = xy[0] - 0.95
        if kind == "+":
            shape = node(ax, xy, "$+$", r=0.3)
            _skip(ax, branch, shape)
        else:
            shape = box(ax, xy, kind, **(norm if kind == "LN" else wide))
        arrow(ax, previous, shape)
        shapes.append(shape)
        previous = shape
    out = box(ax, (12.5, y), "output", size=(1.4, 0.6), fc=PALE)
    arrow(ax, previous, out)
    attention, mlp = (shapes[order.index(name)] for name in ("MHA", "MLP"))
    text(ax, (attention.x, y - 0.75), "self-attention", fontsize=SMALL, color=GREY)
    text(ax, (mlp.x, y - 0.75), "per token", fontsize=SMALL, color=GREY)
    caption = "pre-norm: $x + f(\\mathrm{LN}(x))$" if norm_first else "post-norm: LN$(x + f(x))$"
    text(ax, (6.3, -1.3), caption + ", for $f$ = MHA, then $f$ = MLP", fontsize=SMALL)
    return ax


def _skip(ax: Axes, branch: float, target: Shape) -> None:
    """The residual connection: from the main line at ``branch``, over the branch's
    boxes, down into the sum ``target``."""
    top = target.y + 1.2
    ax.plot([branch, branch, target.x], [target.y, top, top], color=BLUE, lw=1.4, zorder=1)
    arrow(ax, (target.x, top), target, color=BLUE, lw=1.4)
    text(ax, ((branch + target.x) / 2, top + 0.3), "residual", fontsize=SMALL, color=BLUE)
