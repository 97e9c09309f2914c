"""Shared helpers for the deep-learning course book.

Modules (import what you need; importing this package has no side effects):

- ``helpers.seed``      set_seed(seed) -> numpy Generator, seeding every framework
- ``helpers.data``      generators with a known answer, the shipped digits, MNIST with fallback
- ``helpers.plotting``  the book style, loss curves, decision boundaries, image grids
- ``helpers.widgets``   learning-rate explorers: live in a kernel, precomputed in the HTML book
- ``helpers.checks``    exercise checkers that say what is wrong with an answer
"""

__all__ = ["checks", "data", "plotting", "seed", "widgets"]
