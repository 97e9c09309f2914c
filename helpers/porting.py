"""Copy a trained PyTorch CNN into Keras: :func:`torch_to_keras_weights`.

The two frameworks store the same network in different layouts. The book explains them
where they first appear: the convolution kernel, PyTorch's (out, in, kh, kw) against
Keras's (kh, kw, in, out), in ``03_algorithms/convolution`` (section on Keras's
``Conv2D``); the order in which ``Flatten`` reads a feature map, PyTorch's
(channel, row, column) against Keras's (row, column, channel), in ``03_algorithms/cnn``
(which converts the other way, Keras to PyTorch) and ``05_applications/images_and_text``.
Chapters that only need the conversion (speech, driving, interpretability) import it
from here. PyTorch is imported inside the functions: importing ``helpers`` needs neither
framework.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import check_int

# Layers without parameters that keep the shape of what they are given.
_SHAPE_KEEPING = (
    "ReLU",
    "LeakyReLU",
    "ELU",
    "GELU",
    "SiLU",
    "Sigmoid",
    "Tanh",
    "Identity",
    "Dropout",
    "Dropout2d",
)
_POOLING = (
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveMaxPool2d",
    "AdaptiveAvgPool2d",
)
_SUPPORTED = ("Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "Flatten")
_SUPPORTED += _SHAPE_KEEPING + _POOLING


def torch_to_keras_weights(net, input_shape) -> list[np.ndarray]:
    """The parameters of ``net`` in the layouts and order of ``keras_model.set_weights``.

    Parameters
    ----------
    net : torch.nn.Sequential
        Layers ``Conv2d``, ``Linear``, ``BatchNorm2d``/``BatchNorm1d`` (in eval mode, its
        running statistics), ``Flatten``, pooling (``MaxPool2d``, ``AvgPool2d``, their
        adaptive versions) and parameter-free activations or dropout.
    input_shape : tuple of int
        One input as PyTorch sees it: (C, H, W) for an image, (d,) for a vector.

    Returns
    -------
    list of numpy.ndarray
        For each layer with weights, in order: ``Conv2d`` kernel (kh, kw, in, out) and
        bias (out,); ``Linear`` weight transposed, (in, out), and bias; ``BatchNorm``
        gamma, beta, running mean and variance (Keras ``BatchNormalization`` must use
        PyTorch's ``epsilon=1e-5``). Where a layer reads a flattened feature map, its
        inputs (the rows of a ``Linear`` weight, a ``BatchNorm1d``'s vectors) are put
        from PyTorch's (C, H, W) order into Keras's (H, W, C). Missing biases and affine
        parameters are left out, as Keras's ``use_bias=False``, ``center=False`` and
        ``scale=False`` leave them out.
    """
    shape = _check_input_shape(input_shape)
    weights, flattened_from = [], None  # the (C, H, W) that a Flatten made a vector of
    for i, layer in enumerate(_check_net(net)):
        kind, next_shape = type(layer).__name__, _next_shape(layer, shape, i)
        weights += _layer_weights(layer, flattened_from)
        if kind == "Flatten":
            flattened_from = shape if len(shape) == 3 else None
        elif kind == "Linear":
            flattened_from = None
        shape = next_shape
    return weights


def _check_input_shape(input_shape) -> tuple[int, ...]:
    if not isinstance(input_shape, tuple | list) or len(input_shape) not in (1, 3):
        raise TypeError(
            f"input_shape must be a tuple (C, H, W) or (d,) of ints, got {input_shape!r}"
        )
    return tuple(check_int("input_shape", n, low=1) for n in input_shape)


def _check_net(net) -> list:
    from torch import nn

    if not isinstance(net, nn.Sequential):
        raise TypeError(f"net must be a torch.nn.Sequential, got {type(net).__name__}")
    for i, layer in enumerate(net):
        kind = type(layer).__name__
        if kind not in _SUPPORTED or not type(layer).__module__.startswith("torch.nn"):
            raise TypeError(f"net[{i}] is a {kind}; supported layers: {', '.join(_SUPPORTED)}")
        if kind == "Conv2d" and (layer.groups != 1 or layer.padding_mode != "zeros"):
            raise ValueError(f"net[{i}]: only Conv2d with groups=1 and zero padding")
        if kind.startswith("BatchNorm") and not layer.track_running_stats:
            raise ValueError(f"net[{i}]: only BatchNorm with running statistics")
        if kind == "Flatten" and (layer.start_dim, layer.end_dim) != (1, -1):
            raise ValueError(f"net[{i}]: only Flatten(start_dim=1, end_dim=-1)")
    return list(net)


def _numpy(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().copy()


def _hwc(a: np.ndarray, flattened_from) -> np.ndarray:
    """Rows of a (C*H*W, ...) in Keras's (H, W, C) order, if a flattened map feeds them."""
    if flattened_from is None:
        return a
    chw = a.reshape(*flattened_from, *a.shape[1:])
    return chw.transpose(1, 2, 0, *range(3, chw.ndim)).reshape(a.shape)


def _layer_weights(layer, flattened_from) -> list[np.ndarray]:
    """The Keras weights of one layer; flattened_from is (C, H, W) or None."""
    kind = type(layer).__name__
    if kind == "Conv2d":
        found = [_numpy(layer.weight).transpose(2, 3, 1, 0)]  # (kh, kw, in, out)
    elif kind == "Linear":
        found = [_hwc(_numpy(layer.weight).T, flattened_from)]  # (in, out)
    elif kind.startswith("BatchNorm"):
        found = [layer.weight, layer.bias] if layer.affine else []
        found += [layer.running_mean, layer.running_var]
        return [_hwc(_numpy(v), flattened_from) for v in found]
    else:
        return []
    return found + ([_numpy(layer.bias)] if layer.bias is not None else [])


# What a layer needs of the shape it gets: its number of dimensions and the attribute
# that must equal its first entry (channels or features).
_NEEDS = {
    "Conv2d": (3, "in_channels"),
    "BatchNorm2d": (3, "num_features"),
    "BatchNorm1d": (1, "num_features"),
    "Linear": (1, "in_features"),
    **{kind: (3, None) for kind in _POOLING},
}


def _next_shape(layer, shape: tuple[int, ...], i: int) -> tuple[int, ...]:
    """The shape of one input after ``layer`` (net[i]), computed on the meta device."""
    import torch

    kind = type(layer).__name__
    ndim, attr = _NEEDS.get(kind, (len(shape), None))
    if kind == "Linear" and len(shape) != 1:
        raise ValueError(f"net[{i}] is a Linear on a feature map {shape}: Flatten first")
    if len(shape) != ndim or (attr and shape[0] != getattr(layer, attr)):
        raise ValueError(f"input_shape does not fit net[{i}] ({kind}), given {shape}")
    if kind not in ("Conv2d", "Flatten", *_POOLING):
        return (layer.out_features,) if kind == "Linear" else shape
    x = torch.empty(1, *shape, device="meta")
    try:
        if kind == "Conv2d":
            w = torch.empty(layer.weight.shape, device="meta")
            args = (layer.stride, layer.padding, layer.dilation)
            x = torch.nn.functional.conv2d(x, w, None, *args)
        else:
            x = layer(x)
    except RuntimeError as err:
        raise ValueError(f"input_shape is too small for net[{i}] ({kind}): {err}") from None
    if min(x.shape) < 1:
        raise ValueError(f"input_shape is too small for net[{i}] ({kind}), given {shape}")
    return tuple(x.shape[1:])
