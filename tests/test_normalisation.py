"""helpers.normalisation: the NumPy normalisation of the normalisation chapter, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.normalisation import layernorm, normalise


@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 8), (1, 1)])
def test_layernorm_equals_torch_layer_norm(shape):
    rng = np.random.default_rng(sum(shape))
    x = 3 + 2 * rng.normal(size=shape)
    gamma, beta = rng.uniform(0.5, 2.0, shape[-1]), rng.normal(size=shape[-1])
    y, (x_hat, inv_std) = layernorm(x, gamma, beta, 1e-5)
    ref = torch.nn.functional.layer_norm(
        torch.from_numpy(x), shape[-1:], torch.from_numpy(gamma), torch.from_numpy(beta), 1e-5
    )
    np.testing.assert_allclose(y, ref.numpy(), rtol=0, atol=1e-12)
    assert x_hat.shape == shape and inv_std.shape == (*shape[:-1], 1)


def test_normalise_along_the_batch_axis_gives_mean_0_and_variance_1():
    x = np.random.default_rng(0).normal(loc=[-3, 0, 5], scale=[0.1, 1, 100], size=(64, 3))
    x_hat, inv_std = normalise(x, axis=0, eps=0.0)
    np.testing.assert_allclose(x_hat.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(x_hat.var(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(inv_std[0], 1 / x.std(axis=0), rtol=1e-12)
