"""`kb stats`, `kb check`, `kb serve`, `kb backup`, `kb publish`, `kb restore`, `kb upgrade`."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import time
from pathlib import Path

import click

from kb.backup import backup, restore, upgrade_library
from kb.check import check_sources
from kb.cli import cli, open_library, settings_of
from kb.cli.ingest import progress_bar
from kb.cli.render import label, lag_phrase, plural, to_json
from kb.curation.retag_preview import preview_retag
from kb.errors import SchemaOutdated
from kb.library import CATALOG_FILE, Library
from kb.migrations import SCHEMA_VERSION, catalog_version, version_problem
from kb.publish import KEEP, publish, require_current
from kb.settings import DEFAULT_CACHE_MB, MIN_CACHE_MB, Settings


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """What the library holds: documents, pages, formats, tags, last ingest."""
    library = open_library(ctx, read_only=True)
    stats = library.stats()
    if as_json:
        click.echo(to_json(stats))
        return
    click.echo(f"library       {stats['library']}")
    click.echo(
        f"documents     {stats['documents']} ({stats['missing']} missing, "
        f"{stats['indexed']} in the index, {stats['out_of_index']} waiting)"
    )
    if stats["out_of_index"]:
        click.echo(f"note: {lag_phrase(stats['out_of_index'])}", err=True)
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
@click.option("--tags", "preview", is_flag=True,
              help="Also say what the vocabulary would change in the library's automatic "
              "tags (what `kb retag` would do); nothing is written.")
@click.pass_context
def check_command(ctx: click.Context, folders: tuple[Path, ...], preview: bool) -> None:
    """Validate the vocabulary and the sidecars under FOLDERS; exit 1 on any problem."""
    settings = settings_of(ctx)
    problems = check_sources(settings.vocabulary, folders)
    for problem in problems:
        click.echo(str(problem), err=True)
    checked = ", ".join(str(f) for f in folders) or "no folder"
    if problems:
        click.echo(f"{plural(len(problems), 'problem')} ({settings.vocabulary}; {checked})")
        ctx.exit(1)
    click.echo(f"ok: {settings.vocabulary} and the sidecars under {checked}")
    if preview:
        _print_retag_preview(open_library(ctx, read_only=True))


def _print_retag_preview(library: Library) -> None:
    with progress_bar("Re-tagging in memory", False) as progress:
        found = preview_retag(library, progress)
    if not found.changed:
        documents = plural(found.documents, "document")
        click.echo(f"kb retag would change no automatic tag ({documents})")
        return
    click.echo(f"kb retag would change the automatic tags of {found.changed} of "
               f"{plural(found.documents, 'document')}:")
    for change in found.changes[:MAX_PREVIEW_LINES]:
        name = label(library.vocabulary, change.field, change.value)
        counts = " ".join(
            part
            for part in (f"+{change.added}", f"-{change.removed}")
            if part[1:] != "0"
        )
        click.echo(f"  {change.field:<10} {name[:40]:<42} {counts:>10}  "
                   f"({change.shown} shown: no sidecar or curator over it)")
    if len(found.changes) > MAX_PREVIEW_LINES:
        click.echo(f"  ... and {len(found.changes) - MAX_PREVIEW_LINES} more values")


MAX_PREVIEW_LINES = 40


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
@click.option(
    "--replica-of", "replica_of", type=click.Path(file_okay=False, path_type=Path),
    help="Serve, read-only, the copies that `kb publish DEST` writes into this folder, "
    "moving to each new one as it is published (instead of the library at --library).",
)
@click.option(
    "--cache-mb", "cache_mb", type=click.IntRange(MIN_CACHE_MB),
    help=f"Memory (MB) each server process's caches for searches keep at most, together: "
    f"postings, tag tables, answers (default: $KB_CACHE_MB or {DEFAULT_CACHE_MB}). "
    "Smaller saves memory, at the cost of reading postings again.",
)
@click.pass_context
def serve_command(
    ctx: click.Context, host: str, port: int, processes: int, watched: tuple[Path, ...],
    replica_of: Path | None, cache_mb: int | None,
) -> None:
    """Serve the search API (FastAPI, OpenAPI docs at /docs)."""
    from api.serving import serve
    from kb.cli.watch import watcher_process

    settings = settings_of(ctx)
    if cache_mb is not None:
        settings = dataclasses.replace(settings, cache_mb=cache_mb)
    replica_of = replica_of or settings.replica_of  # the option, or KB_REPLICA_OF
    if replica_of is not None:
        if watched:
            raise click.ClickException("--watch writes: a replica (--replica-of) only reads")
        settings = dataclasses.replace(settings, replica_of=replica_of.resolve())
    library_path = Path(settings.library)
    if replica_of is not None:
        library_path = require_current(replica_of)
    elif watched:
        _create(settings)
    elif not library_path.exists():
        raise click.ClickException(f"{library_path}: no library here; run `kb ingest` first")
    found = catalog_version(library_path / CATALOG_FILE)
    if found is not None and found != SCHEMA_VERSION:
        raise click.ClickException(version_problem(library_path / CATALOG_FILE, found))
    _check_port(host, port)
    what = f"the copies published in {replica_of}" if replica_of else library_path
    click.echo(f"serving {what} on http://{host}:{port} (docs: /docs)")
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
        library.open_searcher()


def _check_port(host: str, port: int) -> None:
    """Refuse before announcing anything when (host, port) cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind((host, port))
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve on {host}:{port}: {exc.strerror or exc} (another server there? "
            "choose another port with --port, or PORT=... make run)"
        ) from exc


def _environment(settings: Settings) -> dict[str, str]:
    """The `KB_*` variables that make `Settings.from_env()` give the API these settings."""
    env = {
        "KB_LIBRARY": str(Path(settings.library).resolve()),
        "KB_VOCABULARY": str(Path(settings.vocabulary).resolve()),
        "KB_CACHE_MB": str(settings.cache_mb),
    }
    if settings.cors_origins:
        env["KB_CORS_ORIGINS"] = ",".join(settings.cors_origins)
    if settings.replica_of is not None:
        env["KB_REPLICA_OF"] = str(Path(settings.replica_of).resolve())
        env["KB_REPLICA_POLL"] = str(settings.replica_poll)
    return env


@cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Replace what DEST holds (by default it must be "
              "empty or absent).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def backup_command(ctx: click.Context, dest: Path, force: bool, as_json: bool) -> None:
    """Copy the library (catalog, index, submitted files, vocabulary) to DEST, verified.

    Safe while `kb serve` and `kb ingest` run: the catalog is copied through SQLite's
    online backup, the index at one commit. `kb restore DEST` brings it back.
    """
    settings = settings_of(ctx)
    report = backup(Path(settings.library), Path(settings.vocabulary), dest, force=force)
    if report.removed:
        names = ", ".join(p.name for p in report.removed)
        click.echo(f"removed {plural(len(report.removed), 'leftover')} of killed backups "
                   f"beside {dest}: {names}", err=True)
    if as_json:
        click.echo(to_json(report))
        return
    counts = report.counts
    click.echo(
        f"backed up {settings.library} to {report.path} in {report.seconds:.1f} s: "
        f"{plural(counts['documents'], 'document')} ({report.indexed} in the index), "
        f"{plural(counts.get('collections', 0), 'collection')}, "
        f"{plural(counts.get('audit', 0), 'audit entry', 'audit entries')}, "
        f"{plural(report.files, 'file')} ({report.size / 1e6:.1f} MB); verified"
    )


@cli.command("publish")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@click.option("--keep", type=click.IntRange(2, 100), default=KEEP, show_default=True,
              help="Copies kept in DEST (the newest); replicas need two to switch safely.")
@click.pass_context
def publish_command(ctx: click.Context, dest: Path, keep: int) -> None:
    """Publish a read-only copy of the library into DEST for replicas (`kb serve
    --replica-of DEST`), which move to it within seconds.

    Safe while `kb serve` and `kb ingest` run (a verified `kb backup`, then made current).
    """
    settings = settings_of(ctx)
    report = publish(Path(settings.library), Path(settings.vocabulary), dest, keep=keep)
    gone = f"; {plural(len(report.removed), 'older copy', 'older copies')} removed" \
        if report.removed else ""
    waiting = f" ({report.waiting} not indexed yet: in the next copy)" if report.waiting else ""
    click.echo(f"published {plural(report.documents, 'document')}{waiting} as {report.name} "
               f"in {dest} in {report.seconds:.1f} s{gone}")  # fmt: skip


@cli.command("restore")
@click.argument("src", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace the library at --library (by default "
              "it must be empty or absent).")
@click.pass_context
def restore_command(ctx: click.Context, src: Path, force: bool) -> None:
    """Restore the backup SRC (made by `kb backup`) into the library directory.

    The backup is verified first; the vocabulary it holds is restored as
    `<library>/vocabulary.toml`.
    """
    settings = settings_of(ctx)
    report = restore(src, Path(settings.library), force=force)
    counts = report.counts
    click.echo(
        f"restored {src} (taken {report.created_at}) into {report.path}: "
        f"{plural(counts['documents'], 'document')}, "
        f"{plural(counts.get('collections', 0), 'collection')}, "
        f"{plural(counts.get('audit', 0), 'audit entry', 'audit entries')}"
    )
    if report.indexed:
        click.echo(f"index caught up with the catalog: {plural(report.indexed, 'document')}")
    click.echo(f"vocabulary of the backup: {report.vocabulary} (use it with --vocabulary "
               "or KB_VOCABULARY if it differs from yours)")
    if report.note:
        click.echo(f"note: {report.note}", err=True)


@cli.command("upgrade")
@click.option("--backup-to", type=click.Path(path_type=Path, file_okay=False),
              help="Where the backup taken first goes (default: beside the library, "
              "named after it, the schema and the time).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def upgrade_command(ctx: click.Context, backup_to: Path | None, quiet: bool) -> None:
    """Bring a library made by an older kb up to this one: back it up (verified), migrate
    its catalog in one transaction, rebuild the index from the catalog if it was built by
    another engine or schema (no file is read again).

    Corrections, collections, validations and the audit trail are kept.
    """
    settings = settings_of(ctx)
    library = Path(settings.library)
    if backup_to is None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup_to = library.parent / f"{library.name}-before-schema-{SCHEMA_VERSION}-{stamp}"
    with progress_bar("Rebuilding the index", quiet) as progress:
        report = upgrade_library(library, Path(settings.vocabulary), backup_to, progress)
    if report.backup is None:
        click.echo(f"{library}: catalog schema {report.after} and its index are current; "
                   "nothing to do")
        return
    click.echo(f"backed up {library} to {report.backup} (verified; `kb restore` brings it "
               "back)")
    if report.before != report.after:
        click.echo(f"catalog migrated from schema {report.before} to {report.after}")
    if report.reindexed is not None:
        click.echo(f"index rebuilt: {plural(report.reindexed, 'document')}")
