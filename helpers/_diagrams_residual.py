"""The residual block (private).

Part of ``helpers.diagrams``, which re-exports everything here. The symbols are those of
``03b_modern/residual_networks``: the block's input x, the residual branch F(x) and the
sum y = x + F(x), carried past the branch by the identity shortcut.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from helpers._draw import BLUE, ORANGE, PALE, SMALL, arrow, box, canvas, node, text
from helpers._validate import check_choice

GREY = "0.4"  # captions
VARIANTS = ("original", "pre-activation")


def draw_residual_block(variant: str = "original", *, ax: Axes | None = None) -> Axes:
    """A residual block: the branch F (weight layers, batch norm, ReLU) and the identity
    shortcut that carries x around it to the sum y = x + F(x).

    Parameters
    ----------
    variant : {"original", "pre-activation"}
        "original" (He et al. 2016a): conv, BN, ReLU, conv, BN, then the sum and a ReLU
        after it; "pre-activation" (He et al. 2016b): BN, ReLU, conv, BN, ReLU, conv, and
        nothing after the sum, so that the shortcut is a pure identity.
    """
    variant = check_choice("variant", variant, VARIANTS)
    if variant == "original":
        branch = ["conv", "BN", "ReLU", "conv", "BN"]
    else:
        branch = ["BN", "ReLU", "conv", "BN", "ReLU", "conv"]
    dx, y = 1.45, 0.0
    x_sum = 1.9 + dx * len(branch)
    x_end = x_sum + (2.9 if variant == "original" else 1.5)
    ax = canvas(ax, (-0.7, x_end + 0.7), (-1.6, 2.0))
    previous = box(ax, (0.0, y), "$x$", size=(0.8, 0.6), fc=PALE)
    for i, kind in enumerate(branch):
        style = dict(ec=ORANGE, lw=1.8) if kind in ("BN", "ReLU") else dict(ec=BLUE, lw=1.8)
        shape = box(ax, (1.6 + dx * i, y), kind, size=(1.05, 0.6), **style)
        arrow(ax, previous, shape)
        previous = shape
    total = node(ax, (x_sum, y), "$+$", r=0.3)
    arrow(ax, previous, total)
    if variant == "original":
        relu = box(ax, (x_sum + 1.4, y), "ReLU", size=(1.05, 0.6), ec=ORANGE, lw=1.8)
        arrow(ax, total, relu)
        previous = relu
    else:
        previous = total
    arrow(ax, previous, box(ax, (x_end, y), "$y$", size=(0.8, 0.6), fc=PALE))
    top = y + 1.3
    ax.plot([0.55, 0.55, x_sum], [y, top, top], color=BLUE, lw=1.6, zorder=1)
    arrow(ax, (x_sum, top), total, color=BLUE, lw=1.6)
    text(ax, ((0.55 + x_sum) / 2, top + 0.35), "identity shortcut: $x$", fontsize=SMALL, color=BLUE)
    first, last = 1.6, 1.6 + dx * (len(branch) - 1)
    text(ax, ((first + last) / 2, y - 0.75), r"residual branch $F(x)$", fontsize=SMALL)
    caption = "$y = \\mathrm{ReLU}(x + F(x))$" if variant == "original" else "$y = x + F(x)$"
    text(ax, ((first + last) / 2, y - 1.3), caption, fontsize=SMALL, color=GREY)
    return ax
