"""Tests of helpers.glue: the same hidden output as myst_nb.glue, without myst-nb."""

from __future__ import annotations

import pytest

from helpers.glue import PREFIX, glue


def captured(monkeypatch) -> list[tuple[dict, dict]]:
    shown: list[tuple[dict, dict]] = []

    def fake_display(bundle, raw, metadata):
        assert raw
        shown.append((bundle, metadata))

    monkeypatch.setattr("IPython.display.display", fake_display)
    return shown


def test_glue_emits_what_myst_nb_glue_emits(monkeypatch):
    myst_glue = pytest.importorskip("myst_nb").glue
    shown = captured(monkeypatch)
    glue("acc", 0.9731)
    monkeypatch.setattr(
        "myst_nb.ext.glue.ipy_display", lambda b, raw, metadata: shown.append((b, metadata))
    )
    myst_glue("acc", 0.9731, display=False)
    assert shown[0] == shown[1]
    assert shown[0][0] == {PREFIX + "text/plain": "0.9731"}
    assert shown[0][1]["scrapbook"] == {"name": "acc", "mime_prefix": PREFIX}


@pytest.mark.parametrize(("name", "error"), [(3, TypeError), ("", ValueError), ("a b", ValueError)])
def test_bad_name_is_rejected_naming_name(name, error):
    with pytest.raises(error, match="name"):
        glue(name, 1.0)


def test_numpy_scalars_are_glued_as_plain_numbers(monkeypatch):
    np = pytest.importorskip("numpy")
    shown = captured(monkeypatch)
    glue("x", np.float64(0.25))
    glue("n", np.int64(3))
    assert [b for b, _ in shown] == [{PREFIX + "text/plain": "0.25"}, {PREFIX + "text/plain": "3"}]
