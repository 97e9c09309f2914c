"""helpers.training: the taught loops, step for step against loops written by hand."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from helpers.training import History, evaluate, fit, fit_keras, train_one_epoch  # noqa: E402

N, D, K = 45, 4, 3  # examples, features, classes; 45 = 4 batches of 11 and one of 1


def data(flip: bool = False):
    gen = np.random.default_rng(7)
    X = gen.normal(size=(N, D)).astype(np.float32)
    y = (X @ gen.normal(size=(D, K))).argmax(axis=1)
    if flip:  # contradicts the training labels: the validation loss rises as training goes
        y = (y + 1) % K
    return X, y


def loader(X, y, *, shuffle=False, seed=0, batch_size=11):
    dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    gen = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=gen)


def net_and_optimizer(lr=0.05):
    torch.manual_seed(0)
    net = nn.Linear(D, K)
    return net, torch.optim.SGD(net.parameters(), lr=lr)


def by_hand(epochs, lr=0.05, shuffle=True):
    """The loop as the article writes it, with the per-epoch mean loss."""
    net, optimizer = net_and_optimizer(lr)
    loss_fn, losses = nn.CrossEntropyLoss(), []
    train = loader(*data(), shuffle=shuffle)
    for _ in range(epochs):
        total = 0.0
        for xb, yb in train:
            optimizer.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
        losses.append(total / N)
    return net, losses


def test_train_one_epoch_is_the_hand_written_loop_step_for_step():
    net, optimizer = net_and_optimizer()
    train = loader(*data(), shuffle=True)
    losses = [train_one_epoch(net, optimizer, train, nn.CrossEntropyLoss()) for _ in range(3)]
    ref, ref_losses = by_hand(3)
    assert torch.equal(net.weight, ref.weight) and torch.equal(net.bias, ref.bias)
    assert losses == ref_losses


def test_train_one_epoch_takes_any_sequence_of_batches():
    X, y = data()
    net, optimizer = net_and_optimizer()
    batches = [
        (torch.from_numpy(X[k : k + 11]), torch.from_numpy(y[k : k + 11]))
        for k in (0, 11, 22, 33, 44)
    ]
    loss = train_one_epoch(net, optimizer, batches, nn.CrossEntropyLoss())
    ref, ref_losses = by_hand(1, shuffle=False)
    assert torch.equal(net.weight, ref.weight) and loss == ref_losses[0]


def test_evaluate_weights_every_example_once_with_an_uneven_last_batch():
    X, y = data()
    net, _ = net_and_optimizer()
    loss, acc = evaluate(net, loader(X, y), nn.CrossEntropyLoss())
    with torch.no_grad():
        logits = net(torch.from_numpy(X))
        full = nn.CrossEntropyLoss()(logits, torch.from_numpy(y)).item()
    assert loss == pytest.approx(full, rel=1e-6)
    assert acc == (logits.argmax(dim=1).numpy() == y).mean()
    assert not net.training, "evaluate leaves the network in evaluation mode"


def test_fit_without_early_stop_equals_the_hand_written_loop(tmp_path):
    X, y = data()
    net, optimizer = net_and_optimizer()
    history = fit(
        net, optimizer, loader(X, y, shuffle=True), loader(X, y), nn.CrossEntropyLoss(),
        max_epochs=4, patience=4, checkpoint=tmp_path / "a.pt",
    )  # fmt: skip
    ref, ref_losses = by_hand(4)
    assert history.train_loss == ref_losses
    assert history.val_loss == sorted(history.val_loss, reverse=True), "falls every epoch"
    assert (history.epochs, history.best_epoch) == (4, 4)
    assert torch.equal(net.weight, ref.weight), "the last epoch is the best: its weights"
    assert torch.load(tmp_path / "a.pt")["epoch"] == 4


@pytest.mark.parametrize("patience", [1, 3])
def test_fit_stops_after_patience_epochs_and_restores_the_best(tmp_path, patience):
    X, y = data()
    net, optimizer = net_and_optimizer(lr=0.5)
    history = fit(
        net, optimizer, loader(X, y, shuffle=True), loader(*data(flip=True)),
        nn.CrossEntropyLoss(), max_epochs=50, patience=patience, checkpoint=tmp_path / "b.pt",
    )  # fmt: skip
    assert history.best_epoch == 1 + int(np.argmin(history.val_loss))
    assert history.epochs == history.best_epoch + patience < 50
    ref, _ = by_hand(history.best_epoch, lr=0.5)
    assert torch.equal(net.weight, ref.weight), "the best epoch's weights are restored"
    saved = torch.load(tmp_path / "b.pt")
    assert saved["epoch"] == history.best_epoch and set(saved) >= {"model", "optimizer"}


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"max_epochs": 0}, ValueError, "max_epochs"),
        ({"max_epochs": 2.0}, TypeError, "max_epochs"),
        ({"patience": 0}, ValueError, "patience"),
        ({"patience": None}, TypeError, "patience"),
    ],
)
def test_fit_rejects_bad_arguments_naming_them(tmp_path, kwargs, error, name):
    net, optimizer = net_and_optimizer()
    args = {"max_epochs": 2, "patience": 1, "checkpoint": tmp_path / "c.pt", **kwargs}
    train = loader(*data())
    with pytest.raises(error, match=name):
        fit(net, optimizer, train, train, nn.CrossEntropyLoss(), **args)


def test_history_counts_epochs():
    assert History(train_loss=[1.0, 0.5], val_loss=[1.0, 0.9], val_acc=[0.5, 0.6]).epochs == 2


def keras_net(seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    net = keras.Sequential([keras.Input(shape=(D,)), keras.layers.Dense(K)])
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    net.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss, metrics=["accuracy"])
    return net


def test_fit_keras_returns_the_same_history_and_stops_the_same_way(tmp_path):
    pytest.importorskip("keras")
    X, y = data()
    X_val, y_val = data(flip=True)
    net = keras_net()
    history = fit_keras(
        net, X, y, validation_data=(X_val, y_val), batch_size=11, max_epochs=50,
        patience=2, checkpoint=tmp_path / "k.keras",
    )  # fmt: skip
    assert len(history.train_loss) == len(history.val_loss) == len(history.val_acc)
    assert history.best_epoch == 1 + int(np.argmin(history.val_loss))
    assert history.epochs == history.best_epoch + 2 < 50
    restored = net.evaluate(X_val, y_val, verbose=0)[0]
    assert restored == pytest.approx(min(history.val_loss), rel=1e-5)
    assert (tmp_path / "k.keras").exists()


def test_fit_keras_rejects_a_bad_batch_size_naming_it(tmp_path):
    pytest.importorskip("keras")
    X, y = data()
    with pytest.raises(ValueError, match="batch_size"):
        fit_keras(
            keras_net(), X, y, validation_data=(X, y), batch_size=0, max_epochs=1,
            patience=1, checkpoint=tmp_path / "k.keras",
        )  # fmt: skip
