"""Tests of helpers.seed: one call makes random, NumPy, torch and Keras repeatable."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

# Before TensorFlow's first import (here or in set_seed): quiet logs, deterministic CPU ops.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.seed import (  # noqa: E402
    derive_seed,
    numpy_rng,
    reseed,
    seed_offset,
    set_seed,
    torch_generator,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _restore_pythonhashseed(monkeypatch):
    """set_seed writes PYTHONHASHSEED into os.environ; undo that after each test. The tests
    state seeds exactly, so a BOOK_SEED_OFFSET in the caller's environment is removed."""
    monkeypatch.setenv("PYTHONHASHSEED", os.environ.get("PYTHONHASHSEED", "0"))
    monkeypatch.delenv("BOOK_SEED_OFFSET", raising=False)


def draws(seed: int, frameworks=()) -> tuple[np.ndarray, list[float], np.ndarray]:
    """Draws from the returned generator, from `random` and from NumPy's global state."""
    rng = set_seed(seed, frameworks=frameworks)
    return rng.random(4), [random.random() for _ in range(4)], np.random.rand(4)  # noqa: NPY002


# --- random and NumPy --------------------------------------------------------------------


def test_set_seed_returns_a_numpy_generator():
    assert isinstance(set_seed(0, frameworks=()), np.random.Generator)


def test_returned_generator_is_seeded_with_the_seed():
    np.testing.assert_array_equal(
        set_seed(5, frameworks=()).random(3), np.random.default_rng(5).random(3)
    )


def test_same_seed_gives_the_same_draws_everywhere():
    first, second = draws(3), draws(3)
    np.testing.assert_array_equal(first[0], second[0])  # the returned generator
    assert first[1] == second[1]  # random
    np.testing.assert_array_equal(first[2], second[2])  # np.random global state


def test_different_seeds_give_different_draws_everywhere():
    first, second = draws(3), draws(4)
    assert not np.array_equal(first[0], second[0])
    assert first[1] != second[1]
    assert not np.array_equal(first[2], second[2])


def test_set_seed_sets_pythonhashseed_for_subprocesses():
    set_seed(11, frameworks=())
    assert os.environ["PYTHONHASHSEED"] == "11"


@pytest.mark.parametrize("seed", [0, 2**32 - 1, np.int64(7)])
def test_seeds_at_the_ends_of_the_range_and_numpy_ints_are_accepted(seed):
    np.testing.assert_array_equal(
        set_seed(seed, frameworks=()).random(2), np.random.default_rng(int(seed)).random(2)
    )


# --- frameworks --------------------------------------------------------------------------


def test_torch_is_seeded():
    torch = pytest.importorskip("torch")
    set_seed(3)
    first = torch.rand(3)
    set_seed(3)
    assert torch.equal(torch.rand(3), first)
    set_seed(4)
    assert not torch.equal(torch.rand(3), first)


def test_keras_initial_weights_are_seeded():
    pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")

    def initial_weights(seed: int) -> list[np.ndarray]:
        set_seed(seed)
        layer = keras.layers.Dense(3)
        layer.build((None, 2))
        return layer.get_weights()

    first, second, other = initial_weights(3), initial_weights(3), initial_weights(4)
    assert [w.shape for w in first] == [(2, 3), (3,)]
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_tensorflow_random_ops_are_seeded():
    tf = pytest.importorskip("tensorflow")
    set_seed(3)
    first = tf.random.uniform((3,)).numpy()
    set_seed(3)
    np.testing.assert_array_equal(tf.random.uniform((3,)).numpy(), first)
    set_seed(4)
    assert not np.array_equal(tf.random.uniform((3,)).numpy(), first)


def test_no_frameworks_leaves_torch_state_alone():
    torch = pytest.importorskip("torch")
    torch.manual_seed(123)
    state = torch.get_rng_state()
    set_seed(0, frameworks=())
    assert torch.equal(torch.get_rng_state(), state)


def test_no_frameworks_seeds_random_and_numpy_without_importing_torch_or_tensorflow():
    code = (
        "import random, sys\n"
        "import numpy as np\n"
        "from helpers.seed import set_seed\n"
        "set_seed(0, frameworks=())\n"
        "a = (random.random(), np.random.rand())\n"
        "set_seed(0, frameworks=())\n"
        "assert (random.random(), np.random.rand()) == a\n"
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_a_framework_that_is_not_installed_is_skipped(monkeypatch):
    for name in ("torch", "tensorflow", "keras"):
        monkeypatch.setitem(sys.modules, name, None)  # find_spec -> None, import fails
    rng = set_seed(2)
    np.testing.assert_array_equal(rng.random(2), np.random.default_rng(2).random(2))


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "error"),
    [(-1, ValueError), (2**32, ValueError), (1.5, TypeError), (True, TypeError), ("3", TypeError)],
)
def test_bad_seed_is_rejected_naming_seed(seed, error):
    with pytest.raises(error, match="seed"):
        set_seed(seed, frameworks=())


@pytest.mark.parametrize(
    ("frameworks", "error"),
    [("torch", TypeError), (("jax",), ValueError), (("torch", "jax"), ValueError)],
)
def test_bad_frameworks_are_rejected_naming_frameworks(frameworks, error):
    with pytest.raises(error, match="frameworks"):
        set_seed(0, frameworks=frameworks)


# --- the notebook's seed, derived seeds and BOOK_SEED_OFFSET ------------------------------


@pytest.fixture
def offset(monkeypatch):
    """Set BOOK_SEED_OFFSET for one test: ``offset(3)``."""
    monkeypatch.delenv("BOOK_SEED_OFFSET", raising=False)
    return lambda value: monkeypatch.setenv("BOOK_SEED_OFFSET", str(value))


def test_without_offset_set_seed_uses_the_seed_itself(offset):
    np.testing.assert_array_equal(
        set_seed(5, frameworks=()).random(3), np.random.default_rng(5).random(3)
    )
    assert seed_offset() == 0


def test_offset_shifts_the_seed_of_set_seed(offset):
    offset(3)
    np.testing.assert_array_equal(
        set_seed(5, frameworks=()).random(3), np.random.default_rng(8).random(3)
    )
    assert random.random() == random.Random(8).random()


def test_derive_seed_counts_from_the_notebook_seed(offset):
    set_seed(10, frameworks=())
    assert [derive_seed(k) for k in range(3)] == [10, 11, 12]
    assert derive_seed() == 10


def test_derive_seed_includes_the_offset(offset):
    offset(4)
    set_seed(10, frameworks=())
    assert derive_seed(2) == 16


def test_an_empty_offset_counts_as_zero(offset):
    offset("")
    assert seed_offset() == 0


def test_numpy_rng_is_seeded_with_the_derived_seed(offset):
    offset(1)
    set_seed(0, frameworks=())
    np.testing.assert_array_equal(numpy_rng(2).random(3), np.random.default_rng(3).random(3))


def test_torch_generator_is_seeded_with_the_derived_seed(offset):
    torch = pytest.importorskip("torch")
    offset(2)
    set_seed(0, frameworks=())
    expected = torch.rand(3, generator=torch.Generator().manual_seed(3))
    assert torch.equal(torch.rand(3, generator=torch_generator(1)), expected)


def test_reseed_seeds_everything_with_the_derived_seed_and_keeps_the_notebook_seed(offset):
    torch = pytest.importorskip("torch")
    set_seed(7, frameworks=())
    assert reseed(2, frameworks=("torch",)) == 9
    first = (random.random(), np.random.rand(), torch.rand(1))  # noqa: NPY002
    set_seed(9)
    second = (random.random(), np.random.rand(), torch.rand(1))  # noqa: NPY002
    assert first[:2] == second[:2] and torch.equal(first[2], second[2])
    set_seed(7, frameworks=())
    reseed(2, frameworks=())
    assert derive_seed() == 7


def test_load_digits_split_follows_the_notebook_seed(offset):
    pytest.importorskip("sklearn")
    from helpers.data import load_digits

    set_seed(0, frameworks=())
    first = load_digits().y_test
    assert np.array_equal(load_digits(seed=0).y_test, first)
    offset(1)
    set_seed(0, frameworks=())
    assert not np.array_equal(load_digits().y_test, first)
    assert np.array_equal(load_digits().y_test, load_digits(seed=1).y_test)


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_bad_offset_is_rejected_naming_the_variable(offset, value):
    offset(value)
    with pytest.raises(ValueError, match="BOOK_SEED_OFFSET"):
        set_seed(0, frameworks=())


def test_seed_plus_offset_past_the_range_is_rejected(offset):
    offset(1)
    with pytest.raises(ValueError, match="BOOK_SEED_OFFSET"):
        set_seed(2**32 - 1, frameworks=())


@pytest.mark.parametrize(("k", "error"), [(-1, ValueError), (1.0, TypeError), ("1", TypeError)])
def test_bad_k_is_rejected_naming_k(k, error):
    with pytest.raises(error, match="k"):
        derive_seed(k)


def test_bad_frameworks_in_reseed_are_rejected_naming_frameworks():
    with pytest.raises(TypeError, match="frameworks"):
        reseed(0, frameworks="torch")


def test_set_seed_quiets_tensorflow_for_later_imports_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    set_seed(0, frameworks=())
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    set_seed(0, frameworks=())
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1", "a reader's own setting is kept"
