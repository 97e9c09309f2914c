"""Gradient attributions of a PyTorch classifier, written out in 07_future/interpretability.

The chapter teaches each function here; 07_future/attribution_sanity_checks imports them
to train the same CNN again and test its maps. ``tests/test_book.py`` checks that the
chapter's cells and this module agree; ``tests/test_attribution.py`` tests them.

- the model: :func:`digits_cnn` (the CNN), :func:`train_digits_cnn` (Adam, mini-batches);
- the attributions: :func:`class_logit`, :func:`gradient`, :func:`saliency`,
  :func:`grad_x_input` and :func:`integrated_gradients` (a right Riemann sum);
- the picture: :func:`show_maps` (one row per map, one column per image).

PyTorch is imported inside the functions that use it (the package needs NumPy only). Bad
arguments raise ``ValueError`` or ``TypeError`` naming the argument.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers._validate import check_int
from helpers.seed import derive_seed, torch_generator
from helpers.training import train_one_epoch


def digits_cnn(device="cpu"):
    """Conv(16), pool, Conv(32), pool, Dense(64), ten logits; images (n, 1, 8, 8)."""
    from torch import nn  # here, so that helpers.attribution imports without PyTorch

    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(128, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    ).to(device)


def train_digits_cnn(X, y, stream=0, epochs=30):
    """digits_cnn trained by Adam, batches of 64, random `stream`; (net, last loss)."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    epochs = check_int("epochs", epochs, low=1)
    torch.manual_seed(derive_seed(stream))  # the initial weights
    net = digits_cnn(X.device)
    optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
    shuffle = torch_generator(stream)  # the order of the mini-batches
    loader = DataLoader(
        TensorDataset(X, y), batch_size=64, shuffle=True, generator=shuffle
    )
    for _epoch in range(epochs):
        loss = train_one_epoch(net, optimizer, loader, torch.nn.CrossEntropyLoss())
    return net, loss


def class_logit(net, x, c):
    """Logit of class c[n] for each image x[n]; shape (n,)."""
    if c.shape != (len(x),):
        raise ValueError(f"c must hold one class per image x[n], not shape {c.shape}")
    return net(x).gather(1, c[:, None])[:, 0]


def gradient(net, x, c):
    """d f_c / d x for every image, shape like x."""
    import torch

    x = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(class_logit(net, x, c).sum(), x)
    return grad


def saliency(net, x, c):
    """|d f_c / d x|, eq. (int-saliency), left; shape like x."""
    return gradient(net, x, c).abs()


def grad_x_input(net, x, c):
    """x * d f_c / d x, eq. (int-saliency), right; shape like x."""
    return x * gradient(net, x, c)


def integrated_gradients(net, x, c, steps=32, baseline=None):
    """Riemann sum (int-ig-sum) of integrated gradients; shape like x."""
    steps = check_int("steps", steps, low=1)
    if baseline is None:
        baseline = 0 * x  # black image
    if baseline.shape != x.shape:
        raise ValueError(f"baseline must have the shape of x, not {baseline.shape}")
    total = 0 * x
    for k in range(1, steps + 1):
        total += gradient(net, baseline + k / steps * (x - baseline), c)
    return (x - baseline) * total / steps


def show_maps(rows, idx, labels, title):
    """One row per entry of rows (name -> (n, 1, 8, 8) tensor), one column per image."""
    fig, axes = plt.subplots(
        len(rows), len(idx), figsize=(1.1 * len(idx), 1.2 * len(rows)), squeeze=False
    )
    for r, (name, a) in enumerate(rows.items()):
        for j, n in enumerate(idx):
            img = a[n, 0].detach().cpu().numpy()
            lim = np.abs(img).max() + 1e-12
            signed = name not in ("image", "saliency")
            cmap = "RdBu_r" if signed else "gray_r"
            ax = axes[r, j]
            ax.imshow(img, cmap=cmap, vmin=-lim if signed else 0, vmax=lim)
            ax.set(xticks=[], yticks=[])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(False)
            if j == 0:
                ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
            if r == 0:
                ax.set_title(f"digit {labels[n]}", fontsize=9)
    fig.suptitle(title, fontsize=11)
    return fig
