"""The digits MLP of part 4's regularisation chapters and its mini-batch trainer, in PyTorch.

Each function here is written out in full, and explained, in
04_practice/regularisation; 04_practice/early_stopping_and_augmentation imports them
from here. ``tests/test_book.py`` checks that the chapter's cells and this module agree,
line for line; ``tests/test_mlp_training.py`` tests them.

- :func:`make_mlp` and :func:`new_mlp`: 64 -> width -> width -> 10 with ReLU and
  dropout p, the second initialised from a seed;
- :func:`evaluate`: mean cross-entropy and accuracy on a data set, in evaluation mode,
  on the network's own device;
- :func:`check_fit_args` and :func:`fit`: SGD with momentum on shuffled mini-batches,
  an optional per-epoch ``transform`` (augmentation), the history of every epoch and
  the best epoch's weights. Everything ``fit`` uses comes in as an argument.

``fit`` draws from two streams seeded with ``seed``: PyTorch's global generator
(dropout masks) and ``numpy.random.default_rng(seed)`` (each epoch the transform, then
the order of the examples). A batch size that does not divide the number of training
examples leaves a smaller last batch, as PyTorch's ``DataLoader`` does by default.

PyTorch is imported inside the functions that use it (the package needs NumPy only). Bad
arguments raise ``ValueError`` or ``TypeError`` naming the argument.
"""

from __future__ import annotations

import copy

import numpy as np

from helpers._validate import check_float, check_int
from helpers.device import torch_device
from helpers.training import train_one_epoch


def make_mlp(p=0.0, width=256, device=None):
    """64 -> width -> width -> 10 with ReLU, and dropout p after each hidden layer."""
    from torch import nn  # here, so that helpers.mlp_training imports without PyTorch

    return nn.Sequential(
        nn.Linear(64, width),
        nn.ReLU(),
        nn.Dropout(p),
        nn.Linear(width, width),
        nn.ReLU(),
        nn.Dropout(p),
        nn.Linear(width, 10),
    ).to(torch_device() if device is None else device)


def new_mlp(p=0.0, *, seed, width=256, device=None):
    """make_mlp(p, width, device), its initial weights drawn from seed."""
    import torch

    torch.manual_seed(seed)  # same initial weights for every run with this seed
    return make_mlp(p, width, device)


def evaluate(net, X, y):
    """Mean cross-entropy and accuracy of net on (X, y), in evaluation mode."""
    import torch

    device = next(net.parameters()).device  # the data goes where the network is
    X, y = torch.as_tensor(X, device=device), torch.as_tensor(y, device=device)
    net.eval()
    with torch.no_grad():
        logits = net(X)
        loss = torch.nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, acc


def check_fit_args(train, val, seed, transform, num_epochs, batch_size, lr, decay):
    """Raise ValueError/TypeError naming a bad argument of fit; return len(train[0])."""
    for name, data in [("train", train), ("val", val)]:
        if not isinstance(data, tuple | list) or len(data) != 2:
            raise TypeError(f"{name} must be a pair (X, y), got {type(data).__name__}")
        if len(data[0]) != len(data[1]) or len(data[0]) == 0:
            raise ValueError(f"{name}: X and y need the same length >= 1")
    if transform is not None and not callable(transform):
        raise TypeError("transform must be None or a function (X, rng) -> X")
    n = len(train[0])
    check_int("seed", seed, low=0)
    check_int("num_epochs", num_epochs, low=1)
    check_int("batch_size", batch_size, low=1, high=n)
    check_float("lr", lr, low=0, low_open=True)
    check_float("weight_decay", decay, low=0)
    return n


def fit(
    net,
    train,
    val,
    *,
    seed,
    weight_decay=0.0,
    transform=None,
    num_epochs=100,
    batch_size=50,
    lr=0.05,
):
    """Train net on train = (X, y) with SGD + momentum; return the history of every
    epoch (loss and accuracy on train and val) and the best epoch (lowest val loss),
    with a copy of its weights. A last batch may be smaller, as in a DataLoader."""
    import torch

    args = (seed, transform, num_epochs, batch_size, lr, weight_decay)
    n = check_fit_args(train, val, *args)
    (X_train, y_train), device = train, next(net.parameters()).device
    torch.manual_seed(seed)  # dropout masks
    data_rng = np.random.default_rng(seed)  # augmentation, then shuffling
    optimizer = torch.optim.SGD(
        net.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay
    )
    history = {key: [] for key in ("train loss", "train acc", "val loss", "val acc")}
    best = {"val loss": np.inf}
    for epoch in range(num_epochs):
        X_epoch = X_train if transform is None else transform(X_train, data_rng)
        X_t, y_t = (torch.as_tensor(a, device=device) for a in (X_epoch, y_train))
        order = data_rng.permutation(n)  # then split: the last batch may be smaller
        batches = [
            (X_t[i], y_t[i]) for i in np.split(order, range(batch_size, n, batch_size))
        ]
        train_one_epoch(net, optimizer, batches, torch.nn.functional.cross_entropy)
        for part, (X, y) in [("train", (X_train, y_train)), ("val", val)]:
            loss, acc = evaluate(net, X, y)
            history[f"{part} loss"].append(loss)
            history[f"{part} acc"].append(acc)
        if history["val loss"][-1] < best["val loss"]:
            state = copy.deepcopy(net.state_dict())
            best = {"epoch": epoch, "val loss": history["val loss"][-1], "state": state}
    return history, best
