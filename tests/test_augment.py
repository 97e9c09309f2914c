"""helpers.augment.shift_images: one-pixel shifts, one per image, without wrap-around."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.augment import shift_images

SHIFTS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def images(n=5, h=4, w=6, c=None, seed=0):
    shape = (n, h, w) if c is None else (n, h, w, c)
    return np.random.default_rng(seed).integers(1, 10, size=shape).astype(np.float32)


def shifted_by_hand(img, dy, dx):
    """The definition (cnn-shift), pixel by pixel."""
    out = np.zeros_like(img)
    h, w = img.shape[:2]
    for i in range(h):
        for j in range(w):
            if 0 <= i - dy < h and 0 <= j - dx < w:
                out[i, j] = img[i - dy, j - dx]
    return out


@pytest.mark.parametrize("channels", [None, 3])
@pytest.mark.parametrize(("dy", "dx"), SHIFTS)
def test_one_shift_for_all_images_is_the_definition(dy, dx, channels):
    X = images(c=channels)
    out = shift_images(X, dy, dx)
    assert out.shape == X.shape and out.dtype == X.dtype
    for k in range(len(X)):
        np.testing.assert_array_equal(out[k], shifted_by_hand(X[k], dy, dx))


def test_a_shift_per_image():
    X = images(n=9)
    dy, dx = np.array(SHIFTS).T
    out = shift_images(X, dy, dx)
    for k, (a, b) in enumerate(SHIFTS):
        np.testing.assert_array_equal(out[k], shifted_by_hand(X[k], a, b))


def test_shifting_back_restores_all_but_the_lost_border():
    X = images()
    back = shift_images(shift_images(X, 1, -1), -1, 1)
    np.testing.assert_array_equal(back[:, :-1, 1:], X[:, :-1, 1:])
    assert not back[:, -1].any() and not back[:, :, 0].any()


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="X must have shape"):
        shift_images(np.zeros((4, 8)), 0, 1)
    with pytest.raises(ValueError, match="dy and dx must be -1, 0 or 1"):
        shift_images(images(), 2, 0)
    with pytest.raises(ValueError, match="dy and dx must be -1, 0 or 1"):
        shift_images(images(n=2), 0, np.array([0, -2]))
