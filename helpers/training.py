"""Training loops for PyTorch and Keras, as taught in 04_practice/training_workflow.

That chapter writes each function here out in full, in a cell of its own; the chapters
after it import them, wherever training is a means and not the lesson.
``tests/test_book.py`` checks that the chapter's cells and this module agree, line for
line, so the book and the library cannot drift apart.

- :func:`train_one_epoch`: one pass over a DataLoader, a gradient step per batch;
- :func:`evaluate`: mean loss and accuracy, in evaluation mode, without gradients;
- :func:`fit`: epochs with validation, early stopping and the best weights restored;
- :class:`History`: what a run did, epoch by epoch, the same for both frameworks;
- :func:`fit_keras` and :func:`epoch_bar`: the same run in Keras, with the same bar.

The functions find the device from the network's parameters, so they run unchanged on a
CPU or a GPU. PyTorch, Keras and tqdm are imported where they are used: importing
``helpers`` needs neither framework.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers._validate import check_int


@dataclass
class History:
    """A run, epoch by epoch: training loss, validation loss and validation accuracy.

    ``best_epoch`` counts from 1: the epoch of the lowest validation loss, whose weights
    the network holds after :func:`fit` or :func:`fit_keras`.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    best_epoch: int = 0

    @property
    def epochs(self) -> int:
        """The number of epochs run."""
        return len(self.train_loss)


def train_one_epoch(net, optimizer, loader, loss_fn) -> float:
    """One pass over ``loader``, one gradient step per batch; the mean training loss."""
    device = next(net.parameters()).device
    net.train()  # training mode (dropout, batch norm)
    total, count = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()  # gradients accumulate in PyTorch: reset them
        loss = loss_fn(net(xb), yb)  # the mean loss over the batch
        loss.backward()  # backpropagation fills p.grad for every parameter p
        optimizer.step()
        total, count = total + loss.item() * len(yb), count + len(yb)
    return total / count  # mean loss over the epoch's examples


def evaluate(net, loader, loss_fn) -> tuple[float, float]:
    """Mean loss and accuracy over ``loader``, for a classifier that outputs logits."""
    import torch

    device = next(net.parameters()).device
    net.eval()  # evaluation mode
    total, correct = 0.0, 0
    with torch.no_grad():  # nothing is learned from evaluation data
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            logits = net(xb)  # (batch, classes)
            total += loss_fn(logits, yb).item() * len(yb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
    return total / len(loader.dataset), correct / len(loader.dataset)


def save_checkpoint(
    path: str | Path, net, optimizer, epoch: int, val_loss: float
) -> None:
    """Write the weights, the optimizer's state, the epoch and its validation loss."""
    import torch

    state = {"model": net.state_dict(), "optimizer": optimizer.state_dict()}
    torch.save({**state, "epoch": epoch, "val_loss": val_loss}, path)


def fit(
    net,
    optimizer,
    train_loader,
    val_loader,
    loss_fn,
    *,
    max_epochs: int,
    patience: int,
    checkpoint: str | Path,
    desc: str = "PyTorch",
) -> History:
    """Train until the validation loss has not improved for ``patience`` epochs.

    Each epoch: train, evaluate on ``val_loader``, and save a checkpoint to the file
    ``checkpoint`` when the validation loss is the best so far. At the end the network
    gets the best epoch's weights back from that file. A bar (titled ``desc``) shows the
    epochs, the training loss and the validation accuracy.
    """
    import torch
    from tqdm.std import tqdm

    max_epochs = check_int("max_epochs", max_epochs, low=1)
    patience = check_int("patience", patience, low=1)
    history, best_loss = History(), float("inf")
    bar = tqdm(total=max_epochs, desc=desc, unit="epoch", file=sys.stdout)
    for epoch in range(1, max_epochs + 1):
        train_loss = train_one_epoch(net, optimizer, train_loader, loss_fn)
        val_loss, val_acc = evaluate(net, val_loader, loss_fn)
        history.train_loss.append(train_loss)
        history.val_loss.append(val_loss)
        history.val_acc.append(val_acc)
        postfix = {"loss": f"{train_loss:.3f}", "val_acc": f"{val_acc:.3f}"}
        bar.set_postfix(postfix, refresh=False)
        bar.update()
        if val_loss < best_loss:  # a new best epoch: save it
            best_loss, history.best_epoch = val_loss, epoch
            save_checkpoint(checkpoint, net, optimizer, epoch, val_loss)
        elif epoch - history.best_epoch >= patience:  # early stopping
            break
    bar.close()
    device = next(net.parameters()).device
    net.load_state_dict(torch.load(checkpoint, map_location=device)["model"])
    return history


def epoch_bar(desc: str = "Keras") -> Any:
    """A Keras callback drawing one tqdm bar over the epochs, as :func:`fit` does."""
    import keras
    from tqdm.std import tqdm

    class EpochBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            total = self.params["epochs"]
            self.bar = tqdm(total=total, desc=desc, unit="epoch", file=sys.stdout)

        def on_epoch_end(self, epoch, logs=None):
            loss, acc = logs["loss"], logs["val_accuracy"]
            self.bar.set_postfix(
                loss=f"{loss:.3f}", val_acc=f"{acc:.3f}", refresh=False
            )
            self.bar.update()

        def on_train_end(self, logs=None):
            self.bar.close()

    return EpochBar()


def fit_keras(
    net,
    X,
    y,
    *,
    validation_data: tuple,
    batch_size: int,
    max_epochs: int,
    patience: int,
    checkpoint: str | Path,
    desc: str = "Keras",
) -> History:
    """:func:`fit` for a compiled Keras classifier (with ``metrics=["accuracy"]``).

    ``EarlyStopping`` stops the run and restores the best weights; ``ModelCheckpoint``
    writes the best model to ``checkpoint`` (a ``.keras`` file).
    """
    import keras

    max_epochs = check_int("max_epochs", max_epochs, low=1)
    patience = check_int("patience", patience, low=1)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )
    save = keras.callbacks.ModelCheckpoint(
        checkpoint, monitor="val_loss", save_best_only=True
    )
    fitted = net.fit(
        X,
        y,
        batch_size=check_int("batch_size", batch_size, low=1),
        epochs=max_epochs,
        validation_data=validation_data,
        callbacks=[stop, save, epoch_bar(desc)],
        verbose=0,  # no per-batch bar: epoch_bar draws one over the epochs
    )
    logs = fitted.history
    return History(
        train_loss=logs["loss"],
        val_loss=logs["val_loss"],
        val_acc=logs["val_accuracy"],
        best_epoch=stop.best_epoch + 1,  # Keras counts epochs from 0
    )
