"""The vanilla RNN cell in NumPy, as written out in chapters/03_algorithms/rnn_cells.

A tests/test_book.py check keeps these functions equal to the chapter's cell; later
chapters (rnn_training) import them from here.
"""

from __future__ import annotations

import numpy as np


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
