"""Classification metrics, from scratch in NumPy, as the book teaches them.

- :func:`accuracy`, written out in 01_background/what_is_deep_learning;
- :func:`confusion_matrix`, written out in 03_algorithms/cnn_analysis.

Later chapters import them from here; ``tests/test_book.py`` checks that the chapters'
cells and this module agree, line for line. Both take NumPy arrays (or anything
``np.asarray`` accepts; move a GPU tensor to the CPU first) of integer or boolean labels.
"""

from __future__ import annotations

import numpy as np


def accuracy(y_true, y_pred):
    """The fraction of predictions equal to the true labels; both of shape (n,)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        shapes = f"{y_true.shape} and {y_pred.shape}"
        raise ValueError(f"y_true and y_pred must both have shape (n,), got {shapes}")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, num_classes):
    """C[j, k] = number of examples of true class j predicted as k; shape (K, K)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        shapes = f"{y_true.shape} and {y_pred.shape}"
        raise ValueError(f"y_true and y_pred must both have shape (n,), got {shapes}")
    for name, y in [("y_true", y_true), ("y_pred", y_pred)]:
        if np.any((y < 0) | (y >= num_classes)):
            raise ValueError(f"{name} must hold class indices in [0, {num_classes})")
    codes = num_classes * y_true + y_pred  # (n,) in [0, K*K)
    return np.bincount(codes, minlength=num_classes**2).reshape(num_classes, -1)
