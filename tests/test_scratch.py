"""helpers.scratch: the NumPy activations, losses and gradient descent, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.scratch import (
    bce_logits,
    ce_logits,
    gradient_descent,
    log_softmax,
    logsumexp_stable,
    relu,
    sigmoid,
    softmax,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Logits from ordinary to far beyond the float64 overflow point of exp (about 709).
BIG = np.array([-1e4, -800.0, -30.0, -1.5, 0.0, 1e-9, 2.0, 40.0, 800.0, 1e4])


def logits(shape, scale, seed=0):
    return np.random.default_rng(seed).normal(scale=scale, size=shape)


@pytest.mark.parametrize("scale", [1.0, 50.0, 1000.0])
def test_activations_equal_pytorch_and_stay_finite(scale):
    z = logits((6, 5), scale)
    t = torch.from_numpy(z)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(t).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(relu(z), torch.relu(t).numpy())
    np.testing.assert_allclose(softmax(z), torch.softmax(t, dim=-1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(log_softmax(z), F.log_softmax(t, dim=1).numpy(), rtol=1e-12)
    for out in (sigmoid(z), softmax(z), log_softmax(z)):
        assert np.isfinite(out).all()


def test_sigmoid_at_the_extremes_and_on_lists():
    with np.errstate(over="raise", invalid="raise"):  # no overflow, no nan
        s = sigmoid(BIG)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[4] == 0.5
    np.testing.assert_allclose(sigmoid([-2.0, 2.0]), [0.11920292202211755, 0.8807970779778823])
    np.testing.assert_allclose(softmax([0.0, 0.0]), [0.5, 0.5])
    np.testing.assert_allclose(softmax(np.zeros((2, 4))).sum(axis=1), 1.0)


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_losses_equal_pytorch(scale):
    z, Z = logits(40, scale, seed=1), logits((40, 7), scale, seed=2)
    rng = np.random.default_rng(3)
    y01, y = rng.integers(0, 2, 40).astype(float), rng.integers(0, 7, 40)
    expected_bce = F.binary_cross_entropy_with_logits(
        torch.from_numpy(z), torch.from_numpy(y01), reduction="none"
    ).numpy()
    np.testing.assert_allclose(bce_logits(z, y01), expected_bce, rtol=1e-12, atol=1e-12)
    expected_ce = F.cross_entropy(
        torch.from_numpy(Z), torch.from_numpy(y), reduction="none"
    ).numpy()
    np.testing.assert_allclose(ce_logits(Z, y), expected_ce, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        logsumexp_stable(Z), torch.logsumexp(torch.from_numpy(Z), dim=1).numpy(), rtol=1e-12
    )


def test_ce_logits_rejects_labels_that_are_not_class_indices():
    Z = np.zeros((3, 4))
    for y in ([0, 1, -1], [0, 1, 4], [0, 1]):
        with pytest.raises(ValueError, match="y must be 3 class indices in \\[0, 4\\)"):
            ce_logits(Z, y)


def test_gradient_descent_is_the_hand_written_iteration():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    grad = lambda w: A @ w - 1.0  # noqa: E731
    path = gradient_descent(grad, [1.0, -1.0], lr=0.1, num_steps=25)
    w = np.array([1.0, -1.0])
    assert path.shape == (26, 2)
    for k in range(25):
        np.testing.assert_array_equal(path[k], w)
        w = w - 0.1 * grad(w)
    np.testing.assert_array_equal(path[-1], w)


def test_gradient_descent_stops_when_the_iterate_diverges():
    path = gradient_descent(lambda w: 2 * w, 1.0, lr=2.0, num_steps=1000)  # w *= -3
    assert len(path) < 20 and not np.linalg.norm(path[-1]) < 1e6
    assert np.isfinite(path).all()
