"""A GAN on a ring of eight Gaussians, in PyTorch: the data, its coverage score, the two
players and their training.

Each function here is written out in full, and explained, in 03_algorithms/gan;
03_algorithms/gan_training imports them from here. ``tests/test_book.py`` checks that the
chapter's cells and this module agree, line for line; ``tests/test_gan.py`` tests them.

- the data: :func:`sample_ring` (the mixture, modes at ``centers``), :func:`coverage` and
  :func:`matched` (how many modes a set of samples covers, and how well);
- the players and their training: :func:`mlp`, :func:`gan_step` (k discriminator steps,
  then one generator step), :func:`train_ring`, :func:`sample_g`;
- plotting: :func:`score` (a title), :func:`draw_samples` (samples over the data) and
  :func:`draw_panels` (a row of them).

PyTorch is imported inside the functions that use it (the package needs NumPy only). Bad
arguments raise ``ValueError`` or ``TypeError`` naming the argument.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers._validate import as_rng, check_array, check_int
from helpers.plotting import COLORS
from helpers.seed import derive_seed

R, SIGMA, N_MODES = 2.0, 0.1, 8
angles = 2 * np.pi * np.arange(N_MODES) / N_MODES
centers = R * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (8, 2)
Z_DIM, HIDDEN = 2, 128


def sample_ring(n, rng):
    """n points of the mixture: a random mode each, plus N(0, SIGMA^2 I) noise."""
    n, rng = check_int("n", n, low=1), as_rng(rng)
    k = rng.integers(0, N_MODES, size=n)
    return centers[k] + SIGMA * rng.standard_normal((n, 2))  # (n, 2)


def coverage(samples, min_share=0.025):
    """(modes covered, share of samples within 3 sigma of a mode, shares (8,))."""
    samples = check_array("samples", samples, ndim=2)  # (n, 2)
    dist = np.linalg.norm(samples[:, None, :] - centers[None], axis=2)  # (n, 8)
    near = dist.min(axis=1) < 3 * SIGMA
    nearest = dist.argmin(axis=1)
    shares = np.array([np.mean(near & (nearest == k)) for k in range(N_MODES)])
    return int(np.sum(shares >= min_share)), float(near.mean()), shares


def matched(shares):
    """The matched share: samples near a mode, each mode counted up to 1/8."""
    return float(np.minimum(shares, 1 / N_MODES).sum())


def mlp(n_in, n_out):
    """Two hidden ReLU layers of HIDDEN units, Glorot-uniform weights, zero biases."""
    from torch import nn  # here, so that helpers.gan imports without PyTorch

    net = nn.Sequential(
        nn.Linear(n_in, HIDDEN),
        nn.ReLU(),
        nn.Linear(HIDDEN, HIDDEN),
        nn.ReLU(),
        nn.Linear(HIDDEN, n_out),
    )
    for layer in net[::2]:  # the three Linear layers
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return net


def gan_step(G, D, opt_g, opt_d, x, z, k=1):
    """k D steps on (gan-dloss), a batch each, then one G step on (gan-gns)."""
    from torch.nn.functional import binary_cross_entropy_with_logits as bce

    k = check_int("k", k, low=1)
    if len(x) != len(z) or len(x) % k:
        raise ValueError(f"x, z: need k={k} equal batches, got {len(x)}, {len(z)} rows")
    for x_i, z_i in zip(x.chunk(k), z.chunk(k), strict=True):  # k batches of m rows
        real = x_i.new_ones(len(x_i), 1)  # the label 1, in x's dtype and device
        x_fake = G(z_i)
        d_loss = bce(D(x_i), real) + bce(D(x_fake.detach()), 1 - real)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
    g_loss = bce(D(x_fake), real)  # the last batch's fakes; D has just been updated
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


def train_ring(
    seed, num_steps, lr_g, lr_d, *, batch_size=256, k=1, D=None, snapshots=()
):
    """Train a fresh G (and D unless given) on the ring; return G, D, losses, snaps."""
    import torch

    num_steps = check_int("num_steps", num_steps, low=1)
    torch.manual_seed(seed)
    data_rng = np.random.default_rng(seed)
    G, D = mlp(Z_DIM, 2), D if D is not None else mlp(2, 1)
    adam = dict(betas=(0.5, 0.999), fused=True)
    opt_g = torch.optim.Adam(G.parameters(), lr=lr_g, **adam)
    opt_d = torch.optim.Adam(D.parameters(), lr=lr_d, **adam)
    decay = [
        torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1 - t / num_steps)
        for opt in (opt_g, opt_d)
    ]
    z_fixed, losses, snaps = torch.randn(1000, Z_DIM), [], {}
    for step in range(num_steps + 1):
        if step in snapshots:
            with torch.no_grad():
                snaps[step] = G(z_fixed).numpy()
        if step == num_steps:
            break
        x = torch.tensor(sample_ring(k * batch_size, data_rng), dtype=torch.float32)
        z = torch.randn(k * batch_size, Z_DIM)  # k batches for the k D steps
        losses.append(gan_step(G, D, opt_g, opt_d, x, z, k=k))
        for sched in decay:
            sched.step()
    return G, D, np.array(losses), snaps


def sample_g(G, n=5000, seed=None):
    """n samples from the generator, with their own noise seed (derive_seed(1))."""
    import torch

    seed = derive_seed(1) if seed is None else seed
    z = torch.randn(n, Z_DIM, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return G(z).numpy()


def score(samples):
    """'k modes, q% near': the coverage of samples, for plot titles."""
    m_cov, q, _ = coverage(samples)
    return f"{m_cov} mode{'' if m_cov == 1 else 's'}, {q:.0%} near"


def draw_samples(ax, samples, title, X_real):
    """Up to 1000 samples (blue) over up to 2000 points of X_real (grey), titled."""
    ax.scatter(*X_real[:2000].T, s=2, color="0.75", rasterized=True)
    ax.scatter(*samples[:1000].T, s=3, color=COLORS[0], alpha=0.6, rasterized=True)
    ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=title)
    ax.set_xticks([-2, 0, 2])
    ax.set_yticks([-2, 0, 2])
    return ax


def draw_panels(panels, X_real, figsize=(6, 3.1)):
    """One panel per (samples, name), samples over X_real, titled with their score."""
    _, axes = plt.subplots(1, len(panels), figsize=figsize, sharey=True, squeeze=False)
    for ax, (samples, name) in zip(axes[0], panels, strict=True):
        draw_samples(ax, samples, f"{name}\n{score(samples)}", X_real)
        ax.set_xlabel("$x_1$")
    axes[0, 0].set_ylabel("$x_2$")
    return axes[0]
