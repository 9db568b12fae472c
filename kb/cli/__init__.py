"""The `kb` command: a thin layer over the library functions.

Each command parses its arguments, calls the library, prints the result (a human table by
default, `--json` for scripts). Domain errors become one-line messages, never tracebacks.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import click

from kb import logs
from kb.errors import KbError, plain, storage_error
from kb.library import Library
from kb.settings import Settings


class KbGroup(click.Group):
    """Turns every KbError raised by a command into a one-line error and exit status 1,
    and so every OSError or sqlite3 error that `storage_error` recognises (any other is a
    bug: its traceback shows)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KbError as exc:  # the libraries' own messages (a failure's details) with -v
            message = str(exc) if logs.is_verbose() else plain(str(exc))
            raise click.ClickException(message) from exc
        except (OSError, sqlite3.Error) as exc:
            settings = ctx.find_object(Settings)
            error = storage_error(exc, settings.library if settings is not None else None)
            if error is None:
                raise
            raise click.ClickException(str(error)) from exc


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--library",
    type=click.Path(path_type=Path, file_okay=False),
    help="Library directory (default: $KB_LIBRARY or ./var/library).",
)
@click.option(
    "--vocabulary",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Vocabulary file (default: $KB_VOCABULARY or corpus/vocabulary.toml).",
)
@click.option("-v", "--verbose", is_flag=True,
              help="Log what happens, the libraries' messages included, for debugging.")
@click.version_option(package_name="kb-ess")
@click.pass_context
def cli(ctx: click.Context, library: Path | None, vocabulary: Path | None, verbose: bool) -> None:
    """Reference library of the regional ESS observatory in Brittany."""
    logs.configure(verbose)
    try:
        ctx.obj = Settings.from_env(library=library, vocabulary=vocabulary)
    except ValueError as exc:  # a KB_* variable that does not parse: say which
        raise click.ClickException(str(exc)) from exc


def open_library(ctx: click.Context, *, create: bool = False,
                 read_only: bool = False) -> Library:
    """The library named by the settings, closed when the command ends; `read_only` for a
    command that only reads (nothing is written, not even at opening)."""
    settings: Settings = ctx.find_object(Settings)  # type: ignore[assignment]
    library = Library.open(settings.library, settings.vocabulary, create=create,
                           cache_mb=settings.cache_mb, read_only=read_only)
    ctx.call_on_close(library.close)
    return library


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings)  # type: ignore[return-value]


def main() -> None:
    cli(prog_name="kb")


# Commands register themselves on `cli` when imported.
from kb.cli import (  # noqa: E402,F401
    admin,
    collections,
    curation,
    documents,
    exchange,
    ingest,
    search,
    suggestions,
    tokens,
    watch,
)
