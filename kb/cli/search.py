"""`kb search`: French full-text search with tag filters."""

from __future__ import annotations

import click

from kb.cli import cli, open_library
from kb.cli.render import highlight, tag_line, to_json, where

FILTERS = ("family", "territory", "mission", "kind", "instance", "status", "year")


def _filter_options(func):  # type: ignore[no-untyped-def]
    for name in reversed(FILTERS):
        func = click.option(
            f"--{name}",
            multiple=True,
            help=f"Only documents with this {name} (repeat for OR).",
        )(func)
    return func


@cli.command("search")
@click.argument("query", required=False, default="")
@_filter_options
@click.option(
    "--limit",
    "--size",
    "size",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Results per page.",
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with total and hits.")
@click.pass_context
def search_command(
    ctx: click.Context, query: str, size: int, page: int, as_json: bool, **filters: tuple[str, ...]
) -> None:
    """Search the library: French words with or without accents, "phrases", tag filters.

    A territory filter includes everything below it (ille-et-vilaine finds Pays de Rennes).
    """
    library = open_library(ctx)
    results = library.search(query, {k: v for k, v in filters.items() if v}, page=page, size=size)
    if as_json:
        click.echo(
            to_json(
                {
                    "query": query,
                    "total": results.total,
                    "page": results.page,
                    "size": results.size,
                    "warnings": list(results.warnings),
                    "hits": [
                        {
                            "id": h.id,
                            "title": h.title,
                            "path": h.path,
                            "score": h.score,
                            "year": h.year,
                            "tags": h.tags,
                            "snippets": h.snippets,
                        }
                        for h in results.hits
                    ],
                }
            )
        )
        return
    for warning in results.warnings:
        click.echo(f"note: {warning}", err=True)
    noun = "document" if results.total == 1 else "documents"
    click.echo(f"{results.total} {noun}" + (f" (page {page})" if page > 1 else ""))
    first = (results.page - 1) * results.size
    for rank, hit in enumerate(results.hits, start=first + 1):
        click.echo("")
        title = click.style(hit.title or "(untitled)", bold=True)
        click.echo(f"{rank:>3}. {title}  [{hit.id}]")
        meta = " · ".join(
            x for x in (str(hit.year or ""), tag_line(library.vocabulary, hit.tags)) if x
        )
        if meta:
            click.echo(f"     {meta}")
        click.echo(f"     {hit.path or '(no file)'} · score {hit.score:.2f}")
        for snippet in hit.snippets:
            text = highlight(snippet.text, snippet.highlights)
            place = where(snippet.page, snippet.heading)
            click.echo(f"     {place + ': ' if place else ''}…{text}…")
