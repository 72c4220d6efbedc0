"""The progress bar: on a terminal for builds of many documents, never when piped or in CI."""

from __future__ import annotations

import io
import sys

import pytest

from jobdesc.cli.main import _progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_for_many_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    with _progress(lambda: 10) as advance:
        assert advance is not None
        for _ in range(10):
            advance(1)
    assert "Сборка" in terminal.getvalue()
    assert "10/10" in terminal.getvalue()


@pytest.mark.parametrize(("total", "tty", "ci"), [(10, False, None), (10, True, "true"), (3, True, None)])
def test_no_bar_when_piped_in_ci_or_for_a_handful(
    monkeypatch: pytest.MonkeyPatch, total: int, tty: bool, ci: str | None
) -> None:
    stream = Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    if ci:
        monkeypatch.setenv("CI", ci)
    else:
        monkeypatch.delenv("CI", raising=False)
    with _progress(lambda: total) as advance:
        assert advance is None
    assert stream.getvalue() == ""
