"""`kb stats`, `kb check`, `kb serve`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import click

from kb.check import check_sources
from kb.cli import cli, open_library, settings_of
from kb.cli.render import label, to_json
from kb.errors import SchemaOutdated
from kb.library import Library
from kb.settings import Settings


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """What the library holds: documents, pages, formats, tags, last ingest."""
    library = open_library(ctx)
    stats = library.stats()
    if as_json:
        click.echo(to_json(stats))
        return
    click.echo(f"library       {stats['library']}")
    click.echo(
        f"documents     {stats['documents']} ({stats['missing']} missing, "
        f"{stats['indexed']} in the index, {stats['out_of_index']} waiting)"
    )
    click.echo(f"files         {stats['paths']}")
    click.echo(f"pages         {stats['pages']}")
    click.echo(f"failures      {stats['failures']} (files that could not be read: kb failures)")
    for media_type, count in stats["media_types"].items():
        click.echo(f"  {count:>5}  {media_type}")
    for field, counts in sorted(stats["tags"].items()):
        if field in library.vocabulary.fields:
            shown = ", ".join(
                f"{label(library.vocabulary, field, k)} {n}" for k, n in list(counts.items())[:8]
            )
            click.echo(f"{field:<13} {shown}")
    last = stats["last_ingest"]
    if last:
        counts = ", ".join(f"{k} {v}" for k, v in last["counts"].items())
        click.echo(f"last ingest   {last['finished_at']}: {counts}")


@cli.command("check")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def check_command(ctx: click.Context, folders: tuple[Path, ...]) -> None:
    """Validate the vocabulary and the sidecars under FOLDERS; exit 1 on any problem."""
    settings = settings_of(ctx)
    problems = check_sources(settings.vocabulary, folders)
    for problem in problems:
        click.echo(str(problem), err=True)
    checked = ", ".join(str(f) for f in folders) or "no folder"
    if problems:
        click.echo(f"{len(problems)} problems ({settings.vocabulary}; {checked})")
        ctx.exit(1)
    click.echo(f"ok: {settings.vocabulary} and the sidecars under {checked}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes, each with its own copy of the library's search state; "
    "searches run in Python under one lock per process, so one per core serves more.",
)
@click.option(
    "--watch", "watched", multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A drop folder to ingest as files arrive (`kb watch`, run beside the server); "
    "repeat for several.",
)
@click.pass_context
def serve_command(
    ctx: click.Context, host: str, port: int, processes: int, watched: tuple[Path, ...]
) -> None:
    """Serve the search API (FastAPI, OpenAPI docs at /docs)."""
    from api.serving import serve
    from kb.cli.watch import watcher_process

    settings = settings_of(ctx)
    library_path = Path(settings.library)
    if watched:
        _create(settings)
    elif not library_path.exists():
        raise click.ClickException(f"{library_path}: no library here; run `kb ingest` first")
    click.echo(f"serving {library_path} on http://{host}:{port} (docs: /docs)")
    if processes > 1:
        # Worker processes import the app by name: they get the settings from the environment.
        os.environ.pop("KB_CORS_ORIGINS", None)
        os.environ.update(_environment(settings))
    with watcher_process(settings, watched):
        serve(settings, host, port, processes)


def _create(settings: Settings) -> None:
    """Create the library and its index if needed, before the watcher and the API both
    open them (two processes creating one index at once could clash)."""
    library = Library.open(settings.library, settings.vocabulary, create=True)
    with library, contextlib.suppress(SchemaOutdated):  # served as it is: /health says why
        library.index.doc_count()


def _environment(settings: Settings) -> dict[str, str]:
    """The `KB_*` variables that make `Settings.from_env()` give the API these settings."""
    env = {
        "KB_LIBRARY": str(Path(settings.library).resolve()),
        "KB_VOCABULARY": str(Path(settings.vocabulary).resolve()),
    }
    if settings.cors_origins:
        env["KB_CORS_ORIGINS"] = ",".join(settings.cors_origins)
    return env
