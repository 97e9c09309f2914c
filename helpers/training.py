"""Training loops for PyTorch and Keras, as taught in 04_practice/training_workflow.

That chapter writes each function here out in full, in a cell of its own; the chapters
after it import them, wherever training is a means and not the lesson.
``tests/test_book.py`` checks that the chapter's cells and this module agree, line for
line, so the book and the library cannot drift apart.

- :func:`train_one_epoch`: one pass over a DataLoader, a gradient step per batch;
- :func:`evaluate`: mean loss and accuracy, in evaluation mode, without gradients;
- :func:`fit`: epochs with validation, early stopping and the best weights restored;
  its production knobs (a learning-rate schedule, gradient clipping, mixed precision,
  a hook after each epoch), off by default, are taught in
  04_practice/reproducibility_and_production;
- :class:`History`: what a run did, epoch by epoch, the same for both frameworks;
- :func:`fit_keras` and :func:`epoch_bar`: the same run in Keras, with the same bar.

The functions find the device from the network's parameters, so they run unchanged on a
CPU or a GPU. PyTorch, Keras and tqdm are imported where they are used: importing
``helpers`` needs neither framework.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers._validate import check_float, check_int


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


def train_one_epoch(
    net,
    optimizer,
    loader,
    loss_fn,
    *,
    clip_norm: float | None = None,
    amp: bool = False,
    scaler: Any = None,
) -> float:
    """One pass over ``loader``, one gradient step per batch; the mean training loss.

    Off by default: ``clip_norm`` rescales each step's gradients to a norm of at most
    ``clip_norm``; ``amp=True`` runs the forward pass in mixed precision, with
    ``scaler`` (a ``torch.amp.GradScaler``, made here if none is given) scaling the
    loss so that float16 gradients on a GPU do not underflow.
    """
    import torch

    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, low=0, low_open=True)
    if not isinstance(amp, bool):
        raise TypeError(f"amp must be a bool, got {type(amp).__name__}")
    device = next(net.parameters()).device
    cuda_amp = amp and device.type == "cuda"  # float16 needs loss scaling, bfloat16 not
    scaler = scaler or torch.amp.GradScaler(device.type, enabled=cuda_amp)
    net.train()  # training mode (dropout, batch norm)
    total, count = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()  # gradients accumulate in PyTorch: reset them
        with torch.autocast(device.type, enabled=amp):  # low precision where safe
            loss = loss_fn(net(xb), yb)  # the mean loss over the batch
        scaler.scale(loss).backward()  # backpropagation fills p.grad for every p
        if clip_norm is not None:
            scaler.unscale_(optimizer)  # clip the true gradients, not scaled ones
            torch.nn.utils.clip_grad_norm_(net.parameters(), clip_norm)
        scaler.step(optimizer)  # optimizer.step(), skipped if a gradient overflowed
        scaler.update()
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
    scheduler: Any = None,
    clip_norm: float | None = None,
    amp: bool = False,
    on_epoch_end: Callable[[int, History], object] | None = None,
) -> History:
    """Train until the validation loss has not improved for ``patience`` epochs.

    Each epoch: train, evaluate on ``val_loader``, and save a checkpoint to the file
    ``checkpoint`` when the validation loss is the best so far. At the end the network
    gets the best epoch's weights back from that file. A bar (titled ``desc``) shows the
    epochs, the training loss and the validation accuracy. Off by default: a learning
    rate ``scheduler`` stepped once per epoch (``ReduceLROnPlateau`` with the validation
    loss); ``clip_norm`` and ``amp`` as in :func:`train_one_epoch`; a hook
    ``on_epoch_end(epoch, history)`` called after each epoch's evaluation.
    """
    import torch
    from tqdm.std import tqdm

    max_epochs = check_int("max_epochs", max_epochs, low=1)
    patience = check_int("patience", patience, low=1)
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"scheduler must have a step method, got {scheduler!r}")
    if on_epoch_end is not None and not callable(on_epoch_end):
        raise TypeError(f"on_epoch_end must be callable, got {on_epoch_end!r}")
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    device = next(net.parameters()).device
    scaler = torch.amp.GradScaler(device.type, enabled=amp and device.type == "cuda")
    knobs = {"clip_norm": clip_norm, "amp": amp, "scaler": scaler}
    history, best_loss = History(), float("inf")
    bar = tqdm(
        total=max_epochs, desc=desc, unit="epoch", file=sys.stdout, mininterval=5
    )
    for epoch in range(1, max_epochs + 1):
        train_loss = train_one_epoch(net, optimizer, train_loader, loss_fn, **knobs)
        val_loss, val_acc = evaluate(net, val_loader, loss_fn)
        history.train_loss.append(train_loss)
        history.val_loss.append(val_loss)
        history.val_acc.append(val_acc)
        postfix = {"loss": f"{train_loss:.3f}", "val_acc": f"{val_acc:.3f}"}
        bar.set_postfix(postfix, refresh=False)
        bar.update()
        if on_epoch_end is not None:  # a hook: log the epoch, record the learning rate
            on_epoch_end(epoch, history)
        if plateau:  # ReduceLROnPlateau decides on the validation loss
            scheduler.step(val_loss)
        elif scheduler is not None:  # the next epoch's learning rate
            scheduler.step()
        if val_loss < best_loss:  # a new best epoch: save it
            best_loss, history.best_epoch = val_loss, epoch
            save_checkpoint(checkpoint, net, optimizer, epoch, val_loss)
        elif epoch - history.best_epoch >= patience:  # early stopping
            break
    bar.close()
    net.load_state_dict(torch.load(checkpoint, map_location=device)["model"])
    return history


def epoch_bar(desc: str = "Keras") -> Any:
    """A Keras callback drawing one tqdm bar over the epochs, as :func:`fit` does."""
    import keras
    from tqdm.std import tqdm

    class EpochBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            total = self.params["epochs"]
            self.bar = tqdm(
                total=total, desc=desc, unit="epoch", file=sys.stdout, mininterval=5
            )

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
