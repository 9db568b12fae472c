"""`kb collection ...`: reading lists and study files, ordered, with a note per document."""

from __future__ import annotations

import click

from kb.actors import Actor
from kb.cli import cli, open_library
from kb.cli.render import plural, to_json
from kb.curation import collections as coll
from kb.library import Library

expect_revision = click.option(
    "--expect-revision",
    type=click.IntRange(min=1),
    help="Refuse the change if the collection is no longer at this revision.",
)
as_json_option = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _expected(revision: int | None) -> set[int] | None:
    return None if revision is None else {revision}


@cli.group("collection")
def collection_group() -> None:
    """Group documents into collections: a working group's reading list, a study's file.

    A collection has an id (made from its first name), a description, a visibility
    (internal until you say otherwise) and an ordered list of documents, each with a note.
    """


@collection_group.command("create")
@click.argument("name")
@click.option("--id", "collection_id", help="Its id (default: made from the name).")
@click.option("--description", "-d", default="", help="What it is for.")
@click.option("--visibility", default=coll.DEFAULT_VISIBILITY, show_default=True,
              help="public, network or internal.")
@as_json_option
@click.pass_context
def create_command(ctx: click.Context, name: str, collection_id: str | None, description: str,
                   visibility: str, as_json: bool) -> None:
    """Create an empty collection called NAME."""
    library = open_library(ctx)
    created = coll.create_collection(library, Actor.local(), name, description=description,
                                     visibility=visibility, collection_id=collection_id)
    _print(library, created, as_json)


@collection_group.command("list")
@as_json_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every collection, by name."""
    library = open_library(ctx)
    found = library.collections.listing()
    if as_json:
        click.echo(to_json(found))
        return
    if not found:
        click.echo("no collections yet: `kb collection create NAME`")
    for c in found:
        click.echo(f"{c.id:<30} {c.name}  ({plural(c.size, 'document')}, {c.visibility})")


@collection_group.command("show")
@click.argument("collection_id")
@as_json_option
@click.pass_context
def show_command(ctx: click.Context, collection_id: str, as_json: bool) -> None:
    """A collection and its documents in order, with their notes."""
    library = open_library(ctx)
    _print(library, library.collections.get(collection_id), as_json)


@collection_group.command("rename")
@click.argument("collection_id")
@click.argument("name")
@expect_revision
@as_json_option
@click.pass_context
def rename_command(ctx: click.Context, collection_id: str, name: str,
                   expect_revision: int | None, as_json: bool) -> None:
    """Give a collection a new NAME (its id stays)."""
    library = open_library(ctx)
    changed = coll.update_collection(library, Actor.local(), collection_id, name=name,
                                     expected=_expected(expect_revision))
    _print(library, changed, as_json)


@collection_group.command("describe")
@click.argument("collection_id")
@click.argument("description")
@expect_revision
@as_json_option
@click.pass_context
def describe_command(ctx: click.Context, collection_id: str, description: str,
                     expect_revision: int | None, as_json: bool) -> None:
    """Set what a collection is for."""
    library = open_library(ctx)
    changed = coll.update_collection(library, Actor.local(), collection_id,
                                     description=description, expected=_expected(expect_revision))
    _print(library, changed, as_json)


@collection_group.command("visibility")
@click.argument("collection_id")
@click.argument("visibility")
@expect_revision
@as_json_option
@click.pass_context
def visibility_command(ctx: click.Context, collection_id: str, visibility: str,
                       expect_revision: int | None, as_json: bool) -> None:
    """Who sees a collection: public (the portal), network or internal."""
    library = open_library(ctx)
    changed = coll.update_collection(library, Actor.local(), collection_id,
                                     visibility=visibility, expected=_expected(expect_revision))
    _print(library, changed, as_json)


@collection_group.command("delete")
@click.argument("collection_id")
@expect_revision
@click.pass_context
def delete_command(ctx: click.Context, collection_id: str, expect_revision: int | None) -> None:
    """Delete a collection (its documents stay in the library)."""
    library = open_library(ctx)
    gone = coll.delete_collection(library, Actor.local(), collection_id,
                                  expected=_expected(expect_revision))
    click.echo(f"deleted collection {gone.id} ({gone.name})")


@collection_group.command("add")
@click.argument("collection_id")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--note", "-n", default="", help="A note for these documents.")
@click.option("--position", type=click.IntRange(min=1), help="Insert at this place (1: first).")
@expect_revision
@as_json_option
@click.pass_context
def add_command(ctx: click.Context, collection_id: str, doc_ids: tuple[str, ...], note: str,
                position: int | None, expect_revision: int | None, as_json: bool) -> None:
    """Add documents (ids or id prefixes) to a collection."""
    library = open_library(ctx)
    changed = coll.add_documents(library, Actor.local(), collection_id, list(doc_ids),
                                 note=note, position=position,
                                 expected=_expected(expect_revision), prefix=True)
    _print(library, changed, as_json)


@collection_group.command("remove")
@click.argument("collection_id")
@click.argument("doc_id")
@expect_revision
@as_json_option
@click.pass_context
def remove_command(ctx: click.Context, collection_id: str, doc_id: str,
                   expect_revision: int | None, as_json: bool) -> None:
    """Take a document out of a collection."""
    library = open_library(ctx)
    changed = coll.remove_document(library, Actor.local(), collection_id, doc_id,
                                   expected=_expected(expect_revision), prefix=True)
    _print(library, changed, as_json)


@collection_group.command("move")
@click.argument("collection_id")
@click.argument("doc_id")
@click.argument("position", type=click.IntRange(min=1))
@expect_revision
@as_json_option
@click.pass_context
def move_command(ctx: click.Context, collection_id: str, doc_id: str, position: int,
                 expect_revision: int | None, as_json: bool) -> None:
    """Move a document to POSITION (1: first) in a collection."""
    library = open_library(ctx)
    changed = coll.update_entry(library, Actor.local(), collection_id, doc_id,
                                position=position, expected=_expected(expect_revision),
                                prefix=True)
    _print(library, changed, as_json)


@collection_group.command("note")
@click.argument("collection_id")
@click.argument("doc_id")
@click.argument("note")
@expect_revision
@as_json_option
@click.pass_context
def note_command(ctx: click.Context, collection_id: str, doc_id: str, note: str,
                 expect_revision: int | None, as_json: bool) -> None:
    """Set the curator's note of a document in a collection ("" to clear it)."""
    library = open_library(ctx)
    changed = coll.update_entry(library, Actor.local(), collection_id, doc_id, note=note,
                                expected=_expected(expect_revision), prefix=True)
    _print(library, changed, as_json)


@collection_group.command("order")
@click.argument("collection_id")
@click.argument("doc_ids", nargs=-1, required=True)
@expect_revision
@as_json_option
@click.pass_context
def order_command(ctx: click.Context, collection_id: str, doc_ids: tuple[str, ...],
                  expect_revision: int | None, as_json: bool) -> None:
    """Put a collection's documents in the order given (each of them once)."""
    library = open_library(ctx)
    changed = coll.reorder(library, Actor.local(), collection_id, list(doc_ids),
                           expected=_expected(expect_revision), prefix=True)
    _print(library, changed, as_json)


def _print(library: Library, collection: coll.Collection, as_json: bool) -> None:
    listed = library.collections.entries(collection.id)
    if as_json:
        click.echo(to_json({**collection.__dict__, "entries": [
            {**e.__dict__, "title": _title(library, e.document_id)} for e in listed
        ]}))
        return
    click.echo(click.style(collection.name, bold=True))
    click.echo(f"id {collection.id} · {collection.visibility} · revision {collection.revision}"
               f" · {plural(collection.size, 'document')}")
    if collection.description:
        click.echo(collection.description)
    for entry in listed:
        click.echo(f"  {entry.position:>3}. {entry.document_id}  "
                   f"{_title(library, entry.document_id)[:70]}")
        if entry.note:
            click.echo(f"       note: {entry.note}")


def _title(library: Library, doc_id: str) -> str:
    return (library.documents.effective_tags(doc_id).get("title") or ("",))[0]
