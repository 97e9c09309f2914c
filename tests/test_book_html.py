"""_ext/book_html.py, the build's small HTML fixes: the placeholder-repository notice."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("book_html", ROOT / "_ext" / "book_html.py")
book_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_html)


@pytest.mark.parametrize(
    "url", [book_html.PLACEHOLDER_REPOSITORY, "https://github.com/pydl-book/pydl-book/"]
)
def test_the_placeholder_repository_gets_a_notice_naming_the_fix(url):
    notice = book_html.placeholder_notice(url)
    assert notice is not None
    assert "repository.url" in notice and "tools/colab_cell.py" in notice


def test_a_real_repository_gets_no_notice():
    assert book_html.placeholder_notice("https://github.com/someone/dl-book") is None


def test_a_repository_url_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match="repository_url"):
        book_html.placeholder_notice(None)
