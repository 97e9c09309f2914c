"""NumPy from scratch: the stable activations, losses and gradient descent of part 2.

Each function here is written out in full, and explained, in the chapter that teaches it;
later chapters import it from here. ``tests/test_book.py`` checks that the chapter's cell
and this module agree, line for line, so the book and the library cannot drift apart.

- 02_concepts/neurons_and_networks: :func:`relu`;
- 02_concepts/activations: :func:`sigmoid`, :func:`softmax`;
- 02_concepts/losses: :func:`bce_logits`, :func:`logsumexp_stable`, :func:`ce_logits`;
- 02_concepts/gradient_descent: :func:`gradient_descent`;
- 02_concepts/backpropagation: :func:`log_softmax`.

All of them compute in log space or on shifted inputs, so none overflows for large
logits; ``tests/test_scratch.py`` checks them against PyTorch.
"""

from __future__ import annotations

import numpy as np


def sigmoid(x):
    """The logistic function 1 / (1 + e^-x), entrywise, without overflow."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def relu(x):
    """max(x, 0), entrywise."""
    return np.maximum(x, 0)


def softmax(z):
    """Softmax along the last axis; z has shape (k,) or (n, k)."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # every exponent <= 0
    return e / e.sum(axis=-1, keepdims=True)


def bce_logits(z, y):
    """Binary cross-entropy of each logit z with its label y in {0, 1}, stably."""
    z, y = np.asarray(z), np.asarray(y)
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))  # (n,)


def logsumexp_stable(Z):
    """log(sum(exp(Z), axis=1)) for Z of shape (n, K), without overflow."""
    Z = np.asarray(Z)
    m = Z.max(axis=1, keepdims=True)  # (n, 1) largest logit of each row
    return m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))  # (n,)


def ce_logits(Z, y):
    """Cross-entropy of each row of logits Z (n, K) with its class y[i], stably."""
    Z, y = np.asarray(Z), np.asarray(y)
    if y.shape != Z.shape[:1] or np.any((y < 0) | (y >= Z.shape[-1])):
        raise ValueError(f"y must be {len(Z)} class indices in [0, {Z.shape[-1]})")
    return logsumexp_stable(Z) - Z[np.arange(len(y)), y]  # (n,)


def gradient_descent(grad, w0, lr, num_steps, max_norm=1e6):
    """Iterate w <- w - lr * grad(w); return the path, shape (steps + 1, *w0.shape)."""
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(num_steps):
        w = w - lr * grad(w)
        path.append(w)
        if not np.linalg.norm(w) < max_norm:  # diverged: stop before overflow
            break
    return np.array(path)


def log_softmax(z):
    """Row-wise log of the softmax of z, shape (n, K), computed stably."""
    z = np.asarray(z)
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
