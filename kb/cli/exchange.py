"""`kb export` (references for citation managers) and `kb submit` (send a document in)."""

from __future__ import annotations

from pathlib import Path

import click

from kb.actors import Actor
from kb.cli import cli, open_library
from kb.cli.render import to_json
from kb.cli.search import filter_options
from kb.curation import exports, submissions
from kb.curation.citations import Reference
from kb.settings import DEFAULT_PUBLIC_URL


@cli.command("export")
@click.argument("query", required=False, default="")
@click.option("--collection", "collection", help="Export this collection (in its order, with "
              "its notes), or with QUERY: search within it.")
@click.option("--format", "-f", "fmt", type=click.Choice(list(exports.FORMATS)),
              default="ris", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--public-url", "--base-url", "public_url",
              envvar=["KB_PUBLIC_URL", "KB_BASE_URL"], default=DEFAULT_PUBLIC_URL,
              show_default=True, help="Where the library's public pages are served: each "
              "reference links to {public-url}/notice/{id} ($KB_PUBLIC_URL).")
@click.option("--with-notes", is_flag=True, help="Include the curators' notes on a "
              "collection's entries (internal: a bibliography style prints them).")
@click.option("--limit", type=click.IntRange(1, exports.MAX_EXPORT),
              default=exports.MAX_EXPORT, show_default=True, help="At most this many (search).")
@filter_options
@click.pass_context
def export_command(ctx: click.Context, query: str, collection: str | None, fmt: str,
                   output: Path | None, public_url: str, with_notes: bool,
                   limit: int, **filters: tuple[str, ...]) -> None:
    """Export a collection or the documents a search finds, as RIS, BibTeX, CSL-JSON (all
    three import into Zotero), CSV or JSON.

    Examples: `kb export --collection pole-ess -f bibtex -o pole.bib`,
    `kb export "economie sociale" --territory finistere -f csl-json`.
    """
    library = open_library(ctx)
    chosen = {k: v for k, v in filters.items() if v}
    if collection and not query and not chosen:
        _, refs = exports.collection_references(library, collection, scope=None,
                                                public_url=public_url, with_notes=with_notes)
    else:
        if collection:
            chosen["collection"] = (collection,)
        refs = exports.search_references(library, query, chosen, scope=None,
                                         public_url=public_url, limit=limit)
    click.echo(_included(refs, with_notes), err=True)
    result = exports.render(refs, fmt)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        output.write_text(result.text, encoding="utf-8", newline="")
        click.echo(f"{result.count} references written to {output}", err=True)


def _included(refs: list[Reference], with_notes: bool) -> str:
    """What an export made with every power holds: the command line sees every document,
    so say how many are not public before the file is shared."""
    counts: dict[str, int] = {}
    for ref in refs:
        for value in ref.tags.get("visibility", ()) or ("none",):
            counts[value] = counts.get(value, 0) + 1
    by_visibility = ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) or "none"
    notes = ("with the curators' notes" if with_notes
             else "without the curators' notes (--with-notes)")
    return (f"exporting {len(refs)} references as the local user, who sees every document: "
            f"{by_visibility}; {notes}")


@cli.command("submit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The document's title.")
@click.option("--kind", required=True, help="etude, compte-rendu, note... (see the vocabulary).")
@click.option("--author", "authors", multiple=True, help="An author (repeatable).")
@click.option("--date", help="ISO date: 2008, 2008-03 or 2008-03-14.")
@click.option("--summary", help="A few lines on what it is about.")
@click.option("--language", help="fr, en, br...")
@click.option("--source", help="internal (the observatory's) or external.")
@lambda command: filter_options(command, submissions.TAG_CHOICES,
                                "A {name} of the document (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def submit_command(ctx: click.Context, file: Path, title: str, kind: str,
                   authors: tuple[str, ...], date: str | None, summary: str | None,
                   language: str | None, source: str | None, as_json: bool,
                   **tags: tuple[str, ...]) -> None:
    """Send FILE to the library for the curators: it is ingested with status `submitted`
    and visibility `internal` until a curator publishes it. Exit status 1 when the file
    cannot be read (it is kept for the curators)."""
    library = open_library(ctx, create=True)
    metadata: dict[str, tuple[str, ...]] = {
        "title": (title,), "kind": (kind,), "authors": authors,
        **{k: v for k, v in tags.items() if v},
    }
    for name, value in (("date", date), ("summary", summary), ("language", language),
                        ("source", source)):
        if value:
            metadata[name] = (value,)
    with file.open("rb") as handle:
        found = submissions.submit(library, Actor.local(), handle, file.name, metadata)
    if as_json:
        click.echo(to_json(found))
    elif found.state == "ingested":
        click.echo(f"submission {found.id}: {file.name} is document {found.document_id} "
                   "(submitted, internal until a curator publishes it)")
    if found.state != "ingested":
        if not as_json:
            click.echo(f"submission {found.id}: {file.name} could not be read: {found.error}; "
                       "the file is kept for the curators", err=True)
        ctx.exit(1)


@cli.command("submissions")
@click.option("--mine", is_flag=True, help="Only the ones I sent.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def submissions_command(ctx: click.Context, mine: bool, as_json: bool) -> None:
    """Documents sent with `kb submit` or POST /documents, newest first."""
    library = open_library(ctx)
    found = submissions.list_submissions(library, Actor.local(), mine=mine)
    if as_json:
        click.echo(to_json(found))
        return
    if not found:
        click.echo("no submissions")
    for sub in found:
        what = sub.document_id or f"failed: {sub.error}"
        click.echo(f"{sub.id:>5}  {sub.submitted_at}  {sub.submitter:<16} {sub.file_name}  {what}")
