"""helpers.porting: a PyTorch nn.Sequential CNN's weights, copied into Keras."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from helpers.porting import torch_to_keras_weights  # noqa: E402

SHAPE = (3, 10, 12)  # (C, H, W): several channels and a non-square image, so order matters


def torch_cnn(batchnorm, seed=0):
    """conv + (BN) + pool + conv + pool + flatten + linear + linear, float64, eval mode."""
    torch.manual_seed(seed)
    bn = [nn.BatchNorm2d(4)] if batchnorm else []
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        *bn,
        nn.ReLU(),
        nn.MaxPool2d(2),  # (4, 5, 6)
        nn.Conv2d(4, 5, 3),  # (5, 3, 4)
        nn.Tanh(),
        nn.Flatten(),
        nn.Linear(60, 7),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(7, 3),
    ).double()
    if batchnorm:  # statistics and affine parameters far from their defaults
        gen = torch.Generator().manual_seed(seed + 1)
        with torch.no_grad():
            for v in (bn[0].weight, bn[0].bias, bn[0].running_mean):
                v.copy_(torch.randn(4, generator=gen, dtype=torch.float64))
            bn[0].running_var.copy_(0.5 + torch.rand(4, generator=gen, dtype=torch.float64))
    return net.eval()


def keras_cnn(batchnorm):
    keras = pytest.importorskip("keras")
    L = keras.layers
    f64 = dict(dtype="float64")
    bn = [L.BatchNormalization(epsilon=1e-5, **f64)] if batchnorm else []
    return keras.Sequential(
        [
            keras.Input((10, 12, 3), dtype="float64"),
            L.Conv2D(4, 3, padding="same", **f64),
            *bn,
            L.ReLU(**f64),
            L.MaxPooling2D(2, **f64),
            L.Conv2D(5, 3, activation="tanh", **f64),
            L.Flatten(**f64),
            L.Dense(7, activation="relu", **f64),
            L.Dropout(0.5, **f64),
            L.Dense(3, **f64),
        ]
    )


def outputs(net, model, seed=0):
    x = np.random.default_rng(seed).normal(size=(16, *SHAPE))  # (n, C, H, W)
    with torch.no_grad():
        out_torch = net(torch.from_numpy(x)).numpy()
    # model(...) rather than model.predict(...), which casts float64 arrays to float32
    return out_torch, np.asarray(model(x.transpose(0, 2, 3, 1), training=False))


@pytest.mark.parametrize("batchnorm", [False, True])
def test_keras_copy_computes_what_the_torch_network_computes(batchnorm):
    net, model = torch_cnn(batchnorm), keras_cnn(batchnorm)
    model.set_weights(torch_to_keras_weights(net, SHAPE))
    out_torch, out_keras = outputs(net, model)
    assert out_torch.shape == out_keras.shape == (16, 3)
    assert np.abs(out_keras - out_torch).max() < 1e-10


def test_without_the_flatten_reorder_the_copy_would_differ():
    """The check above is not blind: a plain transpose of every weight misses."""
    net, model = torch_cnn(False), keras_cnn(False)
    naive = [
        w.transpose(2, 3, 1, 0) if w.ndim == 4 else w.T
        for w in (p.detach().numpy() for p in net.parameters())
    ]
    model.set_weights(naive)
    out_torch, out_keras = outputs(net, model)
    assert np.abs(out_keras - out_torch).max() > 1e-3


def test_global_pooling_batchnorm1d_after_flatten_and_missing_biases():
    keras = pytest.importorskip("keras")
    L, f64 = keras.layers, dict(dtype="float64")
    torch.manual_seed(1)
    net = nn.Sequential(
        nn.Conv2d(3, 2, 3, padding=1, bias=False),
        nn.BatchNorm2d(2, affine=False),
        nn.AvgPool2d(2),  # (2, 5, 6)
        nn.Flatten(),
        nn.BatchNorm1d(60),  # reads the flattened map: its vectors are reordered too
        nn.Linear(60, 4),
    ).double()
    with torch.no_grad():
        net[4].running_mean.normal_()
        net[4].weight.normal_()
    net.eval()
    model = keras.Sequential(
        [
            keras.Input((10, 12, 3), dtype="float64"),
            L.Conv2D(2, 3, padding="same", use_bias=False, **f64),
            L.BatchNormalization(epsilon=1e-5, center=False, scale=False, **f64),
            L.AveragePooling2D(2, **f64),
            L.Flatten(**f64),
            L.BatchNormalization(epsilon=1e-5, **f64),
            L.Dense(4, **f64),
        ]
    )
    model.set_weights(torch_to_keras_weights(net, SHAPE))
    out_torch, out_keras = outputs(net, model)
    assert np.abs(out_keras - out_torch).max() < 1e-10


def test_adaptive_pooling_to_one_pixel_needs_no_reorder():
    net = nn.Sequential(
        nn.Conv2d(3, 6, 5, padding=2), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(6, 2)
    )
    kernel, bias, w, b = torch_to_keras_weights(net, SHAPE)
    assert kernel.shape == (5, 5, 3, 6) and bias.shape == (6,)
    assert np.array_equal(w, net[3].weight.detach().numpy().T) and b.shape == (2,)


def test_the_network_is_left_as_it_was():
    net = torch_cnn(True).train()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    rng_state = torch.get_rng_state()
    torch_to_keras_weights(net, SHAPE)
    assert net.training and torch.equal(torch.get_rng_state(), rng_state)
    assert all(torch.equal(v, before[k]) for k, v in net.state_dict().items())


@pytest.mark.parametrize(
    ("input_shape", "error", "match"),
    [
        ([3, 10], TypeError, "input_shape"),
        ("3x10x12", TypeError, "input_shape"),
        ((3, 10.0, 12), TypeError, "input_shape"),
        ((3, 0, 12), ValueError, "input_shape"),
        ((1, 10, 12), ValueError, r"input_shape does not fit net\[0\]"),  # channels
        ((3, 4, 4), ValueError, r"input_shape is too small for net\[4\]"),
        ((3, 10, 14), ValueError, r"input_shape does not fit net\[7\]"),  # features
    ],
)
def test_a_bad_input_shape_is_rejected_by_name(input_shape, error, match):
    with pytest.raises(error, match=match):
        torch_to_keras_weights(torch_cnn(True), input_shape)


@pytest.mark.parametrize(
    ("net", "error", "match"),
    [
        (nn.Linear(3, 2), TypeError, "net must be a torch.nn.Sequential"),
        (nn.Sequential(nn.Conv2d(3, 2, 3), nn.LSTM(2, 2)), TypeError, r"net\[1\] is a LSTM"),
        (nn.Sequential(nn.Sequential(nn.Conv2d(3, 2, 3))), TypeError, r"net\[0\]"),
        (nn.Sequential(nn.Conv2d(3, 3, 3, groups=3)), ValueError, "groups=1"),
        (nn.Sequential(nn.Conv2d(3, 2, 3, padding_mode="circular")), ValueError, "net"),
        (nn.Sequential(nn.BatchNorm2d(3, track_running_stats=False)), ValueError, "net"),
        (nn.Sequential(nn.Flatten(0)), ValueError, "Flatten"),
        (nn.Sequential(nn.Linear(12, 2)), ValueError, "Flatten first"),
    ],
)
def test_an_unsupported_layer_is_rejected_naming_it(net, error, match):
    with pytest.raises(error, match=match):
        torch_to_keras_weights(net, SHAPE)
