"""Fixtures: a throw-away copy of the shipped project and the shipped roles built once."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The suite passes every time: hypothesis draws the same examples on every run (derandomized).
# JOBDESC_HYPOTHESIS=explore draws new ones each run, to look for the cases nobody thought of;
# a case it finds becomes an @example of its test.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("JOBDESC_HYPOTHESIS", "suite"))

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # running from another folder without the package installed
    sys.path.insert(0, _ROOT)

from helpers import build_into, copy_project  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    if "JOBDESC_CACHE_DIR" not in os.environ:  # jobdesc's cache on disk: the session's own, removed after
        os.environ["JOBDESC_CACHE_DIR"] = tempfile.mkdtemp(prefix="jobdesc-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop("JOBDESC_CACHE_DIR"), ignore_errors=True))
    config.addinivalue_line("markers", "slow: runs an external program (LibreOffice); runs by default")


# Tests that start LibreOffice run one after another in one worker of pytest-xdist (``--dist
# loadgroup``): two LibreOffice instances starting at once on two cores slow each other past
# their timeouts, and a test that stops one must not meet another's.
LIBREOFFICE_MODULES = {"test_libreoffice", "test_pdf", "test_pdfa", "test_typesetting", "test_bad_inputs_processes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        name = module.__name__.rsplit(".", 1)[-1] if module is not None else ""
        if item.get_closest_marker("slow") or name in LIBREOFFICE_MODULES or "libreoffice" in item.name:
            item.add_marker(pytest.mark.xdist_group("libreoffice"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the shipped project (jobdesc.yaml, roles/, templates/) that a test may break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped roles built once with default settings: ``<out>/<id>.docx``."""
    base = tmp_path_factory.mktemp("built")
    source = copy_project(base / "project")
    out = base / "out"
    build_into(source, out)
    return out
