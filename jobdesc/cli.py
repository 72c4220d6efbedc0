"""The ``jobdesc`` command line: thin wiring of the library functions."""

from __future__ import annotations

from pathlib import Path

import click

from jobdesc import __version__


def _ru_plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="jobdesc", message="%(prog)s %(version)s")
@click.option("-C", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Папка проекта (по умолчанию — текущая или ближайшая выше с jobdesc.yaml).")
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """jobdesc — должностные инструкции из YAML в DOCX по ГОСТ Р 7.0.97."""
    ctx.obj = directory


def _root(ctx: click.Context) -> Path:
    from jobdesc.project import find_root

    return find_root(ctx.obj or Path.cwd())


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Проверить jobdesc.yaml, все роли и шаблоны; все ошибки сразу."""
    from jobdesc.check import check_project
    from jobdesc.errors import ProblemsError

    project, problems = check_project(_root(ctx))
    if problems:
        raise ProblemsError(problems)
    count = len(project.roles)
    click.echo(f"Ошибок нет: {count} {_ru_plural(count, 'роль', 'роли', 'ролей')}, шаблоны и jobdesc.yaml в порядке.")


@main.command()
@click.argument("roles", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Куда писать документы (по умолчанию output/ проекта).")
@click.option("--copies", type=click.IntRange(1, 2), default=None,
              help="Сколько экземпляров в документе (по умолчанию из jobdesc.yaml, обычно 2).")
@click.option("--split-copies", is_flag=True, help="Каждый экземпляр в отдельный файл: ROLE.copy1.docx, ROLE.copy2.docx.")
@click.pass_context
def build(ctx: click.Context, roles: tuple[str, ...], out: Path | None, copies: int | None, split_copies: bool) -> None:
    """Собрать DOCX для всех ролей (или для названных) в output/."""
    from jobdesc.build import build as build_documents
    from jobdesc.project import load_project

    root = _root(ctx)
    project = load_project(root, list(roles) or None)
    target = out if out is not None else project.root / "output"
    for path in build_documents(project, target, copies, split_copies):
        click.echo(project.relative(path) if out is None else str(path))
