"""helpers.gan: the ring data and its score, the players, one round of training, a run."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers.gan import (
    N_MODES,
    SIGMA,
    Z_DIM,
    centers,
    coverage,
    draw_panels,
    draw_samples,
    gan_step,
    matched,
    mlp,
    sample_g,
    sample_ring,
    score,
    train_ring,
)


def test_ring_samples_sit_on_the_eight_modes_in_equal_shares():
    X = sample_ring(20_000, np.random.default_rng(0))
    assert X.shape == (20_000, 2)
    dist = np.linalg.norm(X[:, None] - centers[None], axis=2)  # (n, 8)
    assert dist.min(axis=1).max() < 6 * SIGMA
    shares = np.bincount(dist.argmin(axis=1), minlength=N_MODES) / len(X)
    np.testing.assert_allclose(shares, 1 / N_MODES, atol=0.01)


def test_ring_samples_follow_the_rng_and_accept_an_int_seed():
    a = sample_ring(5, np.random.default_rng(3))
    np.testing.assert_array_equal(a, sample_ring(5, 3))
    assert not np.array_equal(a, sample_ring(5, 4))


@pytest.mark.parametrize(
    ("n", "rng", "error", "name"),
    [
        (0, 0, ValueError, "n"),
        (2.5, 0, TypeError, "n"),
        (3, "seed", TypeError, "rng"),
    ],
)
def test_sample_ring_rejects_bad_arguments_by_name(n, rng, error, name):
    with pytest.raises(error, match=name):
        sample_ring(n, rng)


def test_coverage_of_the_data_is_all_modes_at_the_chi2_ceiling():
    modes, quality, shares = coverage(sample_ring(20_000, np.random.default_rng(1)))
    assert modes == N_MODES
    assert abs(quality - (1 - np.exp(-4.5))) < 0.005
    assert abs(matched(shares) - quality) < 0.01  # every mode near its fair share


def test_coverage_sees_a_collapse_onto_one_mode_and_samples_off_the_ring():
    one = np.repeat(centers[2:3], 100, axis=0)
    modes, quality, shares = coverage(one)
    assert (modes, quality) == (1, 1.0) and shares[2] == 1.0
    assert matched(shares) == pytest.approx(1 / N_MODES)
    assert coverage(np.zeros((50, 2)))[:2] == (0, 0.0)  # the centre is far from every mode


def test_coverage_rejects_samples_that_are_not_a_matrix():
    with pytest.raises(ValueError, match="samples"):
        coverage(np.zeros(10))


def test_mlp_has_the_shapes_glorot_weights_and_zero_biases():
    torch.manual_seed(0)
    net = mlp(3, 1)
    assert net(torch.zeros(4, 3)).shape == (4, 1)
    for layer in net[::2]:
        fan_out, fan_in = layer.weight.shape
        bound = np.sqrt(6 / (fan_in + fan_out))
        assert layer.weight.abs().max() <= bound and torch.all(layer.bias == 0)


def test_gan_step_takes_k_discriminator_steps_then_one_generator_step():
    torch.manual_seed(0)
    G, D = mlp(Z_DIM, 2), mlp(2, 1)
    counts = {"g": 0, "d": 0}

    class Counting(torch.optim.SGD):
        def __init__(self, params, key):
            super().__init__(params, lr=0.01)
            self.key = key

        def step(self, closure=None):
            counts[self.key] += 1
            return super().step(closure)

    x, z = torch.randn(12, 2), torch.randn(12, Z_DIM)
    d_loss, g_loss = gan_step(
        G, D, Counting(G.parameters(), "g"), Counting(D.parameters(), "d"), x, z, k=3
    )
    assert counts == {"g": 1, "d": 3}
    assert np.isfinite(d_loss) and np.isfinite(g_loss)


def test_gan_step_moves_each_player_by_its_own_loss_only():
    """With k = 1 and plain SGD, D's step is the gradient of (gan-dloss) on the batch and
    G's step is that of (gan-gns) against the updated D."""
    torch.manual_seed(1)
    G, D = mlp(Z_DIM, 2).double(), mlp(2, 1).double()
    x, z = torch.randn(8, 2, dtype=torch.float64), torch.randn(8, Z_DIM, dtype=torch.float64)
    G0, D0 = (
        [p.detach().clone() for p in G.parameters()],
        [p.detach().clone() for p in D.parameters()],
    )
    opt_g, opt_d = torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(D.parameters(), lr=0.1)
    gan_step(G, D, opt_g, opt_d, x, z)

    G_ref, D_ref = mlp(Z_DIM, 2).double(), mlp(2, 1).double()
    with torch.no_grad():
        for p, q in zip([*G_ref.parameters(), *D_ref.parameters()], G0 + D0, strict=True):
            p.copy_(q)
    fake = G_ref(z).detach()
    d_loss = (
        -torch.log(torch.sigmoid(D_ref(x))).mean()
        - torch.log(1 - torch.sigmoid(D_ref(fake))).mean()
    )
    d_grads = torch.autograd.grad(d_loss, list(D_ref.parameters()))
    with torch.no_grad():
        for p, g in zip(D_ref.parameters(), d_grads, strict=True):
            p -= 0.1 * g
    g_loss = -torch.log(torch.sigmoid(D_ref(G_ref(z)))).mean()
    g_grads = torch.autograd.grad(g_loss, list(G_ref.parameters()))
    for p, p0, g in zip(G.parameters(), G0, g_grads, strict=True):
        torch.testing.assert_close(p.detach(), p0 - 0.1 * g, rtol=0, atol=1e-12)
    for p, q in zip(D.parameters(), D_ref.parameters(), strict=True):
        torch.testing.assert_close(p.detach(), q.detach(), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "error"), [(0, 8, ValueError), (1.0, 8, TypeError), (3, 8, ValueError)]
)
def test_gan_step_rejects_a_bad_k_or_batches_that_do_not_split(k, n, error):
    G, D = mlp(Z_DIM, 2), mlp(2, 1)
    opts = [torch.optim.SGD(net.parameters(), lr=0.1) for net in (G, D)]
    with pytest.raises(error, match="k|x, z"):
        gan_step(G, D, *opts, torch.randn(n, 2), torch.randn(n, Z_DIM), k=k)


def test_train_ring_is_reproducible_and_keeps_the_snapshots_asked_for():
    G1, _, losses1, snaps = train_ring(5, 6, 1e-3, 1e-3, batch_size=8, k=2, snapshots=(0, 6))
    G2, _, losses2, _ = train_ring(5, 6, 1e-3, 1e-3, batch_size=8, k=2)
    assert losses1.shape == (6, 2)
    np.testing.assert_array_equal(losses1, losses2)
    assert sorted(snaps) == [0, 6] and snaps[6].shape == (1000, 2)
    np.testing.assert_array_equal(sample_g(G1, n=10, seed=1), sample_g(G2, n=10, seed=1))


def test_train_ring_rejects_a_run_without_steps():
    with pytest.raises(ValueError, match="num_steps"):
        train_ring(0, 0, 1e-3, 1e-3)


def test_sample_g_draws_its_own_noise():
    torch.manual_seed(0)
    G = mlp(Z_DIM, 2)
    a = sample_g(G, n=7, seed=3)
    torch.randn(100)  # the global stream does not matter
    assert a.shape == (7, 2)
    np.testing.assert_array_equal(a, sample_g(G, n=7, seed=3))


def test_score_and_draw_samples_describe_the_coverage():
    assert score(np.repeat(centers[:1], 10, axis=0)) == "1 mode, 100% near"
    X = sample_ring(4000, np.random.default_rng(2))
    assert score(X).startswith("8 modes")
    ax = draw_samples(plt.figure().gca(), X, "real", X)
    assert ax.get_title() == "real" and len(ax.collections) == 2


def test_draw_panels_draws_one_titled_panel_per_sample_set():
    X = sample_ring(500, np.random.default_rng(4))
    axes = draw_panels([(X, "a"), (np.repeat(centers[:1], 5, axis=0), "b")], X)
    assert len(axes) == 2
    assert axes[0].get_title().startswith("a\n8 modes")
    assert axes[1].get_title() == "b\n1 mode, 100% near"
    assert len(draw_panels([(X, "only")], X)) == 1
