"""Behaviour of the exercise checkers: right answers pass, wrong ones say what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import (
    check_close,
    check_gradient,
    check_in_range,
    expect_error,
    numerical_gradient,
)

E = np.arange(1.0, 7.0).reshape(2, 3)  # an expected (2, 3) answer with no zeros
A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])  # symmetric
X = np.array([0.5, -1.0, 2.0])
POINTS = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0], [-1.5, 0.3, 1.0]])


def f_sin(x: np.ndarray) -> float:
    return float(np.sum(x**2) + np.sin(x[0]))


def grad_sin(x: np.ndarray) -> np.ndarray:
    g = 2 * x
    g[0] += np.cos(x[0])
    return g


def f_quad(x: np.ndarray) -> float:
    return float(0.5 * x @ A @ x)


# --- check_close: right answers ----------------------------------------------------------


def test_close_prints_tick_line_with_max_difference(capsys):
    check_close(E + 1e-9, E, name="y_hat")
    assert capsys.readouterr().out == "✓ y_hat is correct (max abs difference 1.00e-09)\n"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(3, 3.0), ([1, 2, 3], np.array([1.0, 2.0, 3.0])), (np.float32(0.1), 0.1), (True, 1.0)],
)
def test_close_accepts_numbers_lists_and_arrays(answer, expected, capsys):
    check_close(answer, expected)
    assert capsys.readouterr().out.startswith("✓ answer is correct")


def test_close_uses_rtol_and_atol():
    check_close(100.05, 100.0, rtol=1e-3)
    with pytest.raises(AssertionError, match="allowed"):
        check_close(100.05, 100.0)


# --- check_close: each diagnosis -----------------------------------------------------------


def test_none_asks_about_a_missing_return():
    with pytest.raises(AssertionError, match=r"^✗ answer: you returned None .*forget `return`"):
        check_close(None, E)


@pytest.mark.parametrize(
    ("answer", "words"),
    [("3.0", "str: text, not numbers"), ([1, [2, 3]], "list: .*inhomogeneous"), (1j, "complex")],
)
def test_non_numeric_answer_is_named(answer, words):
    with pytest.raises(AssertionError, match=f"an array of numbers, got {words}"):
        check_close(answer, 3.0)


def test_transposed_answer_is_spotted():
    with pytest.raises(AssertionError, match=r"\(3, 2\), expected \(2, 3\) — looks transposed"):
        check_close(E.T, E)


@pytest.mark.parametrize(
    ("answer", "expected", "words"),
    [
        (E[None], E, r"an extra axis of size 1; try `\.reshape\(2, 3\)`"),
        (np.ones(3), np.ones((3, 1)), "a missing axis of size 1"),
        (np.array([3.0]), 3.0, r"an extra axis of size 1; try `\.item\(\)`"),
    ],
)
def test_axis_of_size_one_is_spotted(answer, expected, words):
    with pytest.raises(AssertionError, match=words):
        check_close(answer, expected)


def test_same_number_of_entries_suggests_reshape():
    with pytest.raises(AssertionError, match=r"same number of entries.*`\.reshape\(2, 3\)`"):
        check_close(E.ravel(), E)


def test_accidental_broadcast_to_square_is_spotted():
    with pytest.raises(AssertionError, match=r"broadcast to \(n, n\)"):
        check_close(np.ones((4, 4)), np.ones(4))


def test_other_shape_mismatch_gives_both_shapes():
    with pytest.raises(AssertionError, match=r"has shape \(5,\), expected \(3,\)$"):
        check_close(np.ones(5), np.ones(3))


def test_nan_and_inf_are_counted_with_a_hint():
    answer = np.array([1.0, np.nan, np.inf, np.nan])
    with pytest.raises(AssertionError, match=r"2 NaN and 1 inf among its 4 entries.*learning rate"):
        check_close(answer, np.ones(4))


def test_scalar_nan_says_so():
    with pytest.raises(AssertionError, match=r"^✗ loss: is NaN — .*log\(0\)"):
        check_close(float("nan"), 0.7, name="loss")


def test_shape_is_diagnosed_before_nan():
    with pytest.raises(AssertionError, match="looks transposed"):
        check_close(np.full((3, 2), np.nan), E)


def test_flipped_sign_is_spotted():
    with pytest.raises(AssertionError, match="the sign is flipped: your answer is minus"):
        check_close(-E, E)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2 * E, r"2\.0× the expected value — a missing 1/2 or 1/n"),
        (E / 2, r"0\.5× the expected value — an extra 1/2 or 1/n"),
        (E * 7 / 6, r"1\.167× the expected value"),  # any factor, as all entries share it
        (-3 * E, r"-3\.0× the expected value"),
    ],
)
def test_constant_factor_is_reported(answer, words):
    with pytest.raises(AssertionError, match=words):
        check_close(answer, E)


def test_scalar_reports_only_a_simple_factor():
    with pytest.raises(AssertionError, match=r"4\.0× the expected value"):
        check_close(12.0, 3.0)
    with pytest.raises(AssertionError, match=r"got 2\.5, expected 3 \(abs difference 5\.00e-01"):
        check_close(2.5, 3.0)


def test_all_zero_answer_is_spotted():
    with pytest.raises(AssertionError, match="your answer is zero everywhere"):
        check_close(np.zeros_like(E), E)


def test_mismatch_gives_count_worst_index_values_and_difference():
    answer = E.copy()
    answer[0, 1] += 0.1
    answer[1, 2] -= 3.0
    with pytest.raises(AssertionError) as info:
        check_close(answer, E)
    assert str(info.value) == (
        "✗ answer: 2 of 6 entries are wrong, at (0, 1), (1, 2); the worst, at (1, 2): "
        "got 3, expected 6 (max abs difference 3.00e+00)"
    )


def test_mismatch_lists_at_most_five_indices():
    answer = np.arange(10.0)
    answer[1:9] += np.arange(1.0, 9.0) ** 2
    with pytest.raises(AssertionError, match=r"8 of 10 entries are wrong, at 1, 2, 3, 4, 5, \.{3}"):
        check_close(answer, np.arange(10.0))


@pytest.mark.parametrize("answer", [None, "x", E.T, [np.nan] * 3, -E, 2 * E, E + np.eye(2, 3)])
def test_every_failure_starts_with_the_name(answer):
    with pytest.raises(AssertionError, match=r"^✗ W1: "):
        check_close(answer, E, name="W1")


# --- check_close: arguments ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"rtol": -1e-3}, ValueError, r"rtol must be in \[0, inf\]"),
        ({"atol": float("inf")}, ValueError, "atol must be in"),
        ({"rtol": "1e-3"}, TypeError, "rtol must be a real number"),
        ({"name": 3}, TypeError, "name must be a str"),
    ],
)
def test_close_rejects_bad_settings(kwargs, error, words):
    with pytest.raises(error, match=words):
        check_close(1.0, 1.0, **kwargs)


@pytest.mark.parametrize(
    ("expected", "error"), [("a", TypeError), (np.array([1.0, np.nan]), ValueError)]
)
def test_close_rejects_bad_expected_value(expected, error):
    with pytest.raises(error, match="expected must"):
        check_close(1.0, expected)


# --- numerical_gradient -------------------------------------------------------------------


def test_numerical_gradient_matches_the_analytic_one():
    np.testing.assert_allclose(numerical_gradient(f_quad, X), A @ X, rtol=1e-7)
    np.testing.assert_allclose(numerical_gradient(lambda x: x**3, 2.0), 12.0, rtol=1e-7)


def test_numerical_gradient_keeps_shape_and_leaves_x_alone():
    x = np.arange(6.0).reshape(2, 3)
    grad = numerical_gradient(lambda w: np.sum(w**2), x)
    assert grad.shape == (2, 3)
    np.testing.assert_allclose(grad, 2 * x, atol=1e-7)
    np.testing.assert_array_equal(x, np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("eps", [0.0, -1e-6, 0.1])
def test_numerical_gradient_rejects_eps_outside_range(eps):
    with pytest.raises(ValueError, match=r"eps must be in \(0, 0.01\]"):
        numerical_gradient(f_quad, X, eps=eps)


# --- check_gradient: right gradients ------------------------------------------------------


def test_gradient_passes_and_prints_relative_error(capsys):
    check_gradient(grad_sin, f_sin, X)
    out = capsys.readouterr().out
    assert out.startswith("✓ gradient matches finite differences at x = [ 0.5, -1. ,  2. ]")
    assert float(out.split("relative error ")[1].rstrip(")\n")) < 1e-8


def test_gradient_of_quadratic_form_is_ax():
    check_gradient(lambda x: A @ x, f_quad, X)


def test_gradient_checks_every_row_of_several_points(capsys):
    check_gradient(grad_sin, f_sin, POINTS)
    assert "at all 3 points" in capsys.readouterr().out


def test_gradient_of_scalar_function_of_a_scalar():
    check_gradient(lambda x: 3 * x**2, lambda x: x**3, 1.5)


def test_gradient_fn_gets_a_copy():
    def grad_in_place(x: np.ndarray) -> np.ndarray:
        x *= 2.0  # a learner's in-place update must not move the point
        return x

    x = X.copy()
    check_gradient(grad_in_place, lambda x: np.sum(x**2), x)
    np.testing.assert_array_equal(x, X)


# --- check_gradient: wrong gradients ------------------------------------------------------


def test_flipped_gradient_is_spotted():
    with pytest.raises(AssertionError, match=r"^✗ gradient: at x = .*the sign is flipped"):
        check_gradient(lambda x: -grad_sin(x), f_sin, X)


@pytest.mark.parametrize("factor", [2.0, 0.5])
def test_gradient_off_by_two_points_to_the_chain_rule(factor):
    with pytest.raises(AssertionError, match=f"{factor}× the finite-difference.*chain rule"):
        check_gradient(lambda x: factor * grad_sin(x), f_sin, X)


def test_gradient_with_one_wrong_component_names_it():
    def wrong(x: np.ndarray) -> np.ndarray:
        g = grad_sin(x)
        g[2] += 1.0
        return g

    with pytest.raises(AssertionError, match=r"1 of 3 components is wrong, at 2;.*finite diff"):
        check_gradient(wrong, f_sin, X)


def test_non_symmetric_quadratic_needs_the_symmetric_part():
    B = np.triu(A)  # 0.5 xᵀBx has gradient 0.5 (B + Bᵀ) x, not Bx
    with pytest.raises(AssertionError, match="components are wrong"):
        check_gradient(lambda x: B @ x, lambda x: 0.5 * x @ B @ x, X)
    check_gradient(lambda x: 0.5 * (B + B.T) @ x, lambda x: 0.5 * x @ B @ x, X)


def test_wrong_gradient_at_one_of_several_points_names_that_point():
    def wrong_at_origin(x: np.ndarray) -> np.ndarray:
        return grad_sin(x) if x.any() else np.zeros(3)

    with pytest.raises(AssertionError, match=r"at x = \[0\., 0\., 0\.\], your gradient is zero"):
        check_gradient(wrong_at_origin, f_sin, POINTS)


def test_gradient_none_and_wrong_shape_reuse_the_answer_diagnosis():
    with pytest.raises(AssertionError, match="you returned None"):
        check_gradient(lambda x: None, f_sin, X)
    with pytest.raises(AssertionError, match="an extra axis of size 1"):
        check_gradient(lambda x: grad_sin(x)[None], f_sin, X)


# --- check_gradient: arguments ------------------------------------------------------------


@pytest.mark.parametrize(("grad_fn", "f", "arg"), [(1, f_sin, "grad_fn"), (grad_sin, "f", "f")])
def test_gradient_requires_callables(grad_fn, f, arg):
    with pytest.raises(TypeError, match=f"^{arg} must be callable"):
        check_gradient(grad_fn, f, X)


def test_gradient_requires_scalar_f():
    with pytest.raises(ValueError, match=r"^f must return a scalar, got shape \(3,\)"):
        check_gradient(grad_sin, lambda x: x**2, X)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"x": np.ones((2, 2, 2))}, ValueError, r"x must be a scalar, a point \(d,\)"),
        ({"x": [1.0, np.inf]}, ValueError, "x must contain only finite"),
        ({"eps": 0.05}, ValueError, r"eps must be in \(0, 0.01\]"),
        ({"rtol": -1.0}, ValueError, "rtol must be in"),
        ({"name": None}, TypeError, "name must be a str"),
    ],
)
def test_gradient_rejects_bad_arguments(kwargs, error, words):
    kwargs = {"x": X} | kwargs
    with pytest.raises(error, match=words):
        check_gradient(grad_sin, f_sin, **kwargs)


# --- check_in_range -----------------------------------------------------------------------


def test_in_range_prints_tick_line(capsys):
    check_in_range(np.int64(120), 50, 200, name="steps")
    assert capsys.readouterr().out == "✓ steps = 120 is in the expected range [50, 200]\n"


@pytest.mark.parametrize(("value", "words"), [(12, "12 is too low"), (1200, "1200 is too high")])
def test_out_of_range_says_which_way(value, words):
    with pytest.raises(AssertionError, match=rf"^✗ steps: {words}; expected a value in \[50, 200"):
        check_in_range(value, 50, 200, name="steps")


@pytest.mark.parametrize(
    ("value", "words"),
    [(None, "you returned None"), ([1, 2], r"a single number, got shape \(2,\)"), (np.nan, "NaN")],
)
def test_in_range_rejects_non_numbers(value, words):
    with pytest.raises(AssertionError, match=words):
        check_in_range(value, 0, 1)


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((5, 2), ValueError, "low must be <= high"),
        (("0", 2), TypeError, "low must be a real number"),
        ((0, np.inf), ValueError, "high must be in"),
    ],
)
def test_in_range_rejects_bad_bounds(args, error, words):
    with pytest.raises(error, match=words):
        check_in_range(1, *args)


# --- frameworks ---------------------------------------------------------------------------


def test_torch_tensors_are_accepted(capsys):
    torch = pytest.importorskip("torch")
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    check_close(w * 1.0, [[1.0, 2.0], [3.0, 4.0]], name="w")
    with pytest.raises(AssertionError, match="looks transposed"):
        check_close(w[:, :1], torch.ones(1, 2))

    def autograd_grad(x: np.ndarray) -> object:
        t = torch.tensor(x, requires_grad=True)
        f_sin_torch = (t**2).sum() + torch.sin(t[0])
        f_sin_torch.backward()
        return t.grad

    check_gradient(autograd_grad, f_sin, torch.tensor(POINTS))
    assert capsys.readouterr().out.count("✓") == 2


def test_check_gradient_accepts_a_scalar_gradient_for_one_parameter(capsys):
    check_gradient(lambda w: 2 * w[0], lambda w: w[0] ** 2, np.array([[1.0], [-2.0]]))
    assert "✓" in capsys.readouterr().out


# --- expect_error ---------------------------------------------------------------------------


def test_expect_error_passes_swallows_and_prints_the_first_line(capsys):
    with expect_error(ValueError) as caught:
        raise ValueError("shapes (3,) and (4,) differ\nmore detail")
    assert isinstance(caught.error, ValueError)
    assert capsys.readouterr().out == "ValueError: shapes (3,) and (4,) differ\n"
    with expect_error(ValueError):
        raise ValueError("x" * 200)
    assert capsys.readouterr().out == "ValueError: " + "x" * 160 + "…\n"


def test_expect_error_fails_when_nothing_is_raised():
    with pytest.raises(AssertionError, match="expected ValueError or KeyError, but nothing"):
        with expect_error((ValueError, KeyError)):
            pass


def test_expect_error_lets_another_error_through():
    with pytest.raises(KeyError):
        with expect_error(ValueError):
            raise KeyError("k")


def test_expect_error_checks_the_message_against_match(capsys):
    with expect_error(RuntimeError, match=r"stride \d", show=False) as caught:
        raise RuntimeError("padding='same' is not supported for stride 2")
    assert caught.error is not None and capsys.readouterr().out == ""
    with pytest.raises(AssertionError, match="does not match"):
        with expect_error(RuntimeError, match="stride"):
            raise RuntimeError("something else")


@pytest.mark.parametrize(
    ("args", "kwargs", "name"),
    [((ValueError(),), {}, "error"), ((int,), {}, "error"), (((),), {}, "error"),
     ((ValueError,), {"match": 3}, "match")],
)  # fmt: skip
def test_expect_error_rejects_bad_arguments_naming_them(args, kwargs, name):
    with pytest.raises(TypeError, match=name):
        expect_error(*args, **kwargs)
