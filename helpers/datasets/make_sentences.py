"""Write the book's small topic corpus, ``helpers/datasets/sentences.tsv``.

Every sentence fills one template, ``<det> <subject> <verb> <det> <object><tail>``:
the subject, the verb and the object come from the word lists of the sentence's topic
(sports, food, tech or weather), the determiners and the tail from lists that all topics
share. The shared words are drawn once, for ``N_PER_TOPIC`` sentences, and every topic
gets that same draw, in an order of its own; so a word such as "our" or "on" occurs equally often
in every topic and says nothing about it (until the noise below). The topic shows only
in *which* topic words a sentence contains, never in their order: the corpus has no
word-order signal, by design.

Within a list, words are drawn with probabilities proportional to 1, 1/2, 1/3, ...
(Zipf's law), so some words are common and a few are rare enough to be missing from a
training split.

Two kinds of noise make a perfect score impossible:

- a few sentences are ambiguous: a sentence of one topic ends with "during the <event>"
  of another ("the striker scored a goal during the storm"), and is labelled with either
  topic, at random;
- a few labels are flipped to another topic, at random.

The seed is fixed, so the script writes the same file every time; ``tests/test_data.py``
checks that the shipped file is exactly what it writes. Run it with
``python -m helpers.datasets.make_sentences [PATH]`` (default: the shipped file).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

SEED = 2026  # the corpus's own seed: the shipped file is what this script writes
N_PER_TOPIC = 120  # sentences drawn per topic (before labels are flipped)
P_AMBIGUOUS = 0.04  # share of sentences that end with another topic's event
P_FLIP = 0.04  # share of labels replaced by another topic
PATH = Path(__file__).with_name("sentences.tsv")

# Shared by all topics: they carry no topic information.
SUBJECT_DETERMINERS = "the, our, their, this"
OBJECT_DETERMINERS = "the, a, our, their"
TAILS = ", again, on monday, at last, this week, once more, as planned"  # first: none

# Per topic: the words that carry the topic, most common first.
TOPICS = {
    "sports": {
        "subject": "team, coach, striker, captain, goalkeeper, referee, tennis player, "
        "sprinter, club, winger, cyclist, skier",
        "verb": "scored, won, lost, played, missed, defended, celebrated, saved, "
        "trained for, disputed",
        "object": "goal, match, penalty, final, free kick, race, trophy, tournament, "
        "league title, derby, rematch, relay",
        "event": "match, final, race",
    },
    "food": {
        "subject": "chef, baker, cook, restaurant, waiter, bakery, kitchen, grandmother, "
        "food truck, caterer, pastry chef, butcher",
        "verb": "baked, cooked, served, tasted, ordered, seasoned, burned, prepared, "
        "grilled, sliced",
        "object": "bread, soup, salad, chocolate cake, curry, pasta, pie, roast chicken, "
        "hot soup, omelette, dumpling, risotto",
        "event": "dinner, lunch, barbecue",
    },
    "tech": {
        "subject": "engineer, developer, laptop, server, startup, phone, app, network, "
        "robot, printer, chatbot, router",
        "verb": "updated, installed, crashed, released, tested, rebooted, downloaded, "
        "encrypted, debugged, patched",
        "object": "software, database, security patch, chip, operating system, password, "
        "firmware, website, bug, backup, compiler, processor",
        "event": "launch, upgrade, outage",
    },
    "weather": {
        "subject": "forecast, storm, rain, wind, heatwave, sky, fog, cold snap, "
        "thunderstorm, drizzle, blizzard, monsoon",
        "verb": "brought, promised, predicted, cleared, turned into, followed, delivered, "
        "moved, ended, announced",
        "object": "cold front, shower, sunny spell, hot afternoon, frost, snowfall, breeze, "
        "rainbow, storm warning, hailstorm, flood warning, sleet",
        "event": "storm, heatwave, blizzard",
    },
}


def draw(words: str, rng: np.random.Generator) -> str:
    """One of the comma-separated ``words``, the k-th with probability proportional to 1/k."""
    words = words.split(", ")
    weights = 1.0 / np.arange(1, len(words) + 1)
    return words[rng.choice(len(words), p=weights / weights.sum())]


def sentence(topic: str, shared: tuple[str, str, str], rng: np.random.Generator) -> str:
    """``<det> <subject> <verb> <det> <object><tail>``; ``shared``: the dets and the tail."""
    words = TOPICS[topic]
    subject_det, object_det, tail = shared
    subject, verb, obj = (draw(words[slot], rng) for slot in ("subject", "verb", "object"))
    parts = [subject_det, subject, verb, object_det, obj, tail]
    return " ".join(part for part in parts if part)


def make_corpus(rng: np.random.Generator) -> list[tuple[str, str]]:
    """(label, text) pairs: ``N_PER_TOPIC`` per topic with the noise above, shuffled."""
    topics, rows = list(TOPICS), []
    lists = (SUBJECT_DETERMINERS, OBJECT_DETERMINERS, TAILS)
    shared = [tuple(draw(words, rng) for words in lists) for _ in range(N_PER_TOPIC)]
    for k, topic in enumerate(topics):
        for i in rng.permutation(N_PER_TOPIC):  # every topic: the same shared words
            text, label = sentence(topic, shared[i], rng), topic
            if rng.random() < P_AMBIGUOUS:  # another topic's event: either label
                other = topics[(k + rng.integers(1, len(topics))) % len(topics)]
                text += " during the " + draw(TOPICS[other]["event"], rng)
                label = [topic, other][rng.integers(2)]
            if rng.random() < P_FLIP:  # a wrong label, any other topic
                j = topics.index(label)
                label = topics[(j + rng.integers(1, len(topics))) % len(topics)]
            rows.append((label, text))
    return [rows[i] for i in rng.permutation(len(rows))]


def corpus_tsv(seed: int = SEED) -> str:
    """The corpus as the shipped file holds it: a header, then ``label<TAB>text`` lines."""
    rows = make_corpus(np.random.default_rng(seed))
    return "".join(f"{label}\t{text}\n" for label, text in [("label", "text"), *rows])


def main(argv: list[str] | None = None) -> None:
    """Write the corpus to PATH (default: ``sentences.tsv`` next to this script)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=PATH)
    path = parser.parse_args(argv).path
    text = corpus_tsv()
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(text.splitlines()) - 1} sentences to {path}")


if __name__ == "__main__":
    main()
