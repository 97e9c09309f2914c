"""Data augmentation for small images, as 03_algorithms/cnn_analysis teaches it.

- :func:`shift_images`: move each image by -1, 0 or 1 pixel in each direction, filling
  with zeros (equation ``cnn-shift``); the shift can differ from image to image.

``03_algorithms/cnn_analysis`` writes it out in full;
``04_practice/early_stopping_and_augmentation`` and ``05_applications/images_and_text``
import it and draw random shifts with it.
``tests/test_book.py`` checks that the chapter's cell and this module agree.
"""

from __future__ import annotations

import numpy as np


def shift_images(X, dy, dx):
    """Shift images X (n, h, w) or (n, h, w, c) by dy rows and dx columns (cnn-shift).

    dy and dx are each -1, 0 or 1: one value for all images, or one per image, shape
    (n,). Pixels shifted in from outside the image are zeros.
    """
    X = np.asarray(X)
    if X.ndim not in (3, 4):
        raise ValueError(f"X must have shape (n, h, w) or (n, h, w, c), got {X.shape}")
    n, h, w = X.shape[:3]
    dy, dx = np.broadcast_to(dy, (n,)), np.broadcast_to(dx, (n,))
    if not (np.isin(dy, (-1, 0, 1)).all() and np.isin(dx, (-1, 0, 1)).all()):
        raise ValueError("dy and dx must be -1, 0 or 1")
    pad = [(0, 0), (1, 1), (1, 1)] + [(0, 0)] * (X.ndim - 3)
    padded = np.pad(X, pad)  # (n, h + 2, w + 2[, c]): a border of zeros
    rows = 1 - dy[:, None] + np.arange(h)  # (n, h): padded row of output row i
    cols = 1 - dx[:, None] + np.arange(w)  # (n, w): padded column of output column j
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]
