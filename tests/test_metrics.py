"""helpers.metrics: accuracy and the confusion matrix, against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

from helpers.metrics import accuracy, confusion_matrix


@pytest.mark.parametrize("seed", range(5))
def test_metrics_equal_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, 6, 200), rng.integers(0, 6, 200)
    y_pred[:100] = y_true[:100]  # about 58 % right
    assert accuracy(y_true, y_pred) == metrics.accuracy_score(y_true, y_pred)
    C = confusion_matrix(y_true, y_pred, num_classes=6)
    np.testing.assert_array_equal(C, metrics.confusion_matrix(y_true, y_pred, labels=range(6)))
    assert C.sum() == 200 and np.trace(C) == np.sum(y_true == y_pred)


def test_accuracy_takes_booleans_lists_and_tensors():
    assert accuracy([1, 0, 1, 1], [True, False, False, True]) == 0.75
    torch = pytest.importorskip("torch")
    assert accuracy(torch.tensor([2, 2, 1]), torch.tensor([2, 0, 1])) == pytest.approx(2 / 3)


def test_a_class_never_seen_still_gets_its_row_and_column():
    C = confusion_matrix([0, 0, 2], [0, 2, 2], num_classes=4)
    assert C.shape == (4, 4) and C[1].sum() == 0 and C[:, 3].sum() == 0 and C[0, 2] == 1


@pytest.mark.parametrize("function", [accuracy, lambda a, b: confusion_matrix(a, b, 3)])
def test_shapes_must_match_and_be_one_dimensional(function):
    with pytest.raises(ValueError, match="y_true and y_pred must both have shape"):
        function([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="y_true and y_pred must both have shape"):
        function([[0, 1]], [[0, 1]])


def test_confusion_matrix_rejects_labels_outside_the_classes():
    with pytest.raises(ValueError, match="y_pred must hold class indices in \\[0, 3\\)"):
        confusion_matrix([0, 1], [0, 3], num_classes=3)
    with pytest.raises(ValueError, match="y_true must hold class indices"):
        confusion_matrix([-1, 1], [0, 1], num_classes=3)
