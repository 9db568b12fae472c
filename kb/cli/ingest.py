"""`kb ingest`, `kb reindex`, `kb optimize`, `kb prune`: the commands that write to a
library; and `kb failures`, the files an ingest could not read."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from kb import failures, logs
from kb.actors import Actor
from kb.cli import cli, open_library, settings_of
from kb.cli.render import plural, to_json
from kb.errors import plain
from kb.ingest import IngestOptions, IngestReport, ingest


@contextmanager
def progress_bar(label: str, quiet: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal, nothing otherwise (or under --quiet)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    state: dict[str, object] = {}

    def update(done: int, total: int, item: str) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
            state["done"] = 0
        bar.label = f"{label} {Path(item).name[:40]:40}"  # type: ignore[attr-defined]
        bar.update(done - int(state["done"]))  # type: ignore[attr-defined,call-overload]
        state["done"] = done

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)  # type: ignore[attr-defined]


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-repair", is_flag=True, help="Index the text as extracted, without repair.")
@click.option("--strict", is_flag=True, help="Fail a file whose tags are not in the vocabulary.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Try again the files that failed before, even unchanged (say, after installing "
    "LibreOffice or Tesseract).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def ingest_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    no_repair: bool,
    strict: bool,
    workers: int | None,
    retry_failed: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Add files and folders (recursively) to the library; re-run to update it.

    Unchanged files are not re-extracted; changed files are re-indexed; moved files keep
    their document; files gone from an ingested folder are hidden until `kb prune`.
    A file that failed is remembered (`kb failures`) and not tried again while it is
    unchanged, unless --retry-failed. Exit status 1 when a file failed in this run.
    Every change is in `kb log` under your login.
    """
    library = open_library(ctx, create=True)
    options = IngestOptions(
        repair=not no_repair,
        strict=strict,
        workers=workers or settings_of(ctx).workers,
        retry_failed=retry_failed,
    )
    with progress_bar("Ingesting", quiet or as_json) as progress:
        report = ingest(library, list(paths), options, progress=progress, actor=Actor.local())
    if as_json:
        click.echo(report_json(report))
    else:
        print_summary(report)
    if not report.ok:
        ctx.exit(1)


def report_json(report: IngestReport) -> str:
    """An ingest's report as `kb ingest --json` prints it."""
    return to_json({"counts": report.counts(), **_problems(report)})


def _problems(report: IngestReport) -> dict[str, list[dict[str, str]]]:
    return {
        "failed": [{"path": p.path, "reason": p.reason} for p in report.failed],
        "failed_before": [{"path": p.path, "reason": p.reason} for p in report.failed_before],
        "skipped": [{"path": p.path, "reason": p.reason} for p in report.skipped],
        "duplicates": [{"path": p.path, "reason": p.reason} for p in report.duplicates],
        "warnings": [{"path": p.path, "reason": p.reason} for p in report.warnings],
    }


def print_summary(report: IngestReport, prefix: str = "") -> None:
    """An ingest's summary as `kb ingest` prints it (`kb watch` prints it for each cycle,
    after `prefix`)."""
    for problem in report.warnings:
        click.echo(f"{prefix}warning: {problem}", err=True)
    for problem in report.skipped:
        click.echo(f"{prefix}skipped: {problem}", err=True)
    for problem in report.duplicates:
        click.echo(f"{prefix}duplicate: {problem}", err=True)
    counts = report.counts()
    click.echo(
        prefix
        + "added {added}, updated {updated}, moved {moved}, duplicates {duplicates}, "
        "unchanged {unchanged}, "
        "missing {missing}, failed {failed}, skipped {skipped}".format(**counts)
        + f" ({report.seconds:.1f} s)"
    )
    if report.failed_before:
        click.echo(
            f"{prefix}{len(report.failed_before)} failed before, unchanged "
            "(kb failures to list; --retry-failed to try again)"
        )
    for problem in report.failed:  # the libraries' own messages with -v only
        shown = str(problem) if logs.is_verbose() else plain(str(problem))
        click.echo(prefix + click.style("failed: ", fg="red") + shown, err=True)


@cli.command("failures")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def failures_command(ctx: click.Context, as_json: bool) -> None:
    """The files an ingest could not read: each with its reason, when it was last tried
    and how many times. They are not tried again while unchanged; fix the file (or
    install what the reason names) and run `kb ingest --retry-failed`."""
    library = open_library(ctx)
    found = library.failures.listing()
    if as_json:
        click.echo(to_json({"failures": [failure_json(f) for f in found]}))
        return
    for failure in found:
        times = "once" if failure.attempts == 1 else f"{failure.attempts} times"
        click.echo(f"{failure.given}: {failure.reason} ({failure.at}, tried {times})")
    click.echo(f"{len(found)} files could not be read")


def failure_json(failure: failures.Failure) -> dict[str, object]:
    return {
        "path": failure.given,
        "absolute_path": failure.path,
        "reason": failure.reason,
        "at": failure.at,
        "first_at": failure.first_at,
        "attempts": failure.attempts,
    }


@cli.command("reindex")
@click.option(
    "--workers", type=click.IntRange(1, 64),
    help="Processes reading and analysing the documents (default: cores).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def reindex_command(ctx: click.Context, workers: int | None, quiet: bool) -> None:
    """Rebuild the full-text index from the catalog, without re-extracting any file."""
    library = open_library(ctx)
    workers = workers or settings_of(ctx).workers
    t0 = time.perf_counter()
    with library.write_lock(), progress_bar("Reindexing", quiet) as progress:
        count = library.reindex(progress=progress, actor=Actor.local(), workers=workers)
    click.echo(f"reindexed {plural(count, 'document')} ({time.perf_counter() - t0:.1f} s)")


@cli.command("optimize")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def optimize_command(ctx: click.Context, quiet: bool, as_json: bool) -> None:
    """Let the engine finish merging the index's segments and drop the files they left.

    The engine merges segments of a similar size by eights as commits come (its log merge
    policy); this waits for the merges due now. Searches, `kb serve` included, go on
    meanwhile; other writing commands wait for it to end. `kb reindex` builds the fewest
    segments."""
    library = open_library(ctx)
    with library.write_lock():
        segments = library.index_segments()
        if not as_json:
            click.echo(f"merging {plural(len(segments), 'segment')} "
                       f"({plural(sum(n for n, _ in segments), 'document')})...")  # fmt: skip
        with progress_bar("Merging", quiet or as_json) as progress:
            report = library.optimize(progress=progress)
    if as_json:
        click.echo(to_json(dataclasses.asdict(report)))
        return
    if report.segments_after == report.segments_before:
        click.echo(f"nothing to merge: {plural(report.segments_after, 'segment')}, "
                   f"{plural(report.documents, 'document')}")  # fmt: skip
        return
    click.echo(f"optimized: {report.segments_before} -> {plural(report.segments_after, 'segment')}"
               f", {plural(report.documents, 'document')} ({report.seconds:.1f} s)")  # fmt: skip


@cli.command("prune")
@click.pass_context
def prune_command(ctx: click.Context) -> None:
    """Delete the documents whose files are all gone (marked missing by `kb ingest`).

    What goes (their tags, files and places in collections) stays readable in `kb log`.
    """
    library = open_library(ctx)
    with library.write_lock():
        removed = library.prune(actor=Actor.local())
    click.echo(f"pruned {len(removed)} missing documents")
    for doc_id in removed:
        click.echo(f"  {doc_id}")
