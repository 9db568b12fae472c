"""`kb tag suggestions`, `kb tag accept`, `kb tag dismiss`: the tags automatic tagging
suggests but does not set (`kb.curation.suggestions`), for curators to decide."""

from __future__ import annotations

import click

from kb.actors import Actor
from kb.cli import open_library
from kb.cli.curation import as_json_option, expect_revision, print_tags, tag_group
from kb.cli.documents import describe_evidence, suggestion_json
from kb.cli.render import label, to_json
from kb.curation import suggestions


@tag_group.command("suggestions")
@click.argument("doc_id", required=False)
@click.option("--limit", type=click.IntRange(min=1), default=suggestions.DEFAULT_LIMIT,
              show_default=True, help="At most this many, across the library.")
@as_json_option
@click.pass_context
def suggestions_command(ctx: click.Context, doc_id: str | None, limit: int, as_json: bool) -> None:
    """The suggested tags of DOC_ID, or of the whole library (most recently changed
    documents first), each with its evidence."""
    library = open_library(ctx, read_only=True)
    if doc_id is not None:
        found_id, offered = suggestions.suggestions_of(library, doc_id, Actor.local(), prefix=True)
        listed = [(found_id, s) for s in offered]
    else:
        listed = suggestions.open_suggestions(library, Actor.local(), limit)
    if as_json:
        click.echo(to_json([{"id": i} | suggestion_json(s) for i, s in listed]))
        return
    if not listed:
        click.echo("No suggested tags.")
        return
    for found_id, found in listed:
        shown = label(library.vocabulary, found.field, found.value)
        click.echo(f"{found_id}  {found.field:<10} {found.value:<24} {shown}")
        click.echo(f"      {describe_evidence(found)}")


@tag_group.command("accept")
@click.argument("doc_id")
@click.argument("field")
@click.argument("value")
@expect_revision
@as_json_option
@click.pass_context
def accept_command(ctx: click.Context, doc_id: str, field: str, value: str,
                   expect_revision: int | None, as_json: bool) -> None:  # fmt: skip
    """Accept a suggested tag: VALUE joins the document's FIELD as a curator's tag."""
    library = open_library(ctx)
    expected = None if expect_revision is None else {expect_revision}
    state = suggestions.accept(library, doc_id, field, value, Actor.local(),
                               expected=expected, prefix=True)  # fmt: skip
    print_tags(library, state, field, as_json)


@tag_group.command("dismiss")
@click.argument("doc_id")
@click.argument("field")
@click.argument("value")
@as_json_option
@click.pass_context
def dismiss_command(ctx: click.Context, doc_id: str, field: str, value: str,
                    as_json: bool) -> None:  # fmt: skip
    """Dismiss a suggested tag: it is never offered again for this document."""
    library = open_library(ctx)
    state = suggestions.dismiss(library, doc_id, field, value, Actor.local(), prefix=True)
    print_tags(library, state, field, as_json)
