"""Normalisation in NumPy, as written out in chapters/03b_modern/normalisation.

A tests/test_book.py check keeps these functions equal to the chapter's cells; later
chapters (attention) import them from here.
"""

from __future__ import annotations

import numpy as np


def normalise(x, axis, eps):
    # x_hat along `axis`, and 1/sqrt(var + eps) for the backward pass
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)  # biased: divides by the count
    inv_std = 1 / np.sqrt(var + eps)
    return (x - mu) * inv_std, inv_std


def layernorm(x, gamma, beta, eps):
    x_hat, inv_std = normalise(x, -1, eps)
    return gamma * x_hat + beta, (x_hat, inv_std)
