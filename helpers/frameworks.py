"""The digits MLP of 06_tools/frameworks in PyTorch and Keras, and its training loops.

- :func:`build_torch`, :func:`build_keras`: the 64-32-10 ReLU network of equation
  (fw-mlp), returning logits;
- :func:`fit_torch`, :func:`fit_keras`: mini-batch SGD with softmax cross-entropy on
  NumPy arrays held in memory, returning the mean training loss of each epoch.

``06_tools/frameworks`` writes each function out in full; ``06_tools/saving_and_exporting``
imports them to train the same models again before saving them. ``tests/test_book.py``
checks that the chapter's cells and this module agree. PyTorch and Keras are imported
inside the functions: importing ``helpers`` needs neither framework.
"""

from __future__ import annotations

from helpers._validate import check_float, check_int
from helpers.device import torch_device


def build_torch():
    """The 64-32-10 ReLU MLP in PyTorch, on the book's device."""
    from torch import nn

    net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return net.to(torch_device())


def fit_torch(net, X, y, lr, batch_size, num_epochs):
    """SGD on X (n, 64) and labels y (n,), NumPy; the mean loss of each epoch."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    lr = check_float("lr", lr, low=0.0, low_open=True)
    batch_size = check_int("batch_size", batch_size, low=1)
    num_epochs = check_int("num_epochs", num_epochs, low=1)
    device = next(net.parameters()).device
    data = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    loader = DataLoader(data, batch_size=batch_size, shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        total = 0.0
        for Xb, yb in loader:
            loss = loss_fn(net(Xb.to(device)), yb.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
        losses.append(total / len(y))
    return losses


def build_keras():
    """The same MLP as a Keras Sequential model; its last layer outputs logits."""
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(10),  # logits: the loss applies the softmax
        ]
    )


def fit_keras(model, X, y, lr, batch_size, num_epochs):
    """compile (SGD, cross-entropy on logits) and fit; the mean loss of each epoch."""
    import keras

    lr = check_float("lr", lr, low=0.0, low_open=True)
    batch_size = check_int("batch_size", batch_size, low=1)
    num_epochs = check_int("num_epochs", num_epochs, low=1)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(X, y, batch_size=batch_size, epochs=num_epochs, verbose=0)
    return history.history["loss"]
