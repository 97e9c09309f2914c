"""helpers.recurrent: the NumPy vanilla RNN cell against torch.nn.RNN on random shapes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.recurrent import rnn_step, run_cell, uniform


@pytest.mark.parametrize(("N", "T", "D", "H"), [(1, 1, 1, 1), (4, 10, 3, 5), (3, 7, 6, 2)])
def test_run_cell_equals_torch_rnn(N, T, D, H):
    rng = np.random.default_rng(N * 100 + T * 10 + D + H)
    scale = 1 / np.sqrt(H)
    p = {"W_x": uniform((H, D), scale, rng), "W_h": uniform((H, H), scale, rng)}
    p["b"] = uniform(H, scale, rng)
    X, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    hs, (h_T,) = run_cell(rnn_step, X, (h0,), p)
    net = torch.nn.RNN(D, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.from_numpy(p["W_x"]))
        net.weight_hh_l0.copy_(torch.from_numpy(p["W_h"]))
        net.bias_ih_l0.copy_(torch.from_numpy(p["b"]))
        net.bias_hh_l0.zero_()
        out, h_n = net(torch.from_numpy(X), torch.from_numpy(h0)[None])
    assert hs.shape == (N, T, H)
    np.testing.assert_allclose(hs, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_T, h_n[0].numpy(), rtol=0, atol=1e-12)


def test_uniform_draws_inside_its_range_with_the_given_shape():
    w = uniform((50, 40), 0.3, np.random.default_rng(0))
    assert w.shape == (50, 40) and np.abs(w).max() <= 0.3 and np.abs(w).max() > 0.29


def test_run_cell_passes_the_whole_state_to_the_step():
    """A two-part state (as the LSTM's (h, c)) reaches each step and comes back."""

    def step(x, state, p):
        h, c = state
        return h + x.sum(axis=1, keepdims=True), c + 1

    X = np.ones((2, 5, 3))
    hs, (h, c) = run_cell(step, X, (np.zeros((2, 1)), np.zeros((2, 1))), {})
    assert hs[:, :, 0].tolist() == [[3, 6, 9, 12, 15]] * 2 and np.all(c == 5)
