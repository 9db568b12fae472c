"""`kb watch FOLDER...`, and the watcher that `kb serve --watch` runs beside the API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType

import click

from kb.actors import Actor
from kb.cli import cli, open_library, settings_of
from kb.cli.ingest import print_summary
from kb.ingest import IngestOptions
from kb.settings import Settings
from kb.watch import Cycle, Watcher, WatchOptions

# How long `kb serve` gives its watcher to finish the file it is on, once asked to stop.
STOP_GRACE = 30.0


@cli.command("watch")
@click.argument(
    "folders", nargs=-1, required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--debounce", type=click.FloatRange(0.1, 600), default=2.0, show_default=True,
    help="Seconds a changed file must stay unchanged before it is ingested.",
)
@click.option(
    "--poll", type=click.FloatRange(0.5, 3600),
    help="Look for changes every N seconds instead of waiting for the system's events: "
    "for a network share, whose changes made on the server raise no event here.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option("--parent", type=int, hidden=True,
              help="Stop when this process, which started this one, is gone (kb serve --watch).")
@click.pass_context
def watch_command(
    ctx: click.Context,
    folders: tuple[Path, ...],
    debounce: float,
    poll: float | None,
    workers: int | None,
    parent: int | None,
) -> None:
    """Ingest FOLDERS now, then again whenever files arrive, change, move or disappear.

    Each round is an incremental `kb ingest` of the folder that changed, with its summary
    line; a file still being written is waited for. What changed while the watcher was
    stopped is caught up when it starts. Ctrl-C (or SIGTERM) stops it cleanly.
    """
    library = open_library(ctx, create=True)
    options = IngestOptions(workers=workers or settings_of(ctx).workers)
    watcher = Watcher(
        library, folders, options, _print_cycle,
        watch=WatchOptions(debounce=debounce, poll=poll), actor=Actor.local(),
    )
    click.echo(f"watching {', '.join(watcher.folders)} (Ctrl-C to stop)")
    with _stop_on_signals(watcher):
        if parent is not None:
            _stop_with_parent(watcher, parent)
        watcher.run()
    click.echo("stopped")


def _print_cycle(cycle: Cycle) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")
    where = ", ".join(cycle.folders)
    print_summary(cycle.report, prefix=f"[{stamp}] {where}: ")


@contextmanager
def _stop_on_signals(watcher: Watcher) -> Iterator[None]:
    """SIGINT and SIGTERM stop the watcher (at the next file, if it is ingesting); a
    second one interrupts at once."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if watcher.stopping:
            raise KeyboardInterrupt
        watcher.stop()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop_with_parent(watcher: Watcher, parent: int) -> None:
    """Stop when the `parent` process dies, even by SIGKILL (we are then re-parented; the
    pid comes from the parent itself, since it may be gone before we look)."""

    def follow() -> None:
        while not watcher.stopping:
            if os.getppid() != parent:
                watcher.stop()
                return
            threading.Event().wait(1.0)

    threading.Thread(target=follow, name="kb-watch-parent", daemon=True).start()


_SIGTERM_EXIT = "SIGTERM"


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(_SIGTERM_EXIT)


@contextmanager
def watcher_process(settings: Settings, folders: Sequence[Path]) -> Iterator[None]:
    """`kb watch FOLDERS` in a child process for as long as the block runs (`kb serve
    --watch`): the library's one writer, while the server's processes only read and
    curate. A process of its own keeps extraction and index commits off the server's
    interpreter, and a crash of either off the other."""
    if not folders:
        yield
        return
    command = [
        sys.executable, "-m", "kb",
        "--library", str(Path(settings.library).resolve()),
        "--vocabulary", str(Path(settings.vocabulary).resolve()),
        "watch", "--parent", str(os.getpid()), "--workers", str(settings.workers),
        *(str(Path(f).resolve()) for f in folders),
    ]
    # A session of its own: Ctrl-C reaches the server only, which then stops the watcher.
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    # uvicorn stops gracefully on SIGTERM, then sends it again to the handler it found:
    # this one, which unwinds through the `finally` below instead of killing the process.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    except SystemExit as exc:
        if exc.code != _SIGTERM_EXIT:
            raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
