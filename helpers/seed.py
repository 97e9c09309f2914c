"""One seed per notebook: every random number a chapter draws derives from it.

A notebook calls ``set_seed(s)`` once, in its setup cell. Everything random after that
asks this module for its seed: ``derive_seed(k)`` is the seed of the notebook's k-th
independent run (``s + k``), ``numpy_rng(k)`` and ``torch_generator(k)`` are generators
seeded with it, and ``reseed(k)`` seeds every library again, e.g. right before a model is
built, so that the run does not depend on which cells ran before.

The environment variable ``BOOK_SEED_OFFSET`` (an int >= 0, default 0) shifts every seed
this module hands out, so the whole book can be run again with other seeds:
``BOOK_SEED_OFFSET=3 make test-robust``. A learner gets the same effect by changing the
number in ``set_seed``.
"""

from __future__ import annotations

import importlib.util
import os
import random
from collections.abc import Iterable
from typing import Any

import numpy as np

from helpers._validate import check_int
from helpers.device import disable_tf32

FRAMEWORKS = ("torch", "tensorflow")
OFFSET_VARIABLE = "BOOK_SEED_OFFSET"
MAX_SEED = 2**32 - 1

_notebook_seed: int | None = None  # the last set_seed's seed, offset included


def seed_offset() -> int:
    """The shift ``BOOK_SEED_OFFSET`` adds to every seed (0 when it is unset or empty)."""
    raw = os.environ.get(OFFSET_VARIABLE, "").strip()
    if not raw:
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{OFFSET_VARIABLE} must be an int >= 0, got {raw!r}") from None
    return check_int(OFFSET_VARIABLE, value, low=0, high=MAX_SEED)


def set_seed(seed: int = 0, frameworks: Iterable[str] = FRAMEWORKS) -> np.random.Generator:
    """Make ``seed`` the notebook's seed and seed random, NumPy and the frameworks with it.

    The seed actually used is ``seed + seed_offset()``; ``derive_seed`` counts from it.

    Parameters
    ----------
    seed : int
        A seed in [0, 2**32 - 1].
    frameworks : iterable of {"torch", "tensorflow"}
        Frameworks to seed. One that is not installed is skipped, so the helpers also
        work in an environment with NumPy alone. Pass ``()`` to seed neither (and to
        avoid importing them).

    Returns
    -------
    numpy.random.Generator
        A fresh generator seeded with the notebook's seed; pass it on to the data generators.

    It also sets ``TF_CPP_MIN_LOG_LEVEL=3`` (unless set) so that TensorFlow, imported after
    it, does not print its C++ start-up logs, and turns TF32 off in the seeded frameworks
    (:func:`helpers.device.disable_tf32`): on a recent NVIDIA GPU float32 then means float32.
    """
    global _notebook_seed
    seed = check_int("seed", seed, low=0, high=MAX_SEED)
    frameworks = _check_frameworks(frameworks)
    shifted = seed + seed_offset()
    if shifted > MAX_SEED:
        raise ValueError(f"seed + {OFFSET_VARIABLE} must be at most {MAX_SEED}, got {shifted}")
    _notebook_seed = shifted
    # Quiet TensorFlow's C++ start-up logs wherever it is imported later in the notebook
    # (it reads the variable once, at its first import): setup cells need no os.environ.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    _seed_everything(shifted, frameworks)
    disable_tf32(frameworks)
    return np.random.default_rng(shifted)


def derive_seed(k: int = 0) -> int:
    """The seed of the notebook's k-th independent run: the notebook's seed plus ``k``.

    Before any ``set_seed`` the notebook's seed counts as 0 (plus the offset).

    Parameters
    ----------
    k : int >= 0
        Which run: 0 for the first, 1 for a second independent one, and so on.
    """
    k = check_int("k", k, low=0, high=MAX_SEED)
    base = seed_offset() if _notebook_seed is None else _notebook_seed
    if base + k > MAX_SEED:
        raise ValueError(f"the notebook's seed + k must be at most {MAX_SEED}, got {base + k}")
    return base + k


def numpy_rng(k: int = 0) -> np.random.Generator:
    """A NumPy generator seeded with ``derive_seed(k)``."""
    return np.random.default_rng(derive_seed(k))


def torch_generator(k: int = 0, device: Any = "cpu") -> Any:
    """A ``torch.Generator`` on ``device`` seeded with ``derive_seed(k)`` (for DataLoaders,
    ``torch.randperm`` and ``torch.randn``)."""
    import torch

    return torch.Generator(device=device).manual_seed(derive_seed(k))


def reseed(k: int = 0, frameworks: Iterable[str] = FRAMEWORKS) -> int:
    """Seed random, NumPy and the frameworks with ``derive_seed(k)``; return that seed.

    Call it right before building a model, so that its initial weights and dropout masks
    depend on ``k`` and the notebook's seed only, not on the cells that ran before.
    """
    seed = derive_seed(k)
    _seed_everything(seed, _check_frameworks(frameworks))
    return seed


def _check_frameworks(frameworks: Iterable[str]) -> tuple[str, ...]:
    if isinstance(frameworks, str):
        raise TypeError("frameworks must be an iterable of names, e.g. ('torch',), not a str")
    frameworks = tuple(frameworks)
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        raise ValueError(f"frameworks must be drawn from {FRAMEWORKS}, got {sorted(unknown)}")
    return frameworks


def _seed_everything(seed: int, frameworks: tuple[str, ...]) -> None:
    os.environ["PYTHONHASHSEED"] = str(seed)  # for subprocesses; this process's is fixed
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the legacy global state, for code that uses it
    if "torch" in frameworks and importlib.util.find_spec("torch"):
        import torch

        torch.manual_seed(seed)  # also seeds every CUDA device when there is one
    if "tensorflow" in frameworks and importlib.util.find_spec("tensorflow"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow's first import
        import keras

        keras.utils.set_random_seed(seed)  # Python, NumPy, TensorFlow and Keras' initialisers
