"""helpers.cnn: the digits CNN in both frameworks, and its Adam + cosine training loop."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from helpers.cnn import (  # noqa: E402
    evaluate,
    fit_cosine,
    small_cnn_keras,
    small_cnn_torch,
    to_torch,
    train_epoch,
)


def count(net):
    return sum(p.numel() for p in net.parameters())


def digits_like(n=20, side=8, seed=0):
    gen = np.random.default_rng(seed)
    X = gen.random((n, side, side, 1)).astype(np.float32)  # NHWC, as Keras wants
    return X, gen.integers(0, 10, size=n)


@pytest.mark.parametrize(("side", "params"), [(8, 53_002), (28, 421_642), (10, 53_002)])
def test_torch_network_has_the_counted_parameters_for_any_image_side(side, params):
    net = small_cnn_torch(image_size=side)
    assert count(net) == params
    X, _ = digits_like(n=3, side=side)
    assert net(to_torch(X, np.zeros(3, int), "cpu")[0]).shape == (3, 10)


def test_torch_network_starts_like_keras_glorot_weights_and_zero_biases():
    net = small_cnn_torch()
    layers = [m for m in net if isinstance(m, nn.Conv2d | nn.Linear)]
    assert len(layers) == 4
    for layer in layers:
        assert torch.all(layer.bias == 0)
        fan_in = layer.weight[0].numel()
        fan_out = layer.weight.shape[0] * layer.weight[0, 0].numel()
        bound = np.sqrt(6 / (fan_in + fan_out))
        assert layer.weight.abs().max().item() <= bound


@pytest.mark.parametrize(("value", "error"), [(3, ValueError), (8.0, TypeError)])
def test_torch_network_rejects_a_bad_image_size(value, error):
    with pytest.raises(error, match="image_size"):
        small_cnn_torch(image_size=value)


def test_keras_network_counts_like_torch_and_rejects_an_unknown_padding():
    pytest.importorskip("keras")
    assert small_cnn_keras().count_params() == count(small_cnn_torch()) == 53_002
    big = small_cnn_keras(input_shape=(28, 28, 1))
    assert big.count_params() == count(small_cnn_torch(28)) == 421_642
    with pytest.raises(ValueError, match="padding"):
        small_cnn_keras(padding="full")


def test_to_torch_gives_nchw_tensors_with_the_same_pixels():
    X, y = digits_like(n=4)
    Xt, yt = to_torch(X, y, "cpu")
    assert Xt.shape == (4, 1, 8, 8) and Xt.is_contiguous()
    np.testing.assert_array_equal(Xt.numpy()[:, 0], X[..., 0])
    np.testing.assert_array_equal(yt.numpy(), y)


def test_an_epoch_at_rate_zero_reports_the_loss_of_the_whole_set_when_batches_are_uneven():
    X, y = to_torch(*digits_like(n=20), "cpu")
    torch.manual_seed(1)
    net = small_cnn_torch()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.0)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=3)
    loss, acc = train_epoch(net, optimizer, scheduler, X, y, batch_size=7)  # 7 + 7 + 6
    with torch.no_grad():
        logits = net(X)
    assert loss == pytest.approx(nn.functional.cross_entropy(logits, y).item(), rel=1e-5)
    assert acc == pytest.approx((logits.argmax(dim=1) == y).float().mean().item())
    assert (loss, acc) == pytest.approx(evaluate(net, X, y), rel=1e-5)


def test_fit_cosine_learns_an_easy_task_and_keeps_keras_history_keys():
    y = np.arange(30) % 10
    X = np.zeros((30, 8, 8, 1), np.float32)
    X[np.arange(30), 2 * (y // 4), 2 * (y % 4)] = 1.0  # class k: one bright pixel
    X, y = to_torch(X, y, "cpu")
    torch.manual_seed(2)
    net = small_cnn_torch()
    before = evaluate(net, X, y)[0]
    history = fit_cosine(net, X, y, (X, y), num_epochs=10, batch_size=8, lr0=1e-2)
    assert list(history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(values) == 10 for values in history.values())
    assert history["val_loss"][-1] < before / 4 and history["val_accuracy"][-1] == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"num_epochs": 0}, ValueError, "num_epochs"),
        ({"batch_size": 1.5}, TypeError, "batch_size"),
        ({"lr0": 0.0}, ValueError, "lr0"),
    ],
)
def test_fit_cosine_rejects_bad_settings_by_name(kwargs, error, name):
    X, y = to_torch(*digits_like(n=4), "cpu")
    settings = {"num_epochs": 1, "batch_size": 2, "lr0": 1e-3, **kwargs}
    with pytest.raises(error, match=name):
        fit_cosine(small_cnn_torch(), X, y, (X, y), **settings)
