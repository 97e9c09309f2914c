"""One call that makes a notebook's random numbers repeatable."""

from __future__ import annotations

import importlib.util
import os
import random
from collections.abc import Iterable

import numpy as np

from helpers._validate import check_int

FRAMEWORKS = ("torch", "tensorflow")


def set_seed(seed: int = 0, frameworks: Iterable[str] = FRAMEWORKS) -> np.random.Generator:
    """Seed Python's ``random``, NumPy, and each installed framework in ``frameworks``.

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
        A fresh generator seeded with ``seed``; pass it on to the data generators.
    """
    seed = check_int("seed", seed, low=0, high=2**32 - 1)
    if isinstance(frameworks, str):
        raise TypeError("frameworks must be an iterable of names, e.g. ('torch',), not a str")
    frameworks = tuple(frameworks)
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        raise ValueError(f"frameworks must be drawn from {FRAMEWORKS}, got {sorted(unknown)}")
    os.environ["PYTHONHASHSEED"] = str(seed)  # for subprocesses; this process's is fixed
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the legacy global state, for code that uses it
    if "torch" in frameworks and importlib.util.find_spec("torch"):
        import torch

        torch.manual_seed(seed)  # also seeds every CUDA device when there is one
    if "tensorflow" in frameworks and importlib.util.find_spec("tensorflow"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow's first import
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
        import keras

        keras.utils.set_random_seed(seed)  # Python, NumPy, TensorFlow and Keras' initialisers
    return np.random.default_rng(seed)
