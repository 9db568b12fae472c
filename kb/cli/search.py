"""`kb search` and `kb similar`: French full-text search with tag filters and facets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from indexer import fields
from kb.cli import cli, open_library
from kb.cli.render import highlight, label, lag_phrase, tag_line, to_json, where
from kb.library import Library, ResultHit, SearchResults

# The search filters of `indexer.fields.TABLE`, each an option `--{name}`.
FILTERS = fields.FACETS
FILTER_HELP = "Only documents with this {name} (repeat for OR)."
Command = TypeVar("Command", bound=Callable[..., Any])  # a function, or a click command
YEAR_HELP = ("Only documents of this year or range of years: 2008, 2008..2010 (or 2008-2010), "
             "2008.., ..2010 (repeat for OR).")


def filter_options(command: Command, names: tuple[str, ...] = FILTERS,
                   help_text: str = FILTER_HELP) -> Command:
    """`command` with a repeatable option per field of `names` (the field's `cli_option`,
    passed as the keyword argument `name`), in that order."""
    for name in reversed(names):
        command = click.option(
            fields.field(name).cli_option,
            name,
            multiple=True,
            help=YEAR_HELP if name == "year" else help_text.format(name=name),
        )(command)
    return command


@cli.command("search")
@click.argument("query", required=False, default="")
@filter_options
@click.option(
    "--collection",
    multiple=True,
    help="Only documents in this collection, by id or name (repeat for OR).",
)
@click.option(
    "--size",
    "--limit",
    "size",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Results per page.",
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "title"]),
    default="relevance",
    show_default=True,
    help="Best first, newest first, or by title (A to Z). An empty query lists newest "
    "first unless sorted by title.",
)
@click.option("--order", type=click.Choice(["asc", "desc"]),
              help="Turn the sort round (default: best, newest first; titles A to Z).")
@click.option("--facets", is_flag=True, help="Count the matches per tag value.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with total and hits.")
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    size: int,
    page: int,
    sort: str,
    order: str | None,
    facets: bool,
    as_json: bool,
    **filters: tuple[str, ...],
) -> None:
    """Search the library: French words with or without accents, "phrases", -excluded,
    a OR b, field:value (family:, territory:, kind:, year:2005..2010, title:), prefix*,
    word~ for a fuzzy match.

    Filters: values of one option are OR-ed, different options AND-ed; a territory
    includes everything below it (ille-et-vilaine finds Pays de Rennes); --collection
    takes a collection's id or name (`kb collection list`).
    """
    library = open_library(ctx, read_only=True)
    results = library.search(
        query,
        {k: v for k, v in filters.items() if v},
        page=page,
        size=size,
        sort=sort,
        order=order,
        facets=facets,
    )
    lag_note(library)
    if as_json:
        payload = _payload(results) | {"query": query, "sort": sort}
        if not facets:
            del payload["facets"]
        click.echo(to_json(payload))
        return
    for warning in results.warnings:
        click.echo(f"note: {warning}", err=True)
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    noun = "document" if results.total == 1 else "documents"
    pages = results.last_page
    if results.past_end:
        click.echo(f"{results.total} {noun}; page {results.page} is past the last page "
                   f"({pages}): ask for --page {pages}")
    else:
        click.echo(f"{results.total} {noun}"
                   + (f" (page {page} of {pages})" if pages > 1 else ""))
    _print_hits(library, results)
    if facets:
        _print_facets(library, results.facets)


def lag_note(library: Library) -> None:
    """Say on stderr that the answer comes from an index behind the catalog."""
    lag = library.index_lag()
    if lag:
        click.echo(f"note: {lag_phrase(lag)}", err=True)


@cli.command("similar")
@click.argument("doc_id")
@click.option("--size", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with total and hits.")
@click.pass_context
def similar_command(ctx: click.Context, doc_id: str, size: int, as_json: bool) -> None:
    """Documents like DOC_ID (id or unambiguous prefix): those sharing its distinctive words."""
    library = open_library(ctx, read_only=True)
    results = library.similar(doc_id, size=size)
    lag_note(library)
    if as_json:
        payload = _payload(results) | {"like": library.resolve_id(doc_id).id}
        del payload["facets"]
        click.echo(to_json(payload))
        return
    noun = "document" if results.total == 1 else "documents"
    click.echo(f"{results.total} {noun} share words with it; the closest:")
    _print_hits(library, results)


def _payload(results: SearchResults) -> dict[str, Any]:
    return {
        "total": results.total,
        "page": results.page,
        "size": results.size,
        "last_page": results.last_page,
        "suggestion": results.suggestion,
        "warnings": [str(w) for w in results.warnings],
        "facets": results.facets,
        "hits": [_hit_json(h) for h in results.hits],
    }


def _hit_json(hit: ResultHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "path": hit.path,
        "score": hit.score,
        "year": hit.year,
        "tags": hit.tags,
        "snippets": hit.snippets,
    }


def _print_hits(library: Library, results: SearchResults) -> None:
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


def _print_facets(library: Library, facets: Mapping[str, Mapping[str, int]]) -> None:
    vocabulary = library.vocabulary
    for name, counts in facets.items():
        if not counts:
            continue
        click.echo("")
        click.echo(click.style(fields.label(name), bold=True))
        if name == "territory":
            # Deeper territories indented under their parents: France > Bretagne > ...
            for key, count, depth in _territory_tree(library, counts):
                shown = label(vocabulary, "territory", key)
                click.echo(f"  {'  ' * depth}{shown} ({count})")
            continue
        for key, count in counts.items():
            shown = key if name == "year" else label(vocabulary, name, key)
            click.echo(f"  {shown} ({count})")


def _territory_tree(library: Library, counts: Mapping[str, int]) -> list[tuple[str, int, int]]:
    """(key, count, depth) in tree order: each territory after its parent, biggest first."""
    vocabulary = library.vocabulary
    parent_of: dict[str, str | None] = {}
    for key in counts:
        ancestors = [a for a in vocabulary.ancestors("territory", key) if a in counts]
        parent_of[key] = ancestors[0] if ancestors else None
    children: dict[str | None, list[str]] = {}
    for key, parent in parent_of.items():
        children.setdefault(parent, []).append(key)
    out: list[tuple[str, int, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for key in sorted(children.get(parent, ()), key=lambda k: (-counts[k], k)):
            out.append((key, counts[key], depth))
            walk(key, depth + 1)

    walk(None, 0)
    return out
