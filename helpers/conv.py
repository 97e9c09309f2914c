"""NumPy from scratch: convolution and pooling, forward and backward, in NCHW layout.

Each function here is written out in full, and explained, in the chapter that teaches it;
later chapters import it from here. ``tests/test_conv.py`` checks that the chapters' cells
and this module agree, line for line, and checks the functions against PyTorch.

- 03_algorithms/convolution: :func:`out_size`, :func:`as_pads`, :func:`same_pads`,
  :func:`pad`, :func:`check_conv_args`, :func:`conv2d_loops`, :func:`windows`,
  :func:`im2col`, :func:`conv2d` (the forward pass);
- 03_algorithms/pooling_and_backward: :func:`crop`, :func:`conv2d_backward_loops`,
  :func:`fold`, :func:`conv2d_backward` (the backward pass), :func:`check_pool_args`,
  :func:`pool2d_loops`, :func:`pool2d_backward_loops`, :func:`pool2d`,
  :func:`pool2d_backward` (max and average pooling).

Bad arguments (a stride, dilation or window below 1, a window that does not fit, an
unknown pooling mode) raise ``ValueError`` naming the argument.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def out_size(n, k, p=0, s=1, d=1):
    """Output length of a convolution or pooling along one dimension (conv-outsize)."""
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def as_pads(padding):
    """(top, bottom, left, right) from an int p or a 4-tuple."""
    return (padding,) * 4 if isinstance(padding, int) else tuple(padding)


def same_pads(n, k, s):
    """TensorFlow's 'same' padding (before, after) along one dimension."""
    total = max((-(-n // s) - 1) * s + k - n, 0)  # -(-n // s) is ceil(n / s)
    return total // 2, total - total // 2


def pad(X, padding):
    """Zero-pad the last two axes of X, shape (N, C, H, W)."""
    top, bottom, left, right = as_pads(padding)
    return np.pad(X, ((0, 0), (0, 0), (top, bottom), (left, right)))


def check_conv_args(Xp, W, stride, dilation):
    """Raise ValueError unless stride, dilation >= 1 and W's window fits in Xp."""
    for name, value in [("stride", stride), ("dilation", dilation)]:
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    span = tuple(dilation * (k - 1) + 1 for k in W.shape[2:])  # the window's size
    if span[0] > Xp.shape[2] or span[1] > Xp.shape[3]:
        raise ValueError(f"W: window {span} larger than padded input {Xp.shape[2:]}")


def conv2d_loops(X, W, b, stride=1, padding=0, dilation=1):
    """(conv-layer) with loops. X (N, C, H, W), W (C_out, C_in, kh, kw)."""
    Xp, (C_out, _, kh, kw), s, d = pad(X, padding), W.shape, stride, dilation
    check_conv_args(Xp, W, s, d)
    Ho, Wo = out_size(Xp.shape[2], kh, 0, s, d), out_size(Xp.shape[3], kw, 0, s, d)
    Y = np.zeros((len(X), C_out, Ho, Wo))
    for n, o, i, j in np.ndindex(Y.shape):
        rows = slice(s * i, s * i + d * (kh - 1) + 1, d)  # rows s i + d u, u < kh
        cols = slice(s * j, s * j + d * (kw - 1) + 1, d)
        Y[n, o, i, j] = np.sum(Xp[n, :, rows, cols] * W[o]) + b[o]  # sum over c, u, v
    return Y


def windows(Xp, kh, kw, stride, dilation=1):
    """All kh x kw windows of Xp (N, C, H, W): a view (N, C, H_out, W_out, kh, kw)."""
    span = (dilation * (kh - 1) + 1, dilation * (kw - 1) + 1)  # the dilated window
    win = sliding_window_view(Xp, span, axis=(2, 3))
    return win[:, :, ::stride, ::stride, ::dilation, ::dilation]


def im2col(Xp, kh, kw, stride, dilation=1):
    """One row per window: shape (N * H_out * W_out, C * kh * kw)."""
    win = windows(Xp, kh, kw, stride, dilation)  # (N, C, Ho, Wo, kh, kw)
    N, C, Ho, Wo = win.shape[:4]
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, C * kh * kw)


def conv2d(X, W, b, stride=1, padding=0, dilation=1):
    """(conv-layer) as one matrix product. X (N, C, H, W), W (C_out, C_in, kh, kw)."""
    Xp, (C_out, _, kh, kw) = pad(X, padding), W.shape
    check_conv_args(Xp, W, stride, dilation)
    Ho = out_size(Xp.shape[2], kh, 0, stride, dilation)
    Wo = out_size(Xp.shape[3], kw, 0, stride, dilation)
    cols = im2col(Xp, kh, kw, stride, dilation)  # (N * Ho * Wo, C_in * kh * kw)
    Y = cols @ W.reshape(C_out, -1).T + b  # (N * Ho * Wo, C_out)
    return Y.reshape(len(X), Ho, Wo, C_out).transpose(0, 3, 1, 2)


def crop(dXp, X_shape, padding):
    """Drop the padded border: the gradient of X from that of the padded X."""
    top, _, left, _ = as_pads(padding)
    H, Wd = X_shape[2:]
    return dXp[:, :, top : top + H, left : left + Wd]


def conv2d_backward_loops(G, X, W, stride=1, padding=0, dilation=1):
    """(conv-grad) with loops: returns dX, dW, db for upstream gradient G = dL/dY."""
    Xp, (_, _, kh, kw), s, d = pad(X, padding), W.shape, stride, dilation
    check_conv_args(Xp, W, s, d)
    dXp, dW, db = np.zeros_like(Xp), np.zeros_like(W), np.zeros(W.shape[0])
    for n, o, i, j in np.ndindex(G.shape):
        rows = slice(s * i, s * i + d * (kh - 1) + 1, d)
        cols = slice(s * j, s * j + d * (kw - 1) + 1, d)
        dW[o] += G[n, o, i, j] * Xp[n, :, rows, cols]
        dXp[n, :, rows, cols] += G[n, o, i, j] * W[o]
        db[o] += G[n, o, i, j]
    return crop(dXp, X.shape, padding), dW, db


def fold(dwin, shape, stride, dilation=1):
    """Add window gradients dwin (N, C, Ho, Wo, kh, kw) into an array of shape."""
    dX = np.zeros(shape)
    _, _, Ho, Wo, kh, kw = dwin.shape
    for u in range(kh):
        for v in range(kw):
            rows = slice(dilation * u, dilation * u + stride * Ho, stride)
            cols = slice(dilation * v, dilation * v + stride * Wo, stride)
            dX[:, :, rows, cols] += dwin[..., u, v]
    return dX


def conv2d_backward(G, X, W, stride=1, padding=0, dilation=1):
    """(conv-grad) with im2col: returns dX, dW, db for upstream gradient G = dL/dY."""
    Xp, (C_out, C_in, kh, kw), (N, _, Ho, Wo) = pad(X, padding), W.shape, G.shape
    check_conv_args(Xp, W, stride, dilation)
    Gm = G.transpose(0, 2, 3, 1).reshape(-1, C_out)  # (N * Ho * Wo, C_out)
    dW = (Gm.T @ im2col(Xp, kh, kw, stride, dilation)).reshape(W.shape)
    dcols = (Gm @ W.reshape(C_out, -1)).reshape(N, Ho, Wo, C_in, kh, kw)
    dXp = fold(dcols.transpose(0, 3, 1, 2, 4, 5), Xp.shape, stride, dilation)
    return crop(dXp, X.shape, padding), dW, Gm.sum(axis=0)


def check_pool_args(X, k, stride, mode):
    """Raise ValueError unless mode is known, k and stride >= 1 and k fits in X."""
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    for name, value in [("k", k), ("stride", stride)]:
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if k > min(X.shape[2:]):
        raise ValueError(f"k: window {k} larger than input {X.shape[2:]}")


def pool2d_loops(X, k, stride=None, mode="max"):
    """(conv-pool) with loops. X (N, C, H, W); stride defaults to k."""
    s = k if stride is None else stride
    check_pool_args(X, k, s, mode)
    N, C, H, Wd = X.shape
    Y = np.zeros((N, C, out_size(H, k, 0, s), out_size(Wd, k, 0, s)))
    for n, c, i, j in np.ndindex(Y.shape):
        window = X[n, c, i * s : i * s + k, j * s : j * s + k]
        Y[n, c, i, j] = window.max() if mode == "max" else window.mean()
    return Y


def pool2d_backward_loops(G, X, k, stride=None, mode="max"):
    """(conv-pool-grad) with loops: dX for upstream gradient G = dL/dY."""
    s, dX = k if stride is None else stride, np.zeros_like(X)
    check_pool_args(X, k, s, mode)
    for n, c, i, j in np.ndindex(G.shape):
        window = X[n, c, i * s : i * s + k, j * s : j * s + k]
        if mode == "max":
            u, v = np.unravel_index(np.argmax(window), window.shape)
            dX[n, c, i * s + u, j * s + v] += G[n, c, i, j]
        else:
            dX[n, c, i * s : i * s + k, j * s : j * s + k] += G[n, c, i, j] / k**2
    return dX


def pool2d(X, k, stride=None, mode="max"):
    """(conv-pool), vectorised. X (N, C, H, W); stride defaults to k."""
    s = k if stride is None else stride
    check_pool_args(X, k, s, mode)
    win = windows(X, k, k, s)  # (N, C, Ho, Wo, k, k)
    return win.max(axis=(4, 5)) if mode == "max" else win.mean(axis=(4, 5))


def pool2d_backward(G, X, k, stride=None, mode="max"):
    """(conv-pool-grad), vectorised: dX for upstream gradient G = dL/dY."""
    s = k if stride is None else stride
    check_pool_args(X, k, s, mode)
    if mode == "max":
        win = windows(X, k, k, s).reshape(*G.shape, k * k)
        first_max = np.argmax(win, axis=-1)[..., None] == np.arange(k * k)
        dwin = (G[..., None] * first_max).reshape(*G.shape, k, k)
    else:
        dwin = np.broadcast_to(G[..., None, None] / k**2, (*G.shape, k, k))
    return fold(dwin, X.shape, s)
