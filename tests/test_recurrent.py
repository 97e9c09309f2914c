"""helpers.recurrent: the NumPy RNN, LSTM and GRU cells against torch.nn on random shapes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.recurrent import gru_step, init_gates, lstm_step, rnn_step, run_cell, uniform


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


def load_torch(net, p, order):
    """Copy blocks p[...k], k in order, into a one-layer torch LSTM/GRU."""
    stack = lambda prefix: np.concatenate([p[prefix + k] for k in order])  # noqa: E731
    b_h = stack("b_h") if "b_h" + order[0] in p else np.zeros(len(order) * net.hidden_size)
    values = [stack("W_x"), stack("W_h"), stack("b_"), b_h]
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    with torch.no_grad():
        for name, value in zip(names, values, strict=True):
            getattr(net, name).copy_(torch.from_numpy(value))


@pytest.mark.parametrize(("N", "T", "D", "H"), [(1, 1, 1, 1), (4, 10, 3, 5), (3, 7, 6, 2)])
def test_lstm_step_equals_torch_lstm_with_gates_ifgo(N, T, D, H):
    rng = np.random.default_rng(N * 100 + T * 10 + D + H)
    p = init_gates("ifgo", D, H, rng)
    X, h0, c0 = (rng.standard_normal(s) for s in [(N, T, D), (N, H), (N, H)])
    hs, (h_T, c_T) = run_cell(lstm_step, X, (h0, c0), p)
    net = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64)
    load_torch(net, p, "ifgo")
    with torch.no_grad():
        out, (h_n, c_n) = net(
            torch.from_numpy(X), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None])
        )
    np.testing.assert_allclose(hs, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(c_T, c_n[0].numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_T, h_n[0].numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("N", "T", "D", "H"), [(1, 1, 1, 1), (4, 10, 3, 5), (3, 7, 6, 2)])
def test_gru_step_equals_torch_gru_with_gates_rzn(N, T, D, H):
    rng = np.random.default_rng(N * 100 + T * 10 + D + H)
    p = init_gates("rzn", D, H, rng, recurrent_bias=True)
    X, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    hs, (h_T,) = run_cell(gru_step, X, (h0,), p)
    net = torch.nn.GRU(D, H, batch_first=True, dtype=torch.float64)
    load_torch(net, p, "rzn")
    with torch.no_grad():
        out, h_n = net(torch.from_numpy(X), torch.from_numpy(h0)[None])
    np.testing.assert_allclose(hs, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_T, h_n[0].numpy(), rtol=0, atol=1e-12)


def test_gru_reset_before_differs_from_reset_after_but_agrees_when_h_is_zero():
    """With h = 0 the reset gate multiplies zero either way; otherwise the two differ."""
    rng = np.random.default_rng(3)
    p = init_gates("rzn", 3, 4, rng, recurrent_bias=True)
    p["b_hn"] = np.zeros(4)  # reset-after would otherwise keep r * b_hn at h = 0
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    zero = np.zeros((2, 4))
    after, before = gru_step(x, (zero,), p), gru_step(x, (zero,), p, reset_after=False)
    np.testing.assert_allclose(after[0], before[0], rtol=0, atol=1e-15)
    gap = np.abs(gru_step(x, (h,), p)[0] - gru_step(x, (h,), p, reset_after=False)[0])
    assert gap.max() > 1e-3


def test_init_gates_makes_each_block_with_its_shape():
    p = init_gates("rzn", 3, 4, np.random.default_rng(0), recurrent_bias=True)
    assert len(p) == 12 and p["W_xr"].shape == (4, 3) and p["W_hn"].shape == (4, 4)
    assert p["b_z"].shape == p["b_hz"].shape == (4,)
    assert max(np.abs(v).max() for v in p.values()) <= 0.5  # 1 / sqrt(4)
    assert sorted(init_gates("ifgo", 2, 2, np.random.default_rng(0))) == sorted(
        f"{w}{k}" for k in "ifgo" for w in ("W_x", "W_h", "b_")
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ifgo", 0, 5), "D must be an integer >= 1"),
        (("ifgo", 3, 2.5), "H must be an integer >= 1"),
        (("ifgo", 3, -1), "H must be an integer >= 1"),
        (("iffo", 3, 5), "gates must be distinct"),
        (("", 3, 5), "gates must be distinct"),
    ],
)
def test_init_gates_rejects_bad_sizes_and_gate_names(args, message):
    with pytest.raises(ValueError, match=message):
        init_gates(*args, np.random.default_rng(0))
