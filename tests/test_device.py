"""Tests of helpers.device: the book's device policy and TF32 switch."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402
import torch  # noqa: E402

from helpers.device import DEVICE_VARIABLE, device_choice, disable_tf32, torch_device  # noqa: E402
from helpers.seed import set_seed  # noqa: E402


@pytest.fixture
def tf32_on():
    """TF32 allowed in PyTorch's cuDNN (its default); the test's own setting is undone."""
    before = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = True
    yield
    torch.backends.cudnn.allow_tf32 = before


@pytest.mark.parametrize("value", [None, "", "  ", "AUTO", "auto"])
def test_unset_or_auto_is_the_automatic_choice(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(DEVICE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(DEVICE_VARIABLE, value)
    assert device_choice() == "auto"


def test_auto_picks_cuda_exactly_when_it_is_available(monkeypatch):
    monkeypatch.delenv(DEVICE_VARIABLE, raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert torch_device().type == expected


def test_auto_never_picks_mps(monkeypatch):
    monkeypatch.delenv(DEVICE_VARIABLE, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert torch_device() == torch.device("cpu")


def test_auto_picks_cuda_when_present(monkeypatch):
    monkeypatch.delenv(DEVICE_VARIABLE, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert torch_device() == torch.device("cuda")


def test_cpu_wins_over_a_present_gpu(monkeypatch):
    monkeypatch.setenv(DEVICE_VARIABLE, "CPU")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert torch_device() == torch.device("cpu")


def test_a_cuda_index_is_kept(monkeypatch):
    monkeypatch.setenv(DEVICE_VARIABLE, "cuda:1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert torch_device() == torch.device("cuda:1")


@pytest.mark.parametrize("choice", ["cuda", "cuda:0"])
def test_asking_for_a_missing_gpu_fails_clearly(monkeypatch, choice):
    monkeypatch.setenv(DEVICE_VARIABLE, choice)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="BOOK_DEVICE.*CUDA is unavailable"):
        torch_device()


def test_asking_for_missing_mps_fails_clearly(monkeypatch):
    monkeypatch.setenv(DEVICE_VARIABLE, "mps")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match="MPS is unavailable"):
        torch_device()


@pytest.mark.parametrize("value", ["gpu", "cuda:x", "cpu:0", "tpu", "cuda:"])
def test_other_values_are_rejected_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(DEVICE_VARIABLE, value)
    with pytest.raises(ValueError, match=f"{DEVICE_VARIABLE} must be one of"):
        device_choice()


def test_torch_device_turns_tf32_off(monkeypatch, tf32_on):
    monkeypatch.setenv(DEVICE_VARIABLE, "cpu")
    torch_device()
    assert not torch.backends.cudnn.allow_tf32
    assert not torch.backends.cuda.matmul.allow_tf32


def test_set_seed_turns_tf32_off_in_both_frameworks(tf32_on):
    import tensorflow as tf

    tf.config.experimental.enable_tensor_float_32_execution(True)
    try:
        set_seed(0)
        assert not torch.backends.cudnn.allow_tf32
        assert not tf.config.experimental.tensor_float_32_execution_enabled()
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(True)


def test_set_seed_without_frameworks_leaves_them_alone(tf32_on):
    set_seed(0, frameworks=())
    assert torch.backends.cudnn.allow_tf32


def test_disable_tf32_for_torch_only_leaves_tensorflow_alone(tf32_on):
    import tensorflow as tf

    tf.config.experimental.enable_tensor_float_32_execution(True)
    disable_tf32(("torch",))
    assert not torch.backends.cudnn.allow_tf32
    assert tf.config.experimental.tensor_float_32_execution_enabled()
