"""Build the compiled walk (``compiled``): ``python -m scraper.extract.build_walk``.

Cython compiles ``walk.py`` as it is, with the SHA-256 of that source appended, into
``scraper/extract/_walk_c.<platform>.so`` beside it; the extractor picks it up at its next
import. Needs the ``speed`` extra (Cython, setuptools) and a C compiler; without them this
says so and exits 1, and the pure-Python walk keeps running. Not imported by the extractor.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

from scraper.extract.compiled import MODULE, SOURCE, source_digest

log = logging.getLogger(__name__)


def build(into: Path | None = None) -> Path:
    """Compile ``walk.py`` into ``into`` (default: this package's folder); the extension's path.

    Raises ``ImportError`` without Cython/setuptools, and setuptools' errors without a compiler.
    """
    from Cython.Build import cythonize  # build-time tools, imported only to build
    from setuptools import Distribution, Extension

    into = into or Path(__file__).parent
    digest = source_digest()
    if digest is None:
        raise FileNotFoundError(f"cannot read {SOURCE} to compile it")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "_walk_c.py"
        copy.write_text(
            SOURCE.read_text("utf-8") + f'\nSOURCE_SHA256 = "{digest}"\n', encoding="utf-8"
        )
        extension = Extension(MODULE, [str(copy)])
        modules = cythonize(
            [extension],
            build_dir=tmp,
            quiet=True,
            compiler_directives={"language_level": 3, "binding": False},
        )
        dist = Distribution({"ext_modules": modules, "script_name": "build"})
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(Path(tmp) / "lib")
        command.build_temp = str(Path(tmp) / "tmp")
        dist.run_command("build_ext")
        built = Path(command.get_ext_fullpath(MODULE))
        target = into / built.name
        shutil.copyfile(built, target)
    return target


def main() -> int:
    """Build in place; 0 when built, 1 (with the reason) when not."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        path = build()
    except Exception as exc:  # no Cython, no compiler: say so, the pure walk keeps working
        log.error("could not build the compiled walk (%s: %s)", type(exc).__name__, exc)
        return 1
    log.info("built %s; the extractor uses it from its next import", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
