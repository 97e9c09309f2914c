"""Exercise checkers: a right answer prints one ✓ line, a wrong one says what is wrong.

A wrong answer raises an ``AssertionError`` starting ``✗ {name}:`` that names the likely
mistake: a missing ``return``, a transposed matrix, a NaN, a flipped sign, a missing 1/n.
Answers may be numbers, lists, NumPy arrays or torch/tf tensors (neither is imported here).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from helpers._validate import check_array, check_float

Fn = Callable[[np.ndarray], object]
Tol = tuple[float, float]  # (rtol, atol), in np.allclose's order
_NICE_FACTORS = tuple(range(2, 11)) + tuple(1 / k for k in range(2, 11))


class _Terms(NamedTuple):
    """The words a diagnosis uses, so values and gradients share one set of checks."""

    noun: str  # what the learner returned
    entries: str  # its parts, plural
    reference: str  # what it is compared with
    given: str  # introduces the reference value next to the learner's
    sign_hint: str
    factor2_hint: str | None  # for a factor of 2 or 1/2; None: the generic 1/n hint


_ANSWER = _Terms(
    "answer",
    "entries",
    "the expected value",
    "expected",
    "check a minus sign, e.g. `y - y_hat` versus `y_hat - y`",
    None,
)
_GRADIENT = _Terms(
    "gradient",
    "components",
    "the finite-difference gradient",
    "finite differences give",
    "did you differentiate -f, or write `y - y_hat` where `y_hat - y` belongs?",
    "forgot the chain rule's inner derivative, or applied it twice (the 2 in d/dx x² = 2x)?",
)


def check_close(
    answer: object,
    expected: object,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    name: str = "answer",
) -> None:
    """Check that ``answer`` equals ``expected`` up to ``np.allclose`` tolerances.

    Parameters
    ----------
    answer : scalar, list, ndarray, torch or tf tensor
        The learner's result, any shape.
    expected : scalar, list, ndarray, torch or tf tensor
        The reference result, finite, the shape ``answer`` must have.
    rtol, atol : float
        Relative and absolute tolerance, finite and >= 0.
    name : str
        What is being checked, used in the messages.

    Prints a ✓ line, or raises ``AssertionError`` naming the likely mistake.
    """
    rtol, atol, name = _check_settings(rtol, atol, name)
    expected = check_array("expected", _to_numpy(expected))
    answer = _answer_array(answer, name)
    problem = _diagnose(answer, expected, (rtol, atol), _ANSWER)
    if problem:
        raise AssertionError(f"✗ {name}: {problem}")
    diff = float(np.max(np.abs(answer - expected), initial=0.0))
    print(f"✓ {name} is correct (max abs difference {diff:.2e})")


def numerical_gradient(f: Fn, x: object, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient: nudge each entry of ``x`` by ±eps and watch ``f``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar.
    x : scalar or array-like, shape (d,) or any shape
        The point; ``f`` is never called on ``x`` itself, only on nudged copies.
    eps : float
        The step, in (0, 1e-2].

    Returns
    -------
    ndarray, shape like ``x``, float64
        ``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.
    """
    _check_callable("f", f)
    x = check_array("x", _to_numpy(x))
    eps = check_float("eps", eps, low=0.0, high=1e-2, low_open=True)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (_scalar(f, x + step) - _scalar(f, x - step)) / (2 * eps)
    return grad


def check_gradient(
    grad_fn: Fn,
    f: Fn,
    x: object,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    name: str = "gradient",
) -> None:
    """Check ``grad_fn`` against the finite-difference gradient of ``f``.

    Parameters
    ----------
    grad_fn : callable
        The learner's gradient: takes a copy of a point, returns an array shaped like it.
    f : callable
        Maps a point (float64 array of shape (d,), or a scalar) to a scalar.
    x : scalar or array-like, shape (d,) or (k, d)
        One point, or k points (one a row), each checked in turn.
    eps : float
        Finite-difference step, in (0, 1e-2].
    rtol, atol : float
        Tolerances of the comparison, finite and >= 0.
    name : str
        What is being checked, used in the messages.

    Prints a ✓ line, or raises ``AssertionError`` at the first point where it is wrong.
    """
    _check_callable("grad_fn", grad_fn)
    _check_callable("f", f)
    x = check_array("x", _to_numpy(x))
    if x.ndim > 2 or x.size == 0:
        raise ValueError(f"x must be a scalar, a point (d,) or points (k, d), got shape {x.shape}")
    eps = check_float("eps", eps, low=0.0, high=1e-2, low_open=True)
    rtol, atol, name = _check_settings(rtol, atol, name)
    points = x if x.ndim == 2 else [x]
    errors = [_check_point(grad_fn, f, p, eps, (rtol, atol), name) for p in points]
    where = f"all {len(points)} points" if x.ndim == 2 else f"x = {_fmt(x)}"
    print(f"✓ {name} matches finite differences at {where} (relative error {max(errors):.1e})")


def check_in_range(value: object, low: float, high: float, *, name: str = "value") -> None:
    """Check that a single number lies in [low, high], e.g. the steps a method needed.

    Parameters
    ----------
    value : number, 0-d or one-element array or tensor
        The learner's number.
    low, high : float
        The accepted range, finite, ``low <= high``.
    name : str
        What is being checked, used in the messages.
    """
    low, high = check_float("low", low), check_float("high", high)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low:g}, high={high:g}")
    name = _check_name(name)
    arr = _answer_array(value, name)
    if arr.size != 1:
        raise AssertionError(f"✗ {name}: expected a single number, got shape {arr.shape}")
    problem = _nonfinite_problem(arr)
    v = arr.item()
    if not problem and not low <= v <= high:
        too = "low" if v < low else "high"
        problem = f"{v:g} is too {too}; expected a value in [{low:g}, {high:g}]"
    if problem:
        raise AssertionError(f"✗ {name}: {problem}")
    print(f"✓ {name} = {v:g} is in the expected range [{low:g}, {high:g}]")


class expect_error:  # noqa: N801 - used like a function: ``with expect_error(...)``
    """A block that must raise ``error``: ``with expect_error(ValueError): ...``.

    The block passes only if it raises ``error`` (an exception class or a tuple of
    them) with a message matching the regular expression ``match``; the exception is
    then swallowed, its type and first line printed (unless ``show=False``), and kept
    as ``.error``. A block that raises nothing fails with an ``AssertionError``; one that
    raises something else lets it through. It is the notebooks' form of
    ``pytest.raises``: a claim that some code is refused, which can fail.
    """

    def __init__(self, error: type | tuple, *, match: str | None = None, show: bool = True):
        errors = error if isinstance(error, tuple) else (error,)
        if not errors or not all(
            isinstance(e, type) and issubclass(e, BaseException) for e in errors
        ):
            raise TypeError(f"error must be an exception class or a tuple of them, got {error!r}")
        if match is not None and not isinstance(match, str):
            raise TypeError(f"match must be a str (a regular expression) or None, got {match!r}")
        self.errors, self.match, self.show = errors, match, bool(show)
        self.error: BaseException | None = None

    def __enter__(self) -> expect_error:
        return self

    def __exit__(self, kind, value, traceback) -> bool:
        names = " or ".join(e.__name__ for e in self.errors)
        if value is None:
            raise AssertionError(f"expected {names}, but nothing was raised")
        if not isinstance(value, self.errors):
            return False  # another error: let it through
        message = str(value)
        if self.match is not None and not re.search(self.match, message):
            raise AssertionError(
                f"{type(value).__name__} raised, but its message does not match "
                f"{self.match!r}: {message[:300]!r}"
            ) from value
        self.error = value
        if self.show:
            first = message.strip().splitlines()[0] if message.strip() else ""
            cut = first[:160] + ("…" if len(first) > 160 else "")
            print(f"{type(value).__name__}: {cut}")
        return True


def _check_point(grad_fn: Fn, f: Fn, x: np.ndarray, eps: float, tol: Tol, name: str) -> float:
    """Check the gradient at one point; return its relative error."""
    expected = numerical_gradient(f, x, eps)
    answer = _answer_array(grad_fn(x.copy()), name)
    if answer.size == 1 and expected.size == 1:  # one parameter: a scalar gradient is fine
        answer = answer.reshape(expected.shape)
    problem = _diagnose(answer, expected, tol, _GRADIENT)
    if problem:
        raise AssertionError(f"✗ {name}: at x = {_fmt(x)}, {problem}")
    total = np.linalg.norm(answer) + np.linalg.norm(expected)
    return float(np.linalg.norm(answer - expected) / max(total, np.finfo(float).tiny))


# --- argument handling ---------------------------------------------------------------


def _check_settings(rtol: object, atol: object, name: object) -> tuple[float, float, str]:
    return check_float("rtol", rtol, low=0.0), check_float("atol", atol, low=0.0), _check_name(name)


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    return name


def _check_callable(arg: str, value: object) -> None:
    if not callable(value):
        raise TypeError(f"{arg} must be callable (a function), got {type(value).__name__}")


def _to_numpy(x: object) -> np.ndarray:
    """An array from NumPy input or a tensor (detached from autograd and moved to the CPU)."""
    if hasattr(x, "detach"):  # a torch tensor, possibly requiring grad
        x = x.detach().cpu()
    return np.asarray(x)


def _answer_array(answer: object, name: str) -> np.ndarray:
    """The learner's answer as a float array, or an AssertionError saying why it is not one."""
    if answer is None:
        raise AssertionError(f"✗ {name}: you returned None — did you forget `return`?")
    try:
        arr = _to_numpy(answer)
        if arr.dtype.kind in "USc":
            raise TypeError("complex numbers" if arr.dtype.kind == "c" else "text, not numbers")
        return arr.astype(float)
    except (TypeError, ValueError, RuntimeError) as err:
        raise AssertionError(
            f"✗ {name}: expected a number or an array of numbers, got {type(answer).__name__}: "
            f"{err}"
        ) from None


def _scalar(f: Fn, x: np.ndarray) -> float:
    value = np.asarray(_to_numpy(f(x)), dtype=float)
    if value.size != 1:
        raise ValueError(f"f must return a scalar, got shape {value.shape} at x = {_fmt(x)}")
    if not np.isfinite(value.item()):
        raise ValueError(f"f must return a finite scalar, got {value.item()} at x = {_fmt(x)}")
    return value.item()


# --- diagnosis, shared by check_close and check_gradient --------------------------------


def _diagnose(a: np.ndarray, e: np.ndarray, tol: Tol, terms: _Terms) -> str | None:
    """What is wrong with ``a`` compared with ``e``, or None if they are close."""
    problem = _shape_problem(a.shape, e.shape) or _nonfinite_problem(a)
    if problem or np.allclose(a, e, *tol):
        return problem
    return (
        _sign_problem(a, e, tol, terms)
        or _zero_problem(a, e, tol, terms)
        or _factor_problem(a, e, tol, terms)
        or _mismatch_problem(a, e, tol, terms)
    )


def _shape_problem(got: tuple[int, ...], want: tuple[int, ...]) -> str | None:
    if got == want:
        return None
    text = f"has shape {got}, expected {want}"
    fix = "`.item()`" if want == () else f"`.reshape{want}`"
    if len(got) >= 2 and got[::-1] == want:
        return f"{text} — looks transposed; try `.T`"
    if [n for n in got if n != 1] == [n for n in want if n != 1]:
        axis = "an extra" if len(got) > len(want) else "a missing"
        return f"{text} — {axis} axis of size 1; try {fix}"
    if len(got) == 2 and got[0] == got[1] and [n for n in want if n != 1] == [got[0]]:
        return f"{text} — an (n, 1) and an (n,) array broadcast to (n, n); match their shapes"
    if math.prod(got) == math.prod(want):
        return f"{text} — same number of entries; check the axis order, then try {fix}"
    return text


def _nonfinite_problem(a: np.ndarray) -> str | None:
    n_nan, n_inf = int(np.isnan(a).sum()), int(np.isinf(a).sum())
    if n_nan + n_inf == 0:
        return None
    if a.size == 1:
        what = f"is {'NaN' if n_nan else a.item()}"
    else:
        what = f"has {n_nan} NaN and {n_inf} inf among its {a.size} entries"
    return (
        f"{what} — NaN and inf usually come from overflow (exp of a large number, "
        "a learning rate that is too large) or from log(0) or 0/0"
    )


def _sign_problem(a: np.ndarray, e: np.ndarray, tol: Tol, terms: _Terms) -> str | None:
    if not np.allclose(a, -e, *tol):
        return None
    return f"the sign is flipped: your {terms.noun} is minus {terms.reference} — {terms.sign_hint}"


def _zero_problem(a: np.ndarray, e: np.ndarray, tol: Tol, terms: _Terms) -> str | None:
    if not np.allclose(a, 0.0, rtol=0.0, atol=tol[1]):
        return None
    where = " everywhere" if a.size > 1 else ""
    return (
        f"your {terms.noun} is zero{where}, but {terms.reference} is not — "
        "is a value never updated or accumulated?"
    )


def _factor_problem(a: np.ndarray, e: np.ndarray, tol: Tol, terms: _Terms) -> str | None:
    """Detect ``a ≈ c·e``: any c for arrays (fitted), a nice c (2, 1/3, ...) for scalars."""
    ee = float(np.vdot(e, e))
    if ee == 0.0:
        return None
    c = float(np.vdot(a, e)) / ee
    candidates = [math.copysign(k, c) for k in _NICE_FACTORS] + ([c] if e.size > 1 else [])
    for k in candidates:
        if abs(k - 1) > 1e-3 and np.allclose(a, k * e, *tol):
            text = f"{k:.4g}" + (".0" if float(f"{k:.4g}").is_integer() else "")
            return f"your {terms.noun} is {text}× {terms.reference} — {_factor_hint(k, terms)}"
    return None


def _factor_hint(c: float, terms: _Terms) -> str:
    k = abs(c)
    if terms.factor2_hint and (np.isclose(k, 2) or np.isclose(k, 0.5)):
        return terms.factor2_hint
    if k > 1:
        return "a missing 1/2 or 1/n (a sum where a mean belongs)?"
    return "an extra 1/2 or 1/n (a mean where a sum belongs)?"


def _mismatch_problem(a: np.ndarray, e: np.ndarray, tol: Tol, terms: _Terms) -> str:
    diff = np.abs(a - e)
    if a.ndim == 0:
        allowed = tol[1] + tol[0] * abs(e.item())
        return (
            f"got {a.item():.6g}, {terms.given} {e.item():.6g} "
            f"(abs difference {diff.item():.2e}, allowed {allowed:.1e})"
        )
    bad = np.argwhere(~np.isclose(a, e, *tol))
    listed = ", ".join([_index(i) for i in bad[:5]] + ["..."] * (len(bad) > 5))
    worst = np.unravel_index(int(np.argmax(diff)), a.shape)
    return (
        f"{len(bad)} of {a.size} {terms.entries} {'is' if len(bad) == 1 else 'are'} wrong, "
        f"at {listed}; the worst, at {_index(worst)}: got {a[worst]:.6g}, "
        f"{terms.given} {e[worst]:.6g} (max abs difference {diff.max():.2e})"
    )


def _index(i: tuple) -> str:
    i = tuple(int(v) for v in i)
    return str(i[0]) if len(i) == 1 else str(i)


def _fmt(x: np.ndarray) -> str:
    return np.array2string(np.asarray(x), precision=4, separator=", ", threshold=10)
