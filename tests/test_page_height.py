"""tools/page_height.py: the small book it builds around the notebooks it measures."""

from __future__ import annotations

import pytest
import yaml

from tools import page_height

NB = page_height.ROOT / "chapters" / "02_concepts" / "gradient_descent.ipynb"


def test_the_small_book_holds_the_frame_and_only_the_given_chapter(tmp_path):
    page_height.write_book([NB], tmp_path)
    toc = yaml.safe_load((tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert files == ["chapters/02_concepts/gradient_descent", "glossary", "references"]
    assert (tmp_path / "chapters" / "02_concepts" / "gradient_descent.ipynb").exists()
    for name in page_height.FRAME:
        assert (tmp_path / name).exists(), name


def test_it_executes_with_its_own_cache_not_the_books(tmp_path):
    page_height.write_book([NB], tmp_path)
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["cache"] == str(tmp_path / "_cache")
    assert (
        config["title"]
        == yaml.safe_load((page_height.ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    )


def test_a_path_that_is_not_a_notebook_is_refused(capsys):
    with pytest.raises(SystemExit):
        page_height.main(["intro.md"])
    assert "notebooks: intro.md is not an existing .ipynb file" in capsys.readouterr().err
