"""`kb tag`, `kb status`, `kb log`, `kb retag`, `kb vocabulary`: curating documents.

The command line acts as the local user with an administrator's powers (whoever can write
the catalog can change anything); every change is in the audit trail under their login.
`--expect-revision N` refuses the change if the document changed since revision N
(`kb show` prints it): two curators working at once never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kb import audit, learning
from kb.actors import Actor
from kb.cli import cli, open_library, settings_of
from kb.cli.render import label, plural, to_json
from kb.curation import corrections, vocabulary_file, workflow
from kb.curation.corrections import TagState
from kb.curation.workflow import StatusView
from kb.errors import NotFound
from kb.library import Library

expect_revision = click.option(
    "--expect-revision",
    type=click.IntRange(min=1),
    help="Refuse the change if the document is no longer at this revision (see `kb show`).",
)
as_json_option = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _expected(revision: int | None) -> set[int] | None:
    return None if revision is None else {revision}


# --- tags ----------------------------------------------------------------------------------


@cli.group("tag")
def tag_group() -> None:
    """Correct a document's tags: a curator's value wins over files and automatic tags,
    and survives re-ingestion. Values are vocabulary keys, labels or synonyms."""


def _tag_command(
    name: str, doc: str, operation: Callable[..., TagState]
) -> Callable[..., None]:
    @tag_group.command(name, help=doc)
    @click.argument("doc_id")
    @click.argument("field")
    @click.argument("values", nargs=-1, required=True)
    @expect_revision
    @as_json_option
    @click.pass_context
    def command(ctx: click.Context, doc_id: str, field: str, values: tuple[str, ...],
                expect_revision: int | None, as_json: bool) -> None:
        library = open_library(ctx)
        state = operation(library, doc_id, field, list(values), Actor.local(),
                          expected=_expected(expect_revision), prefix=True)
        print_tags(library, state, field, as_json)

    return command


_tag_command("set", "Make VALUES the document's FIELD (replacing what files and automatic "
             "tagging say).", corrections.set_tags)
_tag_command("add", "Add VALUES to a multi-valued FIELD (family, territory, mission, "
             "instance, authors).", corrections.add_tags)
_tag_command("remove", "Remove VALUES from the document's FIELD, whatever their origin.",
             corrections.remove_tags)


@tag_group.command("clear")
@click.argument("doc_id")
@click.argument("field")
@expect_revision
@as_json_option
@click.pass_context
def tag_clear_command(ctx: click.Context, doc_id: str, field: str,
                      expect_revision: int | None, as_json: bool) -> None:
    """Undo the curators' correction of FIELD: files and automatic tags apply again."""
    library = open_library(ctx)
    state = corrections.clear_tags(library, doc_id, field, Actor.local(),
                                   expected=_expected(expect_revision), prefix=True)
    print_tags(library, state, field, as_json)


def print_tags(library: Library, state: TagState, field: str, as_json: bool) -> None:
    if as_json:
        click.echo(to_json(_tags_json(state)))
        return
    values = state.effective.get(field, ())
    shown = ", ".join(_shown(library, field, v) for v in values) or "(none)"
    corrected = " (corrected)" if field in state.corrections else ""
    click.echo(f"{state.id} · revision {state.revision}")
    click.echo(f"  {field}: {shown}{corrected}")


def _tags_json(state: TagState) -> dict[str, Any]:
    return {
        "id": state.id,
        "revision": state.revision,
        "effective": state.effective,
        "corrections": state.corrections,
        "tags": [{"field": t.field, "value": t.value, "origin": t.origin} for t in state.tags],
    }


def _shown(library: Library, field: str, value: str) -> str:
    name = label(library.vocabulary, field, value)
    return name if name == value else f"{name} ({value})"


# --- status --------------------------------------------------------------------------------


@cli.command("status")
@click.argument("doc_id")
@click.argument("new_status", required=False)
@click.option("--comment", "-m", help="Why (required to reject).")
@expect_revision
@as_json_option
@click.pass_context
def status_command(ctx: click.Context, doc_id: str, new_status: str | None,
                   comment: str | None, expect_revision: int | None, as_json: bool) -> None:
    """Show a document's validation status and history, or move it to NEW_STATUS.

    draft -> submitted -> validated or rejected (with --comment); see README "Curation".
    """
    library = open_library(ctx)
    actor = Actor.local()
    if new_status is None:
        view = workflow.show_status(library, doc_id, actor, prefix=True)
    else:
        view = workflow.change_status(library, doc_id, new_status, actor, comment=comment,
                                      expected=_expected(expect_revision), prefix=True)
    _print_status(library, view, as_json)


def _print_status(library: Library, view: StatusView, as_json: bool) -> None:
    if as_json:
        click.echo(to_json(view))
        return
    click.echo(f"{view.id} · revision {view.revision} · "
               f"{_shown(library, 'status', view.status)}")
    if view.allowed:
        click.echo(f"  next: {', '.join(view.allowed)}")
    for step in view.history:
        why = f" — {step.comment}" if step.comment else ""
        click.echo(f"  {step.at}  {step.before} -> {step.after}  by {step.actor}{why}")


# --- audit ---------------------------------------------------------------------------------


def _logged_document_id(library: Library, document: str) -> str:
    """The id of a document in the catalog, or as typed if the audit trail knows it (a
    pruned document keeps its history); NotFound otherwise."""
    try:
        return library.resolve_id(document).id
    except NotFound as exc:
        if not library.audit.knows_document(document):
            raise NotFound(f"{exc}, nor in the audit trail") from None
        return document


@cli.command("log")
@click.option("--document", "document", help="Only changes to this document (id or prefix).")
@click.option("--collection", help="Only changes to this collection.")
@click.option("--actor", help="Only changes by this person or token name.")
@click.option("--action", help="Only this action or family of actions (tag, status.validated).")
@click.option("--limit", type=click.IntRange(1, audit.MAX_LIMIT), default=50, show_default=True)
@as_json_option
@click.pass_context
def log_command(ctx: click.Context, document: str | None, collection: str | None,
                actor: str | None, action: str | None, limit: int, as_json: bool) -> None:
    """Who changed what and when, with the values before and after; newest first."""
    library = open_library(ctx)
    doc_id = _logged_document_id(library, document) if document else None
    found = library.audit.entries(document=doc_id, collection=collection, actor=actor,
                                  action=action, limit=limit)
    if as_json:
        click.echo(to_json(found))
        return
    if not found:
        click.echo("no changes recorded")
    for entry in found:
        target = f"{entry.target} {entry.target_id}" if entry.target_id else entry.target
        doc = f" [{entry.document_id}]" if entry.document_id and entry.document_id != \
            entry.target_id else ""
        click.echo(f"{entry.at}  {entry.actor} ({entry.via})  {entry.action}  {target}{doc}")
        if entry.before is not None or entry.after is not None:
            click.echo(f"    {_compact(entry.before)} -> {_compact(entry.after)}")
        if entry.comment:
            click.echo(f"    comment: {entry.comment}")


def _compact(value: Any) -> str:
    if value is None:
        return "-"
    text = to_json(value).replace("\n", " ")
    return " ".join(text.split())[:200]


# --- retag and vocabulary -------------------------------------------------------------------


@cli.command("retag")
@as_json_option
@click.pass_context
def retag_command(ctx: click.Context, as_json: bool) -> None:
    """Re-apply automatic tagging (vocabulary synonyms in the text) to every document.

    Run it after adding terms or synonyms to the vocabulary. Curators' corrections and
    sidecars are untouched and keep winning; nothing is re-extracted.
    """
    library = open_library(ctx)
    report = corrections.retag(library, Actor.local())
    if as_json:
        click.echo(to_json(report))
    else:
        click.echo(f"retagged {plural(report.documents, 'document')}: {report.changed} changed")


@cli.command("learn")
@click.pass_context
def learn_command(ctx: click.Context) -> None:
    """Train the tag model on the curators' decisions now (`kb serve` retrains it in the
    background as they grow): its suggestions come with the next ingest or `kb retag`."""
    library = open_library(ctx)
    model = learning.train(library)
    if model is None:
        click.echo(f"no field has {learning.MIN_DOCUMENTS} curated documents with two values "
                   f"of {learning.MIN_EXAMPLES} documents each yet: no model")
        return
    click.echo(f"tag model trained: {learning.describe(model)}")


@cli.group("vocabulary")
def vocabulary_group() -> None:
    """Extend the vocabulary file (then `kb retag`)."""


@vocabulary_group.command("add-term")
@click.argument("field")
@click.argument("key")
@click.argument("term_label")
@click.option("--synonym", "synonyms", multiple=True, help="A synonym (repeatable).")
@click.option("--parent", help="Key of the parent term (territories).")
@click.pass_context
def add_term_command(ctx: click.Context, field: str, key: str, term_label: str,
                     synonyms: tuple[str, ...], parent: str | None) -> None:
    """Add a term KEY with the French TERM_LABEL to FIELD."""
    library = open_library(ctx)
    path = settings_of(ctx).vocabulary
    vocabulary_file.add_term(library, path, Actor.local(), field, key, term_label,
                             synonyms=synonyms, parent=parent)
    click.echo(f"added {field} {key!r} to {path}; run `kb retag` to tag documents with it")


@vocabulary_group.command("add-synonym")
@click.argument("field")
@click.argument("key")
@click.argument("synonym")
@click.pass_context
def add_synonym_command(ctx: click.Context, field: str, key: str, synonym: str) -> None:
    """Add SYNONYM to the term KEY of FIELD."""
    library = open_library(ctx)
    path = settings_of(ctx).vocabulary
    vocabulary_file.add_synonym(library, path, Actor.local(), field, key, synonym)
    click.echo(f"added {synonym!r} to {field} {key!r} in {path}; run `kb retag` to apply it")
