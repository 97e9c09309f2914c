"""The RNN, LSTM and GRU cells in NumPy, as written out in chapters/03_algorithms/rnn_cells.

A tests/test_book.py check keeps these functions equal to the chapter's cells; later
chapters (rnn_layers_in_frameworks, rnn_training) import them from here.
"""

from __future__ import annotations

import numpy as np

from helpers.scratch import sigmoid


def uniform(shape, scale, rng):
    """Uniform on [-scale, scale]; PyTorch draws with scale 1 / sqrt(H)."""
    return rng.uniform(-scale, scale, shape)


def rnn_step(x, state, p):
    """One step of (rnn-rnn); x (N, D), state = (h,) with h (N, H)."""
    (h,) = state
    return (np.tanh(x @ p["W_x"].T + h @ p["W_h"].T + p["b"]),)


def run_cell(step, X, state, p):
    """Unroll step over X (N, T, D); return the hidden states (N, T, H), final state."""
    hs = []
    for t in range(X.shape[1]):
        state = step(X[:, t], state, p)
        hs.append(state[0])
    return np.stack(hs, axis=1), state


def init_gates(gates, D, H, rng, recurrent_bias=False):
    """Parameters W_x{k} (H, D), W_h{k} (H, H), b_{k} (H,) for each gate name k."""
    for name, n in [("D", D), ("H", H)]:
        if not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {n!r}")
    if len(gates) == 0 or len(set(gates)) != len(gates):
        raise ValueError(f"gates must be distinct gate names, got {gates!r}")
    p, scale = {}, 1 / np.sqrt(H)
    for k in gates:
        p[f"W_x{k}"] = uniform((H, D), scale, rng)
        p[f"W_h{k}"] = uniform((H, H), scale, rng)
        p[f"b_{k}"] = uniform(H, scale, rng)
        if recurrent_bias:  # a second bias, on the h side (the GRU needs it)
            p[f"b_h{k}"] = uniform(H, scale, rng)
    return p


def affine(x, h, p, k):
    """W_xk x + W_hk h + b_k for a batch: x (N, D), h (N, H) -> (N, H)."""
    return x @ p[f"W_x{k}"].T + h @ p[f"W_h{k}"].T + p[f"b_{k}"]


def lstm_step(x, state, p):
    """One LSTM step; state = (h, c), both (N, H)."""
    h, c = state
    i = sigmoid(affine(x, h, p, "i"))
    f = sigmoid(affine(x, h, p, "f"))
    g = np.tanh(affine(x, h, p, "g"))
    o = sigmoid(affine(x, h, p, "o"))
    c = f * c + i * g
    h = o * np.tanh(c)
    return h, c


def gru_step(x, state, p, reset_after=True):
    """One GRU step; state = (h,), h (N, H)."""
    (h,) = state
    r = sigmoid(affine(x, h, p, "r") + p["b_hr"])
    z = sigmoid(affine(x, h, p, "z") + p["b_hz"])
    if reset_after:  # (rnn-gru-after): PyTorch, Keras default
        n = np.tanh(x @ p["W_xn"].T + p["b_n"] + r * (h @ p["W_hn"].T + p["b_hn"]))
    else:  # (rnn-gru-before): Cho et al., Keras reset_after=False
        n = np.tanh(x @ p["W_xn"].T + p["b_n"] + (r * h) @ p["W_hn"].T + p["b_hn"])
    return ((1 - z) * n + z * h,)
