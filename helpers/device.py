"""Where PyTorch computes: the book's one device policy.

The policy
----------
- **A CUDA GPU when there is one, the CPU otherwise.** Every chapter that moves tensors
  to a device calls :func:`torch_device` once; in Colab with a GPU runtime the models
  train there, on a laptop they run on the CPU, with the same code.
- **The reader decides with ``BOOK_DEVICE``.** ``BOOK_DEVICE=cpu`` keeps everything on
  the CPU although a GPU is present (the way to reproduce the book's CPU numbers);
  ``cuda`` or ``cuda:1`` asks for a GPU and fails clearly when there is none; ``mps``
  opts in to Apple's GPU, which the automatic choice never picks because it has no
  float64 and several chapters check against float64. ``auto`` (or unset) is the
  automatic choice.
- **No TF32.** On NVIDIA GPUs since Ampere, cuDNN convolutions (PyTorch) and all float32
  matrix products (TensorFlow) round their inputs to 10 mantissa bits by default: about
  1e-3 relative error where the CPU has 1e-7. The book's checks compare frameworks and
  from-scratch code in float32 or float64, so :func:`torch_device` and
  :func:`helpers.seed.set_seed` turn TF32 off in both frameworks (:func:`disable_tf32`);
  a reader who wants the speed back sets ``torch.backends.cudnn.allow_tf32 = True`` and
  ``tf.config.experimental.enable_tensor_float_32_execution(True)``.
- **``.cpu()`` before ``.numpy()``.** A CUDA tensor cannot become a NumPy array; the
  chapters write ``t.detach().cpu().numpy()`` (on the CPU, ``.cpu()`` costs nothing).

Small models and the from-scratch comparisons run on the CPU on purpose (a GPU is
slower for them); only chapters that train a network worth moving call this module.
The GPU path has not been run in the book's CI, which has no GPU.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

DEVICE_VARIABLE = "BOOK_DEVICE"
_CHOICES = ("auto", "cpu", "cuda", "mps")


def device_choice() -> str:
    """The reader's choice in ``BOOK_DEVICE``, lower-cased: ``"auto"`` when unset or empty.

    Raises ``ValueError`` for anything but ``auto``, ``cpu``, ``mps``, ``cuda`` or
    ``cuda:<index>``.
    """
    raw = os.environ.get(DEVICE_VARIABLE, "").strip().lower()
    choice = raw or "auto"
    kind, colon, index = choice.partition(":")
    if kind not in _CHOICES or (colon and (kind != "cuda" or not index.isdigit())):
        raise ValueError(
            f"{DEVICE_VARIABLE} must be one of {', '.join(_CHOICES)} or cuda:<index>, got {raw!r}"
        )
    return choice


def torch_device() -> Any:
    """The ``torch.device`` the chapter trains on, by the policy above.

    Returns
    -------
    torch.device
        ``cuda`` when a CUDA GPU is present (or ``BOOK_DEVICE`` names one), else ``cpu``.
    """
    import torch

    choice = device_choice()
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    if choice.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"{DEVICE_VARIABLE}={choice!r} asks for a GPU, but CUDA is unavailable")
    if choice == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"{DEVICE_VARIABLE}='mps' asks for Apple's GPU, but MPS is unavailable")
    disable_tf32(("torch",))
    return torch.device(choice)


def disable_tf32(frameworks: tuple[str, ...] = ("torch", "tensorflow")) -> None:
    """Turn TF32 off in the installed ``frameworks``, so float32 means float32 on a GPU.

    On a CPU the flags change nothing. TensorFlow is only touched if it is installed.
    """
    if "torch" in frameworks and importlib.util.find_spec("torch"):
        import torch

        torch.backends.cuda.matmul.allow_tf32 = False  # PyTorch's default already
        torch.backends.cudnn.allow_tf32 = False  # convolutions: on by default
    if "tensorflow" in frameworks and importlib.util.find_spec("tensorflow"):
        import tensorflow as tf

        tf.config.experimental.enable_tensor_float_32_execution(False)
