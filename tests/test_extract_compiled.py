"""The optional compiled walk (``scraper.extract.compiled``): built from the same ``walk.py``, it
must flatten every page exactly as the pure-Python walk does, fill the same records, and be
refused once ``walk.py`` changes. The build needs Cython and a C compiler; without them the
comparison is skipped (and the extractor runs the pure walk); walk code Cython cannot compile
fails it."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import build_walk, compiled, walk
from scraper.extract.article import _decode, _drop_hidden
from scraper.extract.lines import Flat

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

#: Pages that take the walk's rarer paths: depth and block budgets, <pre>, scripted links,
#: images, invisible characters, CJK line breaks, comments, empty and unknown elements.
EDGE_PAGES = {
    "deep": "<body>" + "<div><span>" * 300 + "deep text" + "</span></div>" * 300 + "</body>",
    "many_blocks": "<body>" + "<p>line <a href='/x'>x</a></p>" * 40_100 + "</body>",
    "pre_and_scripts": (
        "<body><pre>code line 1\n  <script>var x;</script>line 2\n</pre>"
        "<a href='javascript:void(0)'><div>wrapped story text</div></a>"
        "<a href=' JavaScript:print()'>打印本页</a><a href=''>empty</a><a>no href</a></body>"
    ),
    "images": (
        "<body><p>before<img src='/a.jpg' alt='A'>after</p><img data-src='/b.jpg'>"
        "<img data-original='/c.jpg' alt=''><img alt='none'></body>"
    ),
    "text_shapes": (
        "<body><p>中文\n  换行\u200b测试</p><p>soft\u00adhyphen and\u00a0nbsp</p><!-- note -->"
        "<my-widget>custom <b>bold</b><i></i></my-widget><ul><li>one<li>two</ul><br><hr>"
        "<table><tr><td>cell</td></tr></table><p>   </p></body>"
    ),
}


def _bodies() -> list[tuple[str, bytes | str]]:
    pages: list[tuple[str, bytes | str]] = [
        (p.name, p.read_bytes()) for p in sorted(PAGES.glob("*.html"))
    ]
    return pages + sorted(EDGE_PAGES.items())


def _flat(flatten, html: bytes | str) -> Flat:
    _, _, source = _decode(html, None)
    tree = LexborHTMLParser(source)
    body = tree.body or tree.root
    _drop_hidden(body)
    return flatten(body)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The compiled walk, built into a temporary folder (skipped without Cython or a compiler)."""
    if importlib.util.find_spec("Cython") is None:
        pytest.skip("Cython is not installed (pip install -e '.[speed]')")
    from setuptools.errors import CCompilerError, ExecError, PlatformError

    try:
        path = build_walk.build(tmp_path_factory.mktemp("walk_c"))
    except (CCompilerError, ExecError, PlatformError) as exc:  # Cython's own errors fail
        pytest.skip(f"no working C compiler here ({exc}): the extractor runs the pure walk")
    return compiled.load_from(path)


@pytest.mark.parametrize(("name", "html"), _bodies(), ids=[name for name, _ in _bodies()])
def test_compiled_walk_flattens_like_the_pure_walk(
    built: ModuleType, name: str, html: bytes | str
) -> None:
    pure = _flat(walk.flatten, html)
    fast = _flat(built.flatten, html)
    assert type(fast) is Flat and all(type(s) is type(pure.spans[0]) for s in fast.spans)
    assert dataclasses.asdict(fast) == dataclasses.asdict(pure), name


def test_the_compiled_walk_is_trusted_only_for_its_own_source(
    built: ModuleType, tmp_path: Path
) -> None:
    assert compiled.usable(built)
    edited = tmp_path / "walk.py"
    edited.write_text(compiled.SOURCE.read_text("utf-8") + "\n# edited\n", encoding="utf-8")
    assert not compiled.usable(built, edited)
    assert not compiled.usable(built, tmp_path / "missing.py")


def test_without_a_usable_extension_the_pure_walk_runs() -> None:
    stale = ModuleType(compiled.MODULE)
    stale.SOURCE_SHA256 = "0" * 64  # type: ignore[attr-defined]
    assert not compiled.usable(stale)
    assert not compiled.usable(ModuleType(compiled.MODULE))
    loaded = compiled.load_flatten()
    in_place = importlib.util.find_spec(compiled.MODULE) is not None
    assert loaded is walk.flatten or (in_place and loaded.__module__ == compiled.MODULE)
