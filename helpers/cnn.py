"""The small convolutional network of 03_algorithms/cnn, in Keras and PyTorch.

- :func:`small_cnn_keras`: the articles' Conv-Pool-Conv-Pool-Flatten-Dense-Dense network;
- :func:`small_cnn_torch`: the same network in PyTorch, with Keras's initialisation;
- :func:`to_torch`: NHWC NumPy images and labels as NCHW tensors on a device;
- :func:`train_epoch`, :func:`evaluate`, :func:`fit_cosine`: the chapter's training loop,
  Adam with a cosine learning-rate schedule, on tensors held in memory.

``03_algorithms/cnn`` writes each function out in full; ``03_algorithms/cnn_analysis``
imports them to train the same networks again. ``tests/test_book.py`` checks that the
chapter's cells and this module agree. PyTorch and Keras are imported inside the
functions: importing ``helpers`` needs neither framework.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import check_choice, check_float, check_int


def small_cnn_keras(input_shape=(8, 8, 1), padding="same", dtype="float32"):
    """The articles' CNN: Conv-Pool-Conv-Pool-Flatten-Dense-Dense(softmax)."""
    import keras
    from keras import layers

    padding = check_choice("padding", padding, ("same", "valid"))
    conv = dict(kernel_size=3, padding=padding, activation="relu", dtype=dtype)
    return keras.Sequential(
        [
            keras.Input(input_shape, dtype=dtype),
            layers.Conv2D(32, name="conv1", **conv),
            layers.MaxPooling2D(2, dtype=dtype),
            layers.Conv2D(64, name="conv2", **conv),
            layers.MaxPooling2D(2, dtype=dtype),
            layers.Flatten(dtype=dtype),
            layers.Dense(128, activation="relu", name="dense1", dtype=dtype),
            layers.Dense(10, activation="softmax", name="dense2", dtype=dtype),
        ]
    )


def small_cnn_torch(image_size=8):
    """The same CNN in PyTorch, with Keras's initialisation (Glorot, zero bias)."""
    from torch import nn

    side = check_int("image_size", image_size, low=4) // 4  # after two 2x2 poolings
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * side * side, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )
    for layer in net:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return net


def to_torch(X, y, device):
    """NHWC NumPy images X (n, h, w, c) and labels y (n,) -> NCHW tensors on device."""
    import torch

    X = np.ascontiguousarray(np.asarray(X).transpose(0, 3, 1, 2))
    return torch.from_numpy(X).to(device), torch.from_numpy(np.asarray(y)).to(device)


def train_epoch(net, optimizer, scheduler, X, y, batch_size):
    """One pass over (X, y) in shuffled batches; returns mean loss and accuracy."""
    import torch
    from torch import nn

    net.train()
    order = torch.randperm(len(y), device=X.device)
    total_loss = total_correct = 0.0
    for i in range(0, len(y), batch_size):
        idx = order[i : i + batch_size]
        logits = net(X[idx])
        loss = nn.functional.cross_entropy(logits, y[idx])  # eq. (cnn-loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        total_loss += loss.item() * len(idx)
        total_correct += (logits.argmax(dim=1) == y[idx]).sum().item()
    return total_loss / len(y), total_correct / len(y)


def evaluate(net, X, y):
    """Mean cross-entropy and accuracy of net on (X, y)."""
    import torch
    from torch import nn

    net.eval()
    with torch.no_grad():
        logits = net(X)
    loss = nn.functional.cross_entropy(logits, y).item()
    return loss, (logits.argmax(dim=1) == y).float().mean().item()


def fit_cosine(net, X, y, validation_data, *, num_epochs, batch_size, lr0):
    """Adam with cosine decay from lr0 to 0 (cnn-cosine); the per-epoch history."""
    import torch

    num_epochs = check_int("num_epochs", num_epochs, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    lr0 = check_float("lr0", lr0, low=0, low_open=True)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr0)
    num_steps = num_epochs * int(np.ceil(len(y) / batch_size))
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_steps)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(num_epochs):
        scores = train_epoch(net, optimizer, scheduler, X, y, batch_size)
        scores += evaluate(net, *validation_data)
        for key, value in zip(history, scores, strict=True):
            history[key].append(value)
    return history
