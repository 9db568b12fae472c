"""An ingest's options and its summary, counted from the plan's decisions and what the
store did with each file."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.extract.base import Limits
from kb.ingest.facts import Problem
from kb.ingest.plan import Attach, Decision, FailedBefore, Refused, Unreadable


@dataclass(frozen=True)
class IngestOptions:
    repair: bool = True
    strict: bool = False
    workers: int = 2
    limits: Limits = field(default_factory=Limits)
    time_limit: float = 120.0
    retry_failed: bool = False  # try again the files that failed before, even unchanged


@dataclass(frozen=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    moved: int = 0  # known content at a new path, its former path gone (moved, renamed)
    unchanged: int = 0
    missing: int = 0  # documents whose every file is gone: hidden until `kb prune`
    failed: tuple[Problem, ...] = ()
    # Failed on an earlier run and unchanged since: not tried again, not a failure of this run.
    failed_before: tuple[Problem, ...] = ()
    skipped: tuple[Problem, ...] = ()  # not documents: pipes, links outside the folder
    # Known content at a second path while the first is still there: kept as a second path
    # of the same document, the reason naming the first ("duplicate of <path>").
    duplicates: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # unknown tag values and the like
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "moved": self.moved,
            "duplicates": len(self.duplicates),
            "unchanged": self.unchanged,
            "missing": self.missing,
            "failed": len(self.failed),
            "failed_before": len(self.failed_before),
            "skipped": len(self.skipped),
        }


@dataclass(frozen=True)
class Outcome:
    """What the store learnt writing one file (or the files gone from a folder), beyond
    what its decision said: the counts it adds to, its failures and warnings."""

    counts: tuple[str, ...] = ()  # "added", "updated", "moved", "unchanged", "missing"
    failed: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


class Tally:
    """The summary being counted, file by file, in the order files were settled."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(("added", "updated", "moved", "unchanged", "missing"), 0)
        self.failed: list[Problem] = []
        self.failed_before: list[Problem] = []
        self.skipped: list[Problem] = []
        self.duplicates: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, decision: Decision | None, outcome: Outcome) -> None:
        """One file's decision (None: not a file's) and what storing it did."""
        if decision is not None:
            self._decided(decision)
        for key in outcome.counts:
            self.counts[key] += 1
        self.failed.extend(outcome.failed)
        self.warnings.extend(outcome.warnings)

    def _decided(self, decision: Decision) -> None:
        given = decision.file.given
        kind = decision.counts_as
        if isinstance(decision, FailedBefore):
            self.failed_before.append(Problem(given, decision.reason))
        elif isinstance(decision, Unreadable | Refused):
            self.failed.append(Problem(given, decision.reason))
        elif isinstance(decision, Attach):
            if decision.original is not None:
                self.duplicates.append(Problem(given, f"duplicate of {decision.original}"))
            if decision.hide is not None:
                self.counts["missing"] += 1
        if kind in self.counts:
            self.counts[kind] += 1

    def report(self, seconds: float, timings: dict[str, float]) -> IngestReport:
        c = self.counts
        return IngestReport(
            added=c["added"], updated=c["updated"], moved=c["moved"],
            unchanged=c["unchanged"], missing=c["missing"],
            failed=tuple(self.failed), failed_before=tuple(self.failed_before),
            skipped=tuple(self.skipped), duplicates=tuple(self.duplicates),
            warnings=tuple(self.warnings), seconds=seconds, timings=timings,
        )  # fmt: skip
