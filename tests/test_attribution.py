"""helpers.attribution: the gradient attributions of the interpretability chapter."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from helpers.attribution import (
    class_logit,
    digits_cnn,
    grad_x_input,
    gradient,
    integrated_gradients,
    saliency,
    show_maps,
    train_digits_cnn,
)


def small_net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3)).double()


def images(n=5, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.rand((n, 1, 4, 4), generator=g, dtype=torch.float64)


def test_make_cnn_maps_digit_images_to_ten_logits():
    net = digits_cnn()
    assert net(torch.zeros(3, 1, 8, 8)).shape == (3, 10)


def test_class_logit_picks_each_images_own_class():
    net, x = small_net(), images()
    c = torch.tensor([0, 2, 1, 1, 0])
    expected = net(x)[torch.arange(5), c]
    torch.testing.assert_close(class_logit(net, x, c), expected)


def test_gradient_matches_central_finite_differences():
    net, x = small_net(), images(2)
    c = torch.tensor([1, 2])
    grad = gradient(net, x, c)
    h, fd = 1e-6, torch.zeros_like(x)
    for i in range(16):
        e = torch.zeros(16, dtype=x.dtype)
        e[i] = h
        e = e.reshape(1, 1, 4, 4)
        with torch.no_grad():
            fd.view(2, -1)[:, i] = (class_logit(net, x + e, c) - class_logit(net, x - e, c)) / (
                2 * h
            )
    torch.testing.assert_close(grad, fd, rtol=0, atol=1e-8)
    torch.testing.assert_close(saliency(net, x, c), grad.abs())
    torch.testing.assert_close(grad_x_input(net, x, c), x * grad)


@pytest.mark.parametrize("baseline", [None, "random"])
def test_integrated_gradients_are_complete_on_a_smooth_net(baseline):
    net, x = small_net(), images()
    c = torch.tensor([0, 1, 2, 0, 1])
    base = torch.zeros_like(x) if baseline is None else images(seed=7)
    ig = integrated_gradients(net, x, c, steps=2000, baseline=None if baseline is None else base)
    with torch.no_grad():
        delta = class_logit(net, x, c) - class_logit(net, base, c)
    torch.testing.assert_close(
        ig.sum(dim=(1, 2, 3)), delta, rtol=0, atol=2e-3 * delta.abs().max().item()
    )


def test_integrated_gradients_of_a_linear_model_are_weight_times_input():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(16, 3)).double()
    x, c = images(4), torch.tensor([2, 0, 1, 2])
    exact = net[1].weight.detach()[c].reshape(x.shape) * x
    torch.testing.assert_close(integrated_gradients(net, x, c, steps=1), exact)


def test_train_cnn_is_reproducible_and_learns():
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (256,), generator=g)
    X = torch.rand((256, 1, 8, 8), generator=g) * 0.1
    X[:, 0, :4] += y[:, None, None].float()  # class 1: bright top half
    net1, loss1 = train_digits_cnn(X, y, stream=3, epochs=10)
    net2, loss2 = train_digits_cnn(X, y, stream=3, epochs=10)
    assert loss1 == loss2 and loss1 < 0.1  # about 0.001 (2 to 2.3 after one epoch)
    for p, q in zip(net1.parameters(), net2.parameters(), strict=True):
        assert torch.equal(p, q)


def test_show_maps_draws_one_row_per_map():
    x = images(3)
    fig = show_maps({"image": x, "saliency": x, "ig": -x}, [0, 2], [7, 1, 4], "t")
    assert len(fig.axes) == 6 and fig.axes[0].get_title() == "digit 7"
    plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": 0}, ValueError, "steps"),
        ({"steps": 2.5}, TypeError, "steps"),
        ({"baseline": torch.zeros(1, 1, 4, 4, dtype=torch.float64)}, ValueError, "baseline"),
    ],
)
def test_integrated_gradients_rejects_bad_arguments(kwargs, error, match):
    net, x, c = small_net(), images(2), torch.tensor([0, 1])
    with pytest.raises(error, match=match):
        integrated_gradients(net, x, c, **kwargs)


def test_bad_classes_and_epochs_are_rejected():
    net, x = small_net(), images(3)
    with pytest.raises(ValueError, match="c must"):
        class_logit(net, x, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="c must"):
        gradient(net, x, torch.tensor([[0], [1], [2]]))
    with pytest.raises(ValueError, match="epochs"):
        train_digits_cnn(torch.zeros(4, 1, 8, 8), torch.zeros(4, dtype=torch.long), epochs=0)
