"""The ingest plan (`kb.ingest.plan`): one decision per file from the scan's facts alone.

Pure: every case is built from plain values (what the disk showed, what the catalog knew),
with no file, catalog or index; the end-to-end behaviour is in tests/kb/ingest/test_ingest.py and
its neighbours."""

from __future__ import annotations

import pytest

from kb.catalog import PathRow
from kb.ingest.facts import DocFacts, PresentFile, RememberedFailure, Seen
from kb.ingest.plan import (
    Attach,
    Decision,
    Extract,
    FailedBefore,
    Refused,
    Retag,
    Twin,
    Unchanged,
    Unreadable,
    plan,
)
from kb.scan import Candidate

LIMIT = 1000  # bytes: the largest file the extractors take, here


def file(name: str, size: int = 100, mtime_ns: int = 7) -> Candidate:
    return Candidate(f"/docs/{name}", f"docs/{name}", "/docs", size, mtime_ns)


def row(name: str, doc: str, size: int = 100, mtime_ns: int = 7, sidecar: str | None = None,
        state: str = "present") -> PathRow:  # fmt: skip
    return PathRow(f"/docs/{name}", f"docs/{name}", "/docs", doc, size, mtime_ns, sidecar,
                   state, "2026-12-07T10:00:00+00:00")  # fmt: skip


def present(*names: str, exists: bool = True) -> tuple[PresentFile, ...]:
    return tuple(PresentFile(f"/docs/{n}", f"docs/{n}", exists) for n in names)


def decide(*seen: Seen) -> list[Decision]:
    return list(plan(seen, max_file_bytes=LIMIT))


def test_a_file_the_catalog_has_with_its_size_and_mtime_is_unchanged() -> None:
    doc = DocFacts("d1", "active", ("bad year",))
    [decision] = decide(Seen(file("a.txt"), None, row("a.txt", "d1"), doc))
    assert decision == Unchanged(file("a.txt"), None, "d1", ("bad year",))
    assert decision.counts_as == "unchanged"


def test_an_unchanged_file_with_a_new_sidecar_is_retagged() -> None:
    seen = Seen(file("a.txt"), "12:99", row("a.txt", "d1", sidecar="10:1"),
                DocFacts("d1", "active"))  # fmt: skip
    assert decide(seen) == [Retag(file("a.txt"), "12:99", "d1")]
    assert decide(seen)[0].counts_as == "updated"


def test_an_unchanged_file_that_failed_in_between_forgets_its_failure() -> None:
    """A failed version undone: the file is back as the catalog had it."""
    failure = RememberedFailure("corrupt", 55, 3, None, "h-bad")
    [decision] = decide(Seen(file("a.txt"), None, row("a.txt", "d1"), DocFacts("d1", "active"),
                             failure))  # fmt: skip
    assert isinstance(decision, Unchanged) and decision.forget_failure


def test_a_file_of_a_hidden_document_is_not_vouched_for() -> None:
    """The catalog's size and mtime vouch only for an active document: the content is
    read (the scan gives its hash) and the document comes back."""
    hidden = DocFacts("d1", "missing", present=())
    seen = Seen(file("a.txt"), None, row("a.txt", "d1"), hidden, content_hash="h1", known=hidden)
    [decision] = decide(seen)
    assert isinstance(decision, Attach)
    assert (decision.reactivate, decision.new_path, decision.counts_as) == ("missing", False,
                                                                            "unchanged")


def test_a_file_that_failed_and_is_unchanged_is_not_tried_again() -> None:
    failure = RememberedFailure("encrypted", 100, 7, None, "h1")
    [decision] = decide(Seen(file("a.pdf"), None, failure=failure))
    assert decision == FailedBefore(file("a.pdf"), None, "encrypted")
    assert decision.counts_as == "failed_before"


def test_a_failure_remembered_before_signatures_is_tried_again() -> None:
    failure = RememberedFailure("encrypted", None, None, None, None)
    [decision] = decide(Seen(file("a.pdf"), None, failure=failure, content_hash="h1"))
    assert decision == Extract(file("a.pdf"), None, "h1")


def test_a_failed_file_with_a_new_sidecar_is_tried_again() -> None:
    failure = RememberedFailure("bad tag", 100, 7, None, "h1")
    [decision] = decide(Seen(file("a.pdf"), "3:4", failure=failure, content_hash="h1"))
    assert decision == Extract(file("a.pdf"), "3:4", "h1")


def test_a_touched_file_that_failed_is_failed_before_and_restamped() -> None:
    failure = RememberedFailure("corrupt", 100, 1, None, "h1")
    [decision] = decide(Seen(file("a.pdf", mtime_ns=2), None, failure=failure, content_hash="h1"))
    assert decision == FailedBefore(file("a.pdf", mtime_ns=2), None, "corrupt", restamp=True,
                                    content_hash="h1")  # fmt: skip


def test_an_unreadable_file_fails() -> None:
    [decision] = decide(Seen(file("a.txt"), None, unreadable="cannot read: permission denied"))
    assert decision == Unreadable(file("a.txt"), None, "cannot read: permission denied")
    assert decision.counts_as == "failed"


def test_new_content_is_extracted() -> None:
    assert decide(Seen(file("a.txt"), None, content_hash="h1")) == [
        Extract(file("a.txt"), None, "h1", prior=None)]


def test_a_changed_file_is_extracted_for_the_document_it_had() -> None:
    seen = Seen(file("a.txt", size=120), None, row("a.txt", "d1"), DocFacts("d1", "active"),
                content_hash="h2")  # fmt: skip
    assert decide(seen) == [Extract(file("a.txt", size=120), None, "h2", prior="d1")]


def test_the_same_new_content_twice_is_extracted_once() -> None:
    first, second = decide(Seen(file("a.txt"), None, content_hash="h1"),
                           Seen(file("b.txt"), None, row("b.txt", "d9", size=5),
                                DocFacts("d9", "active"), content_hash="h1"))  # fmt: skip
    assert first == Extract(file("a.txt"), None, "h1")
    assert second == Twin(file("b.txt"), None, "h1", primary="/docs/a.txt", path_document="d9",
                          same_sidecar=True)
    assert second.counts_as is None  # it follows the extracted file's fate


@pytest.mark.parametrize(("size", "reason"), [
    (0, "empty file"),
    (1500, "file too large (0.001 MB, limit 0.001 MB)"),
])  # fmt: skip
def test_what_no_extractor_takes_is_refused_unread(size: int, reason: str) -> None:
    [decision] = decide(Seen(file("a.pdf", size=size), None, content_hash="h1"))
    assert decision == Refused(file("a.pdf", size=size), None, reason, "h1")
    assert decision.counts_as == "failed"


def test_known_content_at_a_new_path_whose_old_file_is_gone_is_a_move() -> None:
    known = DocFacts("d1", "active", present=present("old.txt", exists=False))
    [decision] = decide(Seen(file("new.txt"), None, content_hash="h1", known=known))
    assert isinstance(decision, Attach)
    assert (decision.document_id, decision.new_path, decision.original) == ("d1", True, None)
    assert decision.counts_as == "moved"


def test_known_content_at_a_new_path_beside_its_file_is_a_copy() -> None:
    known = DocFacts("d1", "active", present=present("a.txt"))
    [decision] = decide(Seen(file("copie.txt"), None, content_hash="h1", known=known))
    assert isinstance(decision, Attach) and decision.original == "docs/a.txt"
    assert decision.counts_as == "duplicate"


def test_a_second_copy_in_the_same_run_names_the_file_the_run_attached() -> None:
    """The catalog's facts are those of the run's start: the plan counts its own moves."""
    known = DocFacts("d1", "active", present=present("old.txt", exists=False))
    moved, copied = decide(Seen(file("b.txt"), None, content_hash="h1", known=known),
                           Seen(file("c.txt"), None, content_hash="h1", known=known))
    assert isinstance(moved, Attach) and moved.counts_as == "moved"
    assert isinstance(copied, Attach) and copied.original == "docs/b.txt"


def test_a_path_that_leaves_its_last_document_hides_it() -> None:
    """a.txt now holds d2's content: d1 has no file left and is hidden."""
    d1 = DocFacts("d1", "active", present=present("a.txt"))
    d2 = DocFacts("d2", "active", present=present("b.txt"))
    [decision] = decide(Seen(file("a.txt", size=9), None, row("a.txt", "d1"), d1,
                             content_hash="h2", known=d2))  # fmt: skip
    assert isinstance(decision, Attach)
    assert (decision.document_id, decision.hide, decision.original) == ("d2", "d1", "docs/b.txt")


def test_a_path_that_leaves_a_document_with_other_files_hides_nothing() -> None:
    d1 = DocFacts("d1", "active", present=present("a.txt", "z.txt"))
    d2 = DocFacts("d2", "active", present=())
    [decision] = decide(Seen(file("a.txt", size=9), None, row("a.txt", "d1"), d1,
                             content_hash="h2", known=d2))  # fmt: skip
    assert isinstance(decision, Attach) and decision.hide is None


def test_a_document_hidden_earlier_in_the_run_comes_back_with_its_content() -> None:
    d1 = DocFacts("d1", "active", present=present("a.txt"))
    d2 = DocFacts("d2", "active", present=())
    first, second = decide(
        Seen(file("a.txt", size=9), None, row("a.txt", "d1"), d1, content_hash="h2", known=d2),
        Seen(file("b.txt"), None, content_hash="h1", known=d1),
    )
    assert isinstance(first, Attach) and first.hide == "d1"
    assert isinstance(second, Attach) and second.reactivate == "missing"


def test_a_touched_file_keeps_its_document_and_counts_as_unchanged() -> None:
    """Same content, new mtime: its path is written again, its tags are not."""
    doc = DocFacts("d1", "active")
    [decision] = decide(Seen(file("a.txt", mtime_ns=8), None, row("a.txt", "d1"), doc,
                             content_hash="h1", known=doc))  # fmt: skip
    assert isinstance(decision, Attach)
    assert (decision.new_path, decision.retag, decision.counts_as) == (False, False, "unchanged")


def test_a_touched_file_with_a_new_sidecar_is_retagged() -> None:
    doc = DocFacts("d1", "active")
    [decision] = decide(Seen(file("a.txt", mtime_ns=8), "1:1", row("a.txt", "d1"), doc,
                             content_hash="h1", known=doc))  # fmt: skip
    assert isinstance(decision, Attach) and decision.retag and decision.counts_as == "updated"


def test_a_file_neither_vouched_for_nor_read_is_a_bug_of_the_scan() -> None:
    with pytest.raises(AssertionError, match="neither vouched for nor read"):
        decide(Seen(file("a.txt"), None))
