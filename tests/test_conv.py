"""helpers.conv: the NumPy convolution and pooling layers, against PyTorch, and their
argument checks; and the chapters that write them out, against the module."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers.conv import (
    conv2d,
    conv2d_backward,
    conv2d_backward_loops,
    conv2d_loops,
    out_size,
    pool2d,
    pool2d_backward,
    pool2d_backward_loops,
    pool2d_loops,
    same_pads,
)
from tests.test_book import code_cells, taught_mismatches

torch = pytest.importorskip("torch")
F = torch.nn.functional

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = (
    "chapters/03_algorithms/convolution.ipynb",
    "chapters/03_algorithms/pooling_and_backward.ipynb",
)

# (N, C_in, H, W, C_out, (kh, kw), stride, padding, dilation); padding: int or 4-tuple
CONV_CASES = [
    (2, 1, 7, 7, 1, (3, 3), 1, 0, 1),
    (2, 3, 9, 9, 4, (3, 3), 2, 1, 1),
    (1, 2, 8, 10, 3, (3, 5), 2, 2, 1),
    (2, 2, 8, 8, 3, (3, 3), 2, (0, 1, 0, 1), 1),
    (3, 4, 6, 6, 5, (1, 1), 1, 0, 1),
    (2, 2, 9, 9, 3, (3, 3), 1, 1, 2),
    (1, 3, 9, 11, 2, (3, 2), 3, (3, 3, 1, 2), 3),
    (1, 1, 5, 5, 2, (5, 5), 1, 0, 1),  # the kernel fills the input: one output
]
POOL_CASES = [(2, 3, 8, 8, 2, None), (2, 2, 9, 9, 3, 2), (1, 2, 7, 7, 2, 1), (2, 1, 7, 9, 3, 3)]


def conv_data(case, seed):
    rng = np.random.default_rng(seed)
    N, C_in, H, W, C_out, k, *_ = case
    X = rng.standard_normal((N, C_in, H, W))
    return X, rng.standard_normal((C_out, C_in, *k)), rng.standard_normal(C_out), rng


def torch_conv(X, W, b, G, stride, padding, dilation):
    """Y, dX, dW, db from F.conv2d and autograd."""
    top, bottom, left, right = (padding,) * 4 if isinstance(padding, int) else padding
    Xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (X, W, b))
    Y = F.conv2d(F.pad(Xt, (left, right, top, bottom)), Wt, bt, stride, 0, dilation)
    (Y * torch.tensor(G)).sum().backward()
    return [a.detach().numpy() for a in (Y, Xt.grad, Wt.grad, bt.grad)]


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
@pytest.mark.parametrize("seed", [0, 1])
def test_conv2d_and_its_gradients_equal_pytorch(case, seed):
    *_, s, p, d = case
    X, W, b, rng = conv_data(case, seed)
    Y = conv2d(X, W, b, s, p, d)
    G = rng.standard_normal(Y.shape)
    ours = [Y, *conv2d_backward(G, X, W, s, p, d)]
    loops = [conv2d_loops(X, W, b, s, p, d), *conv2d_backward_loops(G, X, W, s, p, d)]
    for mine, by_loops, theirs in zip(ours, loops, torch_conv(X, W, b, G, s, p, d), strict=True):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
        np.testing.assert_allclose(by_loops, theirs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool2d_and_its_gradient_equal_pytorch(case, mode):
    N, C, H, W, k, stride = case
    rng = np.random.default_rng(k)
    X = rng.standard_normal((N, C, H, W))
    Xt = torch.tensor(X, requires_grad=True)
    Yt = (F.max_pool2d if mode == "max" else F.avg_pool2d)(Xt, k, stride)
    G = rng.standard_normal(Yt.shape)
    (Yt * torch.tensor(G)).sum().backward()
    for Y in (pool2d(X, k, stride, mode), pool2d_loops(X, k, stride, mode)):
        np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=0, atol=1e-12)
    for dX in (
        pool2d_backward(G, X, k, stride, mode),
        pool2d_backward_loops(G, X, k, stride, mode),
    ):
        np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=0, atol=1e-12)


def test_max_pool_gives_a_tied_window_gradient_to_its_first_maximum_as_pytorch_on_cpu():
    X = np.zeros((1, 1, 4, 4))
    X[0, 0, 2:, 2:] = 3.0  # two windows of ties: all zeros, all threes
    G = np.ones((1, 1, 2, 2))
    Xt = torch.tensor(X, requires_grad=True)
    (F.max_pool2d(Xt, 2) * torch.tensor(G)).sum().backward()
    for dX in (pool2d_backward(G, X, 2), pool2d_backward_loops(G, X, 2)):
        np.testing.assert_array_equal(dX, Xt.grad.numpy())
        assert dX.sum() == G.sum() and dX[0, 0, 0, 0] == dX[0, 0, 2, 2] == 1.0


@pytest.mark.parametrize(("n", "k", "s"), [(8, 3, 1), (8, 3, 2), (9, 3, 2), (7, 4, 3), (5, 5, 1)])
def test_same_pads_give_ceil_n_over_s_outputs_with_the_extra_zero_after(n, k, s):
    before, after = same_pads(n, k, s)
    assert out_size(n + before + after, k, 0, s) == -(-n // s)
    assert after - before in (0, 1)


@pytest.mark.parametrize("case", [c for c in CONV_CASES if isinstance(c[7], int)], ids=str)
def test_out_size_is_the_length_pytorch_computes(case):
    N, C_in, H, W, C_out, (kh, kw), s, p, d = case
    X = torch.zeros(N, C_in, H, W)
    Y = F.conv2d(X, torch.zeros(C_out, C_in, kh, kw), None, s, p, d)
    assert Y.shape[2:] == (out_size(H, kh, p, s, d), out_size(W, kw, p, s, d))


X0 = np.zeros((1, 2, 6, 6))
W0 = np.zeros((3, 2, 3, 3))
G0 = np.zeros((1, 3, 4, 4))
CONV_CALLS = {
    "conv2d": lambda **kw: conv2d(X0, W0, np.zeros(3), **kw),
    "conv2d_loops": lambda **kw: conv2d_loops(X0, W0, np.zeros(3), **kw),
    "conv2d_backward": lambda **kw: conv2d_backward(G0, X0, W0, **kw),
    "conv2d_backward_loops": lambda **kw: conv2d_backward_loops(G0, X0, W0, **kw),
}


@pytest.mark.parametrize("call", CONV_CALLS.values(), ids=CONV_CALLS.keys())
@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"stride": 0}, "stride"),
        ({"stride": -1}, "stride"),
        ({"stride": 1.5}, "stride"),
        ({"dilation": 0}, "dilation"),
        ({"dilation": 4}, "W"),  # a 9-wide window on 6 pixels
        ({"padding": 0, "dilation": 3}, "W"),  # 7 wide on 6
    ],
)
def test_conv_refuses_bad_arguments_naming_them(call, bad, named):
    with pytest.raises(ValueError, match=rf"^{named}\b"):
        call(**bad)


def test_conv_refuses_a_kernel_larger_than_the_padded_input():
    with pytest.raises(ValueError, match=r"^W\b"):
        conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    Y = conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), np.zeros(1), padding=1)
    assert Y.shape == (1, 1, 2, 2)


XP = np.zeros((1, 2, 6, 6))
POOL_CALLS = {
    "pool2d": lambda k=2, **kw: pool2d(XP, k, **kw),
    "pool2d_loops": lambda k=2, **kw: pool2d_loops(XP, k, **kw),
    "pool2d_backward": lambda k=2, **kw: pool2d_backward(np.zeros((1, 2, 3, 3)), XP, k, **kw),
    "pool2d_backward_loops": lambda k=2, **kw: pool2d_backward_loops(
        np.zeros((1, 2, 3, 3)), XP, k, **kw
    ),
}


@pytest.mark.parametrize("call", POOL_CALLS.values(), ids=POOL_CALLS.keys())
@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"mode": "mean"}, "mode"),
        ({"mode": "MAX"}, "mode"),
        ({"stride": 0}, "stride"),
        ({"stride": 2.0}, "stride"),
        ({"k": 0}, "k"),
        ({"k": 7}, "k"),  # a 7-wide window on 6 pixels
    ],
)
def test_pool_refuses_bad_arguments_naming_them(call, bad, named):
    with pytest.raises(ValueError, match=rf"^{named}\b"):
        call(**bad)


def test_the_chapters_write_out_exactly_the_module():
    """Teach once, import after (tests/test_book.py's rule, for helpers/conv.py)."""
    cells = [source for chapter in CHAPTERS for source in code_cells(ROOT / chapter)]
    wrong = taught_mismatches((ROOT / "helpers/conv.py").read_text(encoding="utf-8"), cells)
    assert not wrong, f"helpers/conv.py and {', '.join(CHAPTERS)} drifted apart: {wrong}"
