"""helpers.mlp_training: the digits MLP and the mini-batch trainer of 04_practice."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import helpers.mlp_training as mt  # noqa: E402
from helpers.mlp_training import evaluate, fit, make_mlp, new_mlp  # noqa: E402


def data(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 64), dtype=np.float32)
    return X, (X[:, :10].argmax(axis=1)).astype(np.int64)  # a learnable rule


TRAIN, VAL = data(60, 1), data(40, 2)


def small_fit(net, **kw):
    options = {"seed": 3, "num_epochs": 4, "batch_size": 20} | kw
    return fit(net, TRAIN, VAL, **options)


def test_make_mlp_shapes_and_parameter_count():
    net = make_mlp(width=256, device="cpu")
    assert sum(w.numel() for w in net.parameters()) == 85002
    assert net(torch.zeros(5, 64)).shape == (5, 10)
    assert make_mlp(0.3, width=8, device="cpu")[2].p == 0.3


def test_new_mlp_same_seed_same_weights():
    a, b, c = (new_mlp(seed=s, width=16, device="cpu") for s in (1, 1, 2))
    assert all(torch.equal(u, v) for u, v in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a[0].weight, c[0].weight)


def test_evaluate_returns_loss_and_accuracy_in_eval_mode():
    net = new_mlp(p=0.5, seed=0, width=16, device="cpu")
    net.train()
    loss, acc = evaluate(net, *VAL)
    assert not net.training
    assert loss > 0 and 0 <= acc <= 1
    assert (loss, acc) == evaluate(net, *VAL)  # dropout off: deterministic


def test_fit_history_has_one_entry_per_epoch():
    history, best = small_fit(new_mlp(seed=0, width=16, device="cpu"))
    assert set(history) == {"train loss", "train acc", "val loss", "val acc"}
    assert all(len(v) == 4 for v in history.values())
    assert best["val loss"] == min(history["val loss"])
    assert best["epoch"] == int(np.argmin(history["val loss"]))


def test_fit_is_deterministic_for_a_seed():
    runs = [small_fit(new_mlp(p=0.5, seed=0, width=16, device="cpu"), seed=s) for s in (3, 3, 4)]
    assert runs[0][0] == runs[1][0]
    assert runs[0][0] != runs[2][0]


def test_best_state_restores_the_best_epochs_val_loss():
    net = new_mlp(p=0.5, seed=0, width=16, device="cpu")
    history, best = small_fit(net, num_epochs=8)
    restored = new_mlp(p=0.5, seed=5, width=16, device="cpu")
    restored.load_state_dict(best["state"])
    assert abs(evaluate(restored, *VAL)[0] - best["val loss"]) < 1e-6


def test_transform_gets_the_training_images_and_a_generator_each_epoch():
    seen = []

    def transform(X, rng):
        seen.append((X.shape, isinstance(rng, np.random.Generator)))
        return X[:, ::-1].copy()

    small_fit(new_mlp(seed=0, width=16, device="cpu"), transform=transform)
    assert seen == [((60, 64), True)] * 4


def test_a_batch_size_that_does_not_divide_n_leaves_a_smaller_last_batch(monkeypatch):
    sizes = []

    def record(net, optimizer, batches, loss_fn):
        sizes.append([len(X) for X, _ in batches])

    monkeypatch.setattr(mt, "train_one_epoch", record)
    small_fit(new_mlp(seed=0, width=16, device="cpu"), batch_size=25, num_epochs=2)
    assert sizes == [[25, 25, 10]] * 2


def test_the_batches_cover_every_example_once_per_epoch(monkeypatch):
    rows = []

    def record(net, optimizer, batches, loss_fn):
        rows.append(np.concatenate([X.numpy() for X, _ in batches]))

    monkeypatch.setattr(mt, "train_one_epoch", record)
    small_fit(new_mlp(seed=0, width=16, device="cpu"), batch_size=7, num_epochs=1)
    assert np.array_equal(np.sort(rows[0], axis=0), np.sort(TRAIN[0], axis=0))


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 61}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"num_epochs": 0}, ValueError, "num_epochs"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"weight_decay": -1e-3}, ValueError, "weight_decay"),
        ({"seed": -1}, ValueError, "seed"),
        ({"transform": "shift"}, TypeError, "transform"),
    ],
)
def test_fit_rejects_bad_arguments_by_name(options, error, name):
    with pytest.raises(error, match=name):
        small_fit(new_mlp(seed=0, width=8, device="cpu"), **options)


def test_fit_rejects_bad_data_by_name():
    net = new_mlp(seed=0, width=8, device="cpu")
    with pytest.raises(TypeError, match="train"):
        fit(net, TRAIN[0], VAL, seed=0)
    with pytest.raises(ValueError, match="val"):
        fit(net, TRAIN, (VAL[0], VAL[1][:-1]), seed=0)
