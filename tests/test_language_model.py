"""helpers.language_model: the character language model's data, baselines, loss, training
and sampling, on small made-up inputs, and its argument checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.language_model import (
    bigram_probs,
    char_lstm,
    encode_sentences,
    generate,
    lm_loss,
    next_char_probs,
    next_logits,
    real_word_share,
    sample_next,
    split_sentences,
    stream_windows,
    train_lm,
    unigram_probs,
    val_loss,
)

CHARS = sorted(" abc|")  # [' ', '_', ...]: space, a, b, c, |


def test_split_sentences_is_a_partition_with_n_val_held_out():
    sentences = [f"s{i}" for i in range(10)]
    train, val = split_sentences(sentences, 3, np.random.default_rng(1))
    assert len(val) == 3 and sorted(train + val) == sorted(sentences)
    again = split_sentences(sentences, 3, np.random.default_rng(1))
    assert again == (train, val)


@pytest.mark.parametrize("n_val", [0, 10, -1])
def test_split_sentences_rejects_an_empty_part(n_val):
    with pytest.raises(ValueError, match="n_val"):
        split_sentences([f"s{i}" for i in range(10)], n_val, np.random.default_rng(0))


def test_encode_sentences_joins_with_the_boundary_and_indexes_chars():
    ids = encode_sentences(["ab", "c"], CHARS)
    assert "".join(CHARS[i] for i in ids) == "|ab|c|"


def test_encode_sentences_names_a_missing_character():
    with pytest.raises(ValueError, match="chars must hold every character.*'z'"):
        encode_sentences(["az"], CHARS)


def test_stream_windows_targets_are_the_inputs_shifted_by_one():
    X, Y = stream_windows(np.arange(11), 3)
    assert X.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert Y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]


@pytest.mark.parametrize(("T", "error"), [(0, ValueError), (11, ValueError), (2.0, TypeError)])
def test_stream_windows_rejects_a_bad_window(T, error):
    with pytest.raises(error, match="T must"):
        stream_windows(np.arange(11), T)


def test_ngram_probabilities_are_smoothed_counts():
    ids = np.array([0, 1, 1, 2])  # targets 1, 1, 2 over V = 3
    assert np.allclose(unigram_probs(ids, 3), [1 / 6, 3 / 6, 2 / 6])
    p2 = bigram_probs(ids, 3, alpha=0.5)  # pairs 01, 11, 12
    assert np.allclose(p2.sum(axis=1), 1) and np.allclose(p2[1], np.array([0.5, 1.5, 1.5]) / 3.5)
    assert np.allclose(p2[2], 1 / 3)  # no pair starts at 2: alpha alone, uniform


@pytest.mark.parametrize("alpha", [0, -0.1])
def test_bigram_probs_needs_a_positive_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        bigram_probs(np.array([0, 1]), 2, alpha)


def test_lm_loss_is_the_mean_cross_entropy_and_checks_the_shapes():
    logits = torch.zeros(2, 3, 4)  # uniform over 4 symbols
    assert lm_loss(logits, torch.zeros(2, 3, dtype=torch.long)).item() == pytest.approx(np.log(4))
    with pytest.raises(ValueError, match="Y must have shape"):
        lm_loss(logits, torch.zeros(3, 2, dtype=torch.long))


def test_char_lstm_maps_ids_to_logits_and_passes_lstm_options():
    torch.manual_seed(0)
    net = char_lstm(5, embed_dim=4, hidden_size=6)
    assert net(torch.zeros(2, 7, dtype=torch.long)).shape == (2, 7, 5)
    logits, (h, c) = net.step(torch.zeros(2, 7, dtype=torch.long))
    assert h.shape == (1, 2, 6) and c.shape == (1, 2, 6)
    assert char_lstm(5, 4, 6, bidirectional=True).head.in_features == 12


def test_train_lm_learns_a_repeating_pattern_and_reports_each_epoch():
    torch.manual_seed(0)
    ids = np.tile([0, 1, 2, 3], 300)
    X, Y = map(torch.from_numpy, stream_windows(ids, 8))  # (149, 8): 5 batches an epoch
    net = char_lstm(4, 4, 16)
    before = val_loss(net, X, Y)
    history = train_lm(net, (X, Y), (X, Y), torch.Generator().manual_seed(0), num_epochs=4)
    assert history.shape == (4, 2) and np.all(np.diff(history[:, 1]) < 0)
    assert history[-1, 1] < 0.6 * before  # 20 steps: about 0.37 here
    assert not net.training  # val_loss leaves it in evaluation mode


def test_train_lm_rejects_zero_epochs():
    X = torch.zeros(4, 3, dtype=torch.long)
    with pytest.raises(ValueError, match="num_epochs"):
        train_lm(char_lstm(2), (X, X), (X, X), torch.Generator(), num_epochs=0)


def test_temperature_and_top_k_reshape_the_softmax():
    z = np.log([0.5, 0.3, 0.2])
    assert np.allclose(next_char_probs(z), [0.5, 0.3, 0.2])
    assert np.allclose(next_char_probs(z, tau=0.5), np.array([25, 9, 4]) / 38)
    assert np.allclose(next_char_probs(z, k=2), [0.625, 0.375, 0])


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"tau": 0}, ValueError, "tau"),
        ({"tau": -1.0}, ValueError, "tau"),
        ({"k": 0}, ValueError, "k"),
        ({"k": 4}, ValueError, "k"),
        ({"k": 1.5}, TypeError, "k"),
    ],
)
def test_next_char_probs_rejects_bad_tau_and_k(kwargs, error, name):
    with pytest.raises(error, match=f"{name} must"):
        next_char_probs(np.zeros(3), **kwargs)


def test_sample_next_is_greedy_at_zero_and_follows_the_probabilities():
    z = np.log([0.1, 0.6, 0.3])
    assert sample_next(z, 0, None) == 1
    rng = np.random.default_rng(0)
    draws = np.bincount([sample_next(z, 1.0, rng) for _ in range(4000)], minlength=3) / 4000
    assert np.allclose(draws, [0.1, 0.6, 0.3], atol=0.03)
    assert {sample_next(z, 1.0, rng, k=1) for _ in range(50)} == {1}


class LastCharNet(torch.nn.Module):
    """Logits that favour the character after the last one, cyclically: a b c ' ' |."""

    def forward(self, X):
        return 10 * torch.nn.functional.one_hot((X + 1) % len(CHARS), len(CHARS)).float()


def test_next_logits_reads_the_last_context_characters():
    net = LastCharNet()
    z = next_logits(net, "|ab", CHARS)
    assert z.shape == (5,) and CHARS[int(np.argmax(z))] == "c"
    assert np.array_equal(next_logits(net, "|ab", CHARS, context=1), z)
    with pytest.raises(ValueError, match="context"):
        next_logits(net, "|ab", CHARS, context=0)
    with pytest.raises(ValueError, match="chars must hold"):
        next_logits(net, "|az", CHARS)


def test_generate_runs_to_the_boundary_or_max_len():
    # CHARS = [' ', 'a', 'b', 'c', '|']: after '|' comes ' ' (index 0), then a, b, c, |.
    assert generate(LastCharNet(), CHARS, 0, None) == " abc"
    assert generate(LastCharNet(), CHARS, 0, None, max_len=2) == " a"


def test_real_word_share_counts_known_words():
    assert real_word_share(["the cat", "a dgo"], {"the", "cat", "a"}) == 0.75
    assert real_word_share(["", " "], {"a"}) == 0.0
