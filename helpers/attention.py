"""Attention in NumPy, as written out in chapters/03b_modern/attention.

A tests/test_book.py check keeps these functions equal to the chapter's cells; later
chapters (transformer_language_model) import them from here.

- :func:`attention`: scaled dot-product attention (attn-sdpa) with a boolean mask;
- :func:`mha`: multi-head attention (attn-mha), parameters in a dict of NumPy arrays;
- :func:`keras_mha_weights`: those parameters in the layout of Keras's MultiHeadAttention;
- :func:`block`: the pre-norm transformer block (attn-block).

Shapes that do not fit raise ``ValueError`` naming the argument.
"""

from __future__ import annotations

import numpy as np

from helpers.normalisation import layernorm
from helpers.scratch import relu, softmax


def attention(Q, K, V, keep=None):
    """Q (..., T, d), K (..., S, d), V (..., S, d_v); keep: bool, True = may attend.
    Returns the output (..., T, d_v) and the weights A (..., T, S)."""
    if K.shape[-1] != Q.shape[-1]:
        raise ValueError(f"K must have Q's last dimension {Q.shape[-1]}, got {K.shape}")
    if V.shape[-2] != K.shape[-2]:
        raise ValueError(f"V must have one row per key ({K.shape[-2]}), got {V.shape}")
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])  # (..., T, S)
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)  # the mask M
    A = softmax(scores)  # over the keys, the last axis
    return A @ V, A


def mha(X, Y, p, h, keep=None):
    """Multi-head attention; X (N, T, E) queries, Y (N, S, E) keys and values."""
    if X.shape[-1] % h:
        raise ValueError(f"h must divide the width E = {X.shape[-1]}, got h = {h}")

    def heads(Z, c):  # (N, L, E) -> (N, h, L, d_h)
        Z = Z @ p[f"W_{c}"].T + p[f"b_{c}"]
        return Z.reshape(Z.shape[0], Z.shape[1], h, -1).transpose(0, 2, 1, 3)

    out, _ = attention(heads(X, "q"), heads(Y, "k"), heads(Y, "v"), keep)
    out = out.transpose(0, 2, 1, 3).reshape(X.shape)  # concatenate the heads
    return out @ p["W_o"].T + p["b_o"]


def keras_mha_weights(p, h):
    """Our MHA parameters in the order and shapes of Keras's MultiHeadAttention."""
    E = p["W_q"].shape[0]
    if E % h:
        raise ValueError(f"h must divide the width E = {E}, got h = {h}")
    weights = []
    for c in "qkv":
        weights += [p[f"W_{c}"].T.reshape(E, h, -1), p[f"b_{c}"].reshape(h, -1)]
    return weights + [p["W_o"].T.reshape(h, -1, E), p["b_o"]]


def block(X, p, h, act=relu, keep=None):
    """The pre-norm transformer block; X (N, T, E)."""
    x = layernorm(X, p["gamma_1"], p["beta_1"], 1e-5)[0]
    Z = X + mha(x, x, p, h, keep)
    z = layernorm(Z, p["gamma_2"], p["beta_2"], 1e-5)[0]
    return Z + act(z @ p["W_1"].T + p["b_1"]) @ p["W_2"].T + p["b_2"]
