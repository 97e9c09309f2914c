"""A character-level language model, as written out in chapters/03_algorithms/rnn_language_model.

A tests/test_book.py check keeps these functions equal to the chapter's cells; later
chapters (transformer_language_model) import them from here, so that both chapters use
the same data, the same split, the same loss and the same sampling.

- data: :func:`split_sentences` (a random split by sentence), :func:`encode_sentences`
  (one stream of ids with a boundary symbol), :func:`stream_windows` (inputs and
  next-character targets);
- baselines: :func:`unigram_probs`, :func:`bigram_probs` (lm-ngram);
- PyTorch: :func:`char_lstm` (embedding, LSTM, linear head), :func:`lm_loss` (lm-loss),
  :func:`val_loss`, :func:`train_lm` (teacher forcing with Adam);
- generation: :func:`next_char_probs` (temperature and top-k), :func:`sample_next`,
  :func:`next_logits`, :func:`generate` (free running), :func:`real_word_share`.

PyTorch is imported inside the functions that use it. Bad arguments raise ``ValueError``
or ``TypeError`` naming the argument.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import check_float, check_int
from helpers.scratch import softmax
from helpers.training import train_one_epoch


def split_sentences(sentences, n_val, rng):
    """A random split by sentence: (train, validation) lists, n_val in validation."""
    n_val = check_int("n_val", n_val, low=1, high=len(sentences) - 1)
    order = rng.permutation(len(sentences))
    return [sentences[i] for i in order[n_val:]], [sentences[i] for i in order[:n_val]]


def encode_sentences(sentences, chars, boundary="|"):
    """One stream of ids (n,), |sentence|sentence|...|, indices into chars."""
    text = boundary + boundary.join(sentences) + boundary
    if missing := set(text) - set(chars):
        raise ValueError(f"chars must hold every character; missing {sorted(missing)}")
    char_to_id = {c: i for i, c in enumerate(chars)}
    return np.array([char_to_id[c] for c in text])


def stream_windows(ids, T):
    """Inputs and next-character targets, (n, T) each, from a stream of ids (L,)."""
    T = check_int("T", T, low=1, high=len(ids) - 1)
    n = (len(ids) - 1) // T
    return ids[: n * T].reshape(n, T), ids[1 : n * T + 1].reshape(n, T)


def unigram_probs(ids, V):
    """Add-one unigram probabilities (V,) of the targets ids[1:] (lm-ngram)."""
    return (np.bincount(ids[1:], minlength=V) + 1) / (len(ids) - 1 + V)


def bigram_probs(ids, V, alpha=0.1):
    """Smoothed bigram probabilities (V, V), row b holding p(c | b) (lm-ngram)."""
    alpha = check_float("alpha", alpha, low=0, low_open=True)
    pair_counts = np.full((V, V), alpha)  # alpha, then the counts n(bc)
    np.add.at(pair_counts, (ids[:-1], ids[1:]), 1)
    return pair_counts / pair_counts.sum(axis=1, keepdims=True)


def char_lstm(vocab_size, embed_dim=16, hidden_size=64, **lstm_options):
    """Embedding, nn.LSTM and a linear head (lm-tf): ids (N, T) -> logits (N, T, V)."""
    from torch import nn

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab_size, embed_dim)
            self.rnn = nn.LSTM(embed_dim, hidden_size, batch_first=True, **lstm_options)
            directions = 2 if self.rnn.bidirectional else 1
            self.head = nn.Linear(directions * hidden_size, vocab_size)

        def step(self, X, state=None):  # X (N, T) ids -> logits (N, T, V), state
            H, state = self.rnn(self.embed(X), state)
            return self.head(H), state

        def forward(self, X):
            return self.step(X)[0]

    return CharLSTM()


def lm_loss(logits, Y):
    """Mean cross-entropy per character (lm-loss); logits (N, T, V), Y (N, T)."""
    from torch.nn.functional import cross_entropy

    if logits.shape[:-1] != Y.shape:
        raise ValueError(f"Y must have shape {tuple(logits.shape[:-1])}, got {Y.shape}")
    return cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.reshape(-1))


def val_loss(net, X, Y):
    """lm_loss of net on inputs X and targets Y (N, T), in evaluation mode."""
    import torch

    net.eval()
    with torch.no_grad():
        return lm_loss(net(X), Y).item()


def train_lm(net, train, val, generator, num_epochs=8, lr=0.01):
    """Teacher forcing with Adam on train = (X, Y); (train, val) loss per epoch."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    num_epochs = check_int("num_epochs", num_epochs, low=1)
    data = TensorDataset(*train)
    loader = DataLoader(data, batch_size=32, shuffle=True, generator=generator)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    history = []
    for _ in range(num_epochs):
        train_loss = train_one_epoch(net, optimizer, loader, lm_loss)
        history.append((train_loss, val_loss(net, *val)))
    return np.array(history)  # (num_epochs, 2)


def next_char_probs(z, tau=1.0, k=None):
    """The tempered softmax (lm-temperature) of the logits z (V,), top k kept."""
    z = np.asarray(z, dtype=np.float64)
    tau = check_float("tau", tau, low=0, low_open=True)
    if k is not None:
        k = check_int("k", k, low=1, high=len(z))
        z = np.where(z >= np.sort(z)[-k], z, -np.inf)  # e^-inf = 0
    return softmax(z / tau)


def sample_next(z, tau, rng, k=None):
    """One draw from next_char_probs; tau = 0 means greedy (the argmax)."""
    if tau == 0:
        return int(np.argmax(z))
    return int(rng.choice(len(z), p=next_char_probs(z, tau, k)))


def next_logits(net, text, chars, context=None):
    """The logits (V,) for the character after text (after its last context ones)."""
    import torch

    if missing := set(text) - set(chars):
        raise ValueError(f"chars must hold every character of text; missing {missing}")
    if context is not None:
        text = text[-check_int("context", context, low=1) :]
    net.eval()
    with torch.no_grad():
        ids = torch.tensor([[chars.index(c) for c in text]])
        return net(ids)[0, -1].double().numpy()


def generate(net, chars, tau, rng, k=None, max_len=80, context=None, boundary="|"):
    """Free-running sampling (lm-free) from boundary to boundary; the text between."""
    text = boundary
    for _ in range(max_len):
        c = chars[sample_next(next_logits(net, text, chars, context), tau, rng, k)]
        if c == boundary:
            break
        text += c
    return text[1:]


def real_word_share(texts, words):
    """The share of the words in texts that are in the set words (0 if none)."""
    found = " ".join(texts).split()
    return float(np.mean([w in words for w in found])) if found else 0.0
