"""helpers.attention: NumPy attention, multi-head attention and the pre-norm block against
PyTorch and Keras with the same weights, and the argument checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.attention import attention, block, keras_mha_weights, mha


def params(E, F, rng):
    p = {f"W_{c}": rng.uniform(-0.3, 0.3, (E, E)) for c in "qkvo"}
    p |= {f"b_{c}": rng.uniform(-0.3, 0.3, E) for c in "qkvo"}
    p |= {"W_1": rng.uniform(-0.3, 0.3, (F, E)), "b_1": rng.uniform(-0.3, 0.3, F)}
    p |= {"W_2": rng.uniform(-0.3, 0.3, (E, F)), "b_2": rng.uniform(-0.3, 0.3, E)}
    for i in "12":
        p[f"gamma_{i}"], p[f"beta_{i}"] = 1 + rng.uniform(-0.3, 0.3, E), rng.uniform(-0.3, 0.3, E)
    return p


def torch_layer(p, E, h, F):
    layer = torch.nn.TransformerEncoderLayer(
        E, h, F, dropout=0.0, norm_first=True, batch_first=True, dtype=torch.float64
    )
    state = {
        "self_attn.in_proj_weight": np.vstack([p[f"W_{c}"] for c in "qkv"]),
        "self_attn.in_proj_bias": np.hstack([p[f"b_{c}"] for c in "qkv"]),
        "self_attn.out_proj.weight": p["W_o"],
        "self_attn.out_proj.bias": p["b_o"],
    }
    for i in "12":
        state |= {f"linear{i}.weight": p[f"W_{i}"], f"linear{i}.bias": p[f"b_{i}"]}
        state |= {f"norm{i}.weight": p[f"gamma_{i}"], f"norm{i}.bias": p[f"beta_{i}"]}
    layer.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    return layer.eval()


def test_attention_equals_torch_sdpa_with_and_without_a_causal_mask():
    rng = np.random.default_rng(0)
    Q, K, V = (
        rng.standard_normal((2, 5, 4)),
        rng.standard_normal((2, 5, 4)),
        rng.standard_normal((2, 5, 3)),
    )
    causal = np.tril(np.ones((5, 5), dtype=bool))
    for keep, kwargs in ((None, {}), (causal, {"is_causal": True})):
        out, A = attention(Q, K, V, keep)
        ref = torch.nn.functional.scaled_dot_product_attention(
            *map(torch.from_numpy, (Q, K, V)), **kwargs
        )
        np.testing.assert_allclose(out, ref.numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(A.sum(-1), 1, rtol=0, atol=1e-12)
    assert np.all(attention(Q, K, V, causal)[1][:, ~causal] == 0)


@pytest.mark.parametrize(("E", "h", "F", "T"), [(8, 2, 16, 6), (12, 3, 8, 1), (4, 1, 4, 3)])
def test_block_equals_torch_transformer_encoder_layer(E, h, F, T):
    rng = np.random.default_rng(E + h + F + T)
    p, X = params(E, F, rng), rng.standard_normal((2, T, E))
    causal = np.tril(np.ones((T, T), dtype=bool))
    layer = torch_layer(p, E, h, F)
    with torch.no_grad():
        ref = layer(torch.from_numpy(X), src_mask=torch.from_numpy(~causal)).numpy()
    np.testing.assert_allclose(block(X, p, h, keep=causal), ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("h", "tol"), [(2, 1e-12), (4, 1e-8)])
def test_keras_mha_weights_give_keras_the_same_attention(h, tol):
    """d_h = 4: Keras's scale 1/sqrt(d_h) = 0.5 is exact; d_h = 2: Keras rounds
    1/sqrt(2) to float32 (a relative 1e-8), even in a float64 layer."""
    import keras

    rng = np.random.default_rng(3)
    E = 8
    p, X = params(E, 4, rng), rng.standard_normal((2, 5, E))
    layer = keras.layers.MultiHeadAttention(h, E // h, dtype="float64")
    layer(X, X)
    layer.set_weights(keras_mha_weights(p, h))
    causal = np.tril(np.ones((5, 5), dtype=bool))
    out = np.asarray(layer(X, X, use_causal_mask=True))
    np.testing.assert_allclose(out, mha(X, X, p, h, causal), rtol=0, atol=tol)


def test_shapes_that_do_not_fit_are_rejected_by_name():
    rng = np.random.default_rng(0)
    Q = rng.standard_normal((3, 4))
    with pytest.raises(ValueError, match="K must"):
        attention(Q, rng.standard_normal((3, 5)), rng.standard_normal((3, 2)))
    with pytest.raises(ValueError, match="V must"):
        attention(Q, Q, rng.standard_normal((2, 2)))
    p = params(6, 4, rng)
    with pytest.raises(ValueError, match="h must divide"):
        mha(rng.standard_normal((1, 2, 6)), rng.standard_normal((1, 2, 6)), p, 4)
    with pytest.raises(ValueError, match="h must divide"):
        keras_mha_weights(p, 4)
