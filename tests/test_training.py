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


# The production knobs: off, they change nothing; on, each does what its docstring says.


def one_batch():
    X, y = data()
    return [(torch.from_numpy(X[:11]), torch.from_numpy(y[:11]))]


def gradient(net):
    return torch.cat([p.grad.flatten() for p in net.parameters()])


def test_a_clip_norm_too_large_to_bite_leaves_the_run_bit_identical():
    net, optimizer = net_and_optimizer()
    train = loader(*data(), shuffle=True)
    losses = [
        train_one_epoch(net, optimizer, train, nn.CrossEntropyLoss(), clip_norm=1e9, amp=False)
        for _ in range(3)
    ]
    ref, ref_losses = by_hand(3)
    assert torch.equal(net.weight, ref.weight) and torch.equal(net.bias, ref.bias)
    assert losses == ref_losses


def test_clip_norm_rescales_the_gradient_to_that_norm_keeping_its_direction():
    net, optimizer = net_and_optimizer(lr=1.0)
    before = [p.detach().clone() for p in net.parameters()]
    train_one_epoch(net, optimizer, one_batch(), nn.CrossEntropyLoss())
    raw = gradient(net)  # the unclipped gradient of the first step
    net, optimizer = net_and_optimizer(lr=1.0)
    clip = 0.1 * raw.norm().item()
    train_one_epoch(net, optimizer, one_batch(), nn.CrossEntropyLoss(), clip_norm=clip)
    clipped = gradient(net)
    assert clipped.norm().item() == pytest.approx(clip, rel=1e-5)
    torch.testing.assert_close(clipped, raw * (clip / raw.norm()), rtol=1e-5, atol=1e-8)
    step = torch.cat(
        [(b - p.detach()).flatten() for b, p in zip(before, net.parameters(), strict=True)]
    )
    torch.testing.assert_close(step, clipped), "SGD at lr 1 steps by the clipped gradient"


def test_amp_on_a_cpu_runs_the_forward_pass_in_bfloat16_and_stays_close():
    dtypes = []
    net, optimizer = net_and_optimizer()
    net.register_forward_hook(lambda module, args, out: dtypes.append(out.dtype))
    loss = train_one_epoch(net, optimizer, loader(*data()), nn.CrossEntropyLoss(), amp=True)
    ref_net, ref_optimizer = net_and_optimizer()
    ref = train_one_epoch(ref_net, ref_optimizer, loader(*data()), nn.CrossEntropyLoss())
    assert set(dtypes) == {torch.bfloat16} and net.weight.dtype == torch.float32
    assert loss == pytest.approx(ref, rel=0.02) and loss != ref
    torch.testing.assert_close(net.weight, ref_net.weight, rtol=0, atol=0.01)


def recorded_lrs(tmp_path, make_scheduler, val=None, **kwargs):
    """The learning rate of each epoch of a fit, recorded by the on_epoch_end hook."""
    X, y = data()
    net, optimizer = net_and_optimizer(lr=0.5)
    lrs, epochs = [], []

    def hook(epoch, history):
        lrs.append(optimizer.param_groups[0]["lr"])
        epochs.append((epoch, history.epochs))

    history = fit(
        net, optimizer, loader(X, y, shuffle=True), loader(*(val or (X, y))),
        nn.CrossEntropyLoss(), max_epochs=5, patience=5, checkpoint=tmp_path / "s.pt",
        scheduler=make_scheduler(optimizer), on_epoch_end=hook, **kwargs,
    )  # fmt: skip
    assert epochs == [(e, e) for e in range(1, history.epochs + 1)], "once, after each"
    return lrs


def test_fit_steps_the_scheduler_once_per_epoch_after_the_hook(tmp_path):
    lrs = recorded_lrs(tmp_path, lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, 0.5))
    assert lrs == pytest.approx([0.5 * 0.5**k for k in range(5)], rel=1e-12)


def test_fit_steps_reduce_lr_on_plateau_on_the_validation_loss(tmp_path):
    def plateau(opt):
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)

    # the validation loss rises after epoch 1: each later epoch halves the next one's rate
    lrs = recorded_lrs(tmp_path, plateau, val=data(flip=True))
    assert lrs == pytest.approx([0.5, 0.5, 0.25, 0.125, 0.0625], rel=1e-12)


def test_fit_with_every_knob_off_or_too_large_to_bite_is_the_plain_loop(tmp_path):
    X, y = data()
    net, optimizer = net_and_optimizer()
    history = fit(
        net, optimizer, loader(X, y, shuffle=True), loader(X, y), nn.CrossEntropyLoss(),
        max_epochs=4, patience=4, checkpoint=tmp_path / "a.pt", scheduler=None,
        clip_norm=1e9, amp=False, on_epoch_end=lambda epoch, history: None,
    )  # fmt: skip
    ref, ref_losses = by_hand(4)
    assert history.train_loss == ref_losses and torch.equal(net.weight, ref.weight)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"clip_norm": 0.0}, ValueError, "clip_norm"),
        ({"clip_norm": -1}, ValueError, "clip_norm"),
        ({"clip_norm": float("inf")}, ValueError, "clip_norm"),
        ({"clip_norm": "1"}, TypeError, "clip_norm"),
        ({"amp": 1}, TypeError, "amp"),
        ({"amp": "yes"}, TypeError, "amp"),
    ],
)
def test_train_one_epoch_rejects_bad_knobs_naming_them(kwargs, error, name):
    net, optimizer = net_and_optimizer()
    before = net.weight.detach().clone()
    with pytest.raises(error, match=name):
        train_one_epoch(net, optimizer, one_batch(), nn.CrossEntropyLoss(), **kwargs)
    assert torch.equal(net.weight, before), "rejected before any step"


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"scheduler": 0.5}, TypeError, "scheduler"),
        ({"scheduler": "cosine"}, TypeError, "scheduler"),
        ({"on_epoch_end": 3}, TypeError, "on_epoch_end"),
        ({"clip_norm": 0}, ValueError, "clip_norm"),
        ({"amp": None}, TypeError, "amp"),
    ],
)
def test_fit_rejects_bad_knobs_naming_them(tmp_path, kwargs, error, name):
    net, optimizer = net_and_optimizer()
    args = {"max_epochs": 2, "patience": 1, "checkpoint": tmp_path / "c.pt", **kwargs}
    train = loader(*data())
    with pytest.raises(error, match=name):
        fit(net, optimizer, train, train, nn.CrossEntropyLoss(), **args)
