"""`kb show` and `kb extract`: one document, one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kb.cli import cli, open_library
from kb.cli.render import label, to_json
from kb.documents import current_file
from kb.extraction import extract_for_display
from kb.tags import ORIGINS, Tag, TagEvidence


@cli.command("show")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def show_command(ctx: click.Context, doc_id: str, as_json: bool) -> None:
    """A document's metadata, where each tag came from, its files, the collections it is
    in and its extraction report."""
    library = open_library(ctx, read_only=True)
    view = library.show(doc_id)
    doc = view.document
    memberships = library.collections.memberships(doc.id)
    # The file that still holds the ingested content: the one the API and the pages serve.
    current = current_file(doc, view.paths)
    evidence = {(e.field, e.value): e for e in library.documents.evidence(doc.id)}
    suggested = library.documents.suggestions(doc.id)
    if as_json:
        click.echo(
            to_json(
                {
                    "id": doc.id,
                    "state": doc.state,
                    "revision": doc.revision,
                    "media_type": doc.media_type,
                    "size": doc.size,
                    "content_hash": doc.content_hash,
                    "added_at": doc.added_at,
                    "updated_at": doc.updated_at,
                    "pages": view.pages,
                    "sections": view.sections,
                    "characters": view.characters,
                    "effective": view.effective,
                    "tags": [
                        {"field": t.field, "value": t.value, "origin": t.origin}
                        | _evidence_json(evidence, t)
                        for t in view.tags
                    ],
                    "suggestions": [suggestion_json(e) for e in suggested],
                    "paths": [{"path": p.given, "state": p.state} for p in view.paths],
                    "current_file": None if current is None else str(current.path),
                    "collections": [
                        {
                            "id": c.id,
                            "name": c.name,
                            "visibility": c.visibility,
                            "position": e.position,
                            "note": e.note,
                        }
                        for c, e in memberships
                    ],
                    "report": doc.report,
                }
            )
        )
        return
    vocab = library.vocabulary
    click.echo(click.style((view.effective.get("title") or ("(untitled)",))[0], bold=True))
    click.echo(
        f"id {doc.id} · {doc.state} · {doc.media_type} · {doc.size:,} bytes"
        f" · revision {doc.revision}"
    )
    click.echo(f"{view.pages} pages · {view.sections} sections · {view.characters:,} characters")
    click.echo("\nTags (value, origin; a field takes the values of its highest origin):")
    fields = sorted({t.field for t in view.tags}, key=lambda f: (f != "title", f))
    for field in fields:
        tags = sorted(
            (t for t in view.tags if t.field == field), key=lambda t: -ORIGINS.index(t.origin)
        )
        winning = set(view.effective.get(field, ()))
        top = tags[0].origin if tags else None
        for tag in tags:
            used = tag.origin == top and tag.value in winning
            mark = " " if used else "~"
            shown = label(vocab, field, tag.value)
            shown = shown if shown == tag.value else f"{shown} ({tag.value})"
            click.echo(f"  {mark} {field:<11} {shown[:70]:<72} {tag.origin}")
            found = evidence.get((tag.field, tag.value))
            if found is not None and tag.origin == "auto":
                click.echo(f"      {describe_evidence(found)}")
            elif found is not None and tag.origin in ("derived", "properties"):
                click.echo(f"      from {describe_source(found)}")
    click.echo("  (~ overridden by a higher origin)")
    if suggested:
        click.echo("\nSuggested (accept with `kb tag accept`, dismiss with `kb tag dismiss`):")
        for found in suggested:
            shown = label(vocab, found.field, found.value)
            click.echo(f"    {found.field:<11} {shown} ({found.value})")
            click.echo(f"      {describe_evidence(found)}")
    click.echo("\nFiles:")
    for path in view.paths:
        mark = ", current" if current is not None and Path(path.path) == current.path else ""
        click.echo(f"  {path.given}  ({path.state}{mark})")
    if current is None:
        click.echo("  none holds the ingested content any more (moved, deleted or changed "
                   "since)")
    if memberships:
        click.echo("\nCollections:")
        for collection, entry in memberships:
            note = f" — {entry.note}" if entry.note else ""
            click.echo(
                f"  {collection.name} [{collection.id}, {collection.visibility}]"
                f" #{entry.position} of {collection.size}{note}"
            )
    report = doc.report
    click.echo("\nExtraction:")
    click.echo(
        f"  extracted {report.get('extracted_at', '?')}"
        + (f", encoding {report['encoding']}" if report.get("encoding") else "")
    )
    repairs = report.get("repairs") or {}
    if repairs:
        listed = ", ".join(f"{name} {count}" for name, count in sorted(repairs.items()))
        click.echo(f"  repairs: {listed}")
    else:
        click.echo("  repairs: none needed")
    for warning in report.get("warnings", []):
        click.echo(f"  warning: {warning}")


@cli.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--raw", is_flag=True, help="The text before repair.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def extract_command(file: Path, raw: bool, as_json: bool) -> None:
    """Print a file's text as the library would index it, page by page (debugging tool)."""
    document = extract_for_display(file, repair=not raw)
    if as_json:
        click.echo(to_json(document))
        return
    meta = [f"type {document.media_type}"]
    if document.title:
        meta.append(f"title {document.title!r}")
    if document.authors:
        meta.append("authors " + ", ".join(document.authors))
    if document.encoding:
        meta.append(f"encoding {document.encoding}")
    click.echo("# " + " · ".join(meta))
    for warning in document.warnings:
        click.echo(f"# warning: {warning}")
    for section in document.sections:
        if section.page is not None:
            click.echo(f"\n--- page {section.page} ---")
        elif section.heading:
            click.echo(f"\n--- {section.heading} ---")
        else:
            click.echo("\n---")
        click.echo(section.text)


def describe_evidence(evidence: TagEvidence) -> str:
    """Why an automatic tag was set, on one line: 'first page · 3 mentions: "Rennes" · p. 1',
    'slides', 'parts: 3 lines: "Ordre du jour", ...'."""
    words = ", ".join(f'"{w}"' for w in evidence.words)
    pages = f" · p. {', '.join(map(str, evidence.pages))}" if evidence.pages else ""
    if evidence.reason.startswith("parts") or not evidence.mentions:  # a kind's form
        return f"{evidence.reason}{': ' + words if words else ''}{pages}"
    count = f"{evidence.mentions} mention{'s' if evidence.mentions > 1 else ''}"
    reason = "" if evidence.reason.split()[-1].startswith("mention") else f"{evidence.reason} · "
    return f"{reason}{count}: {words}{pages}"


def describe_source(evidence: TagEvidence) -> str:
    """Where a title or date was read: 'stated on page 1: « 14 mars 2013 »', 'file name'."""
    quote = f": « {evidence.words[0]} »" if evidence.words else ""
    return f"{evidence.reason}{quote}"


def suggestion_json(found: TagEvidence) -> dict[str, Any]:
    return {"field": found.field, "value": found.value} | _evidence_fields(found)


def _evidence_fields(found: TagEvidence) -> dict[str, Any]:
    return {"reason": found.reason, "mentions": found.mentions, "words": list(found.words),
            "pages": list(found.pages)}  # fmt: skip


def _evidence_json(evidence: dict[tuple[str, str], TagEvidence], tag: Tag) -> dict[str, Any]:
    found = evidence.get((tag.field, tag.value))
    if found is None:
        return {}
    if tag.origin in ("derived", "properties"):
        return {"source": found.reason} | ({"quote": found.words[0]} if found.words else {})
    if tag.origin != "auto":
        return {}
    return {"evidence": _evidence_fields(found)}
