"""helpers.frameworks: the digits MLP and its SGD loops in PyTorch and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.frameworks import build_keras, build_torch, fit_keras, fit_torch


def small_digits(seed: int = 0, n: int = 90) -> tuple[np.ndarray, np.ndarray]:
    """n random 64-pixel "images" whose label is the brightest of the first 10 pixels."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, 64)).astype(np.float32)
    return X, X[:, :10].argmax(axis=1).astype(np.int64)


def test_both_networks_map_64_pixels_to_10_logits_with_2410_parameters():
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    X, _ = small_digits()
    net, model = build_torch(), build_keras()
    with torch.no_grad():
        assert tuple(net(torch.from_numpy(X).to(next(net.parameters()).device)).shape) == (90, 10)
    assert tuple(keras.ops.convert_to_numpy(model(X)).shape) == (90, 10)
    assert sum(p.numel() for p in net.parameters()) == model.count_params() == 2410


def test_fit_torch_returns_one_falling_loss_per_epoch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    X, y = small_digits()
    losses = fit_torch(build_torch(), X, y, 0.5, 30, 8)
    assert len(losses) == 8 and losses[-1] < losses[0]


def test_fit_keras_returns_one_falling_loss_per_epoch():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    X, y = small_digits()
    losses = fit_keras(build_keras(), X, y, 0.5, 30, 8)
    assert len(losses) == 8 and losses[-1] < losses[0]


@pytest.mark.parametrize("fit", [fit_torch, fit_keras], ids=["torch", "keras"])
@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0.0, 30, 2), ValueError, "lr"),
        ((0.1, 0, 2), ValueError, "batch_size"),
        ((0.1, 30, 0), ValueError, "num_epochs"),
        ((0.1, 30.0, 2), TypeError, "batch_size"),
    ],
)
def test_bad_arguments_are_rejected_by_name(fit, args, error, name):
    pytest.importorskip("torch" if fit is fit_torch else "keras")
    X, y = small_digits()
    net = build_torch() if fit is fit_torch else build_keras()
    with pytest.raises(error, match=name):
        fit(net, X, y, *args)
