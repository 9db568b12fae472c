"""The extraction: the files the plan found new, read and analysed by worker processes.

Each worker (`kb.workers`: forkserver, a time limit per file, crash isolation) extracts
and repairs a file, analyses its text for the index, finds the vocabulary's names in it
and works out its title, date and the rules' tags (`kb.extraction.run_extraction`), so
that the one process that writes the catalog and the index has little else to do. Results
come back as they finish, not in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kb.extraction import ExtractJob, ExtractOutcome, run_extraction, use_vocabulary
from kb.ingest.plan import Extract
from kb.ingest.report import IngestOptions
from kb.vocabulary import Vocabulary
from kb.workers import Failed, run_in_pool

# Files queued per extraction worker: the next file is there as soon as one is done, even
# while the ingesting process is busy storing or indexing.
JOBS_PER_WORKER = 2


def extract(
    decisions: Sequence[Extract], options: IngestOptions, vocabulary: Vocabulary
) -> Iterator[tuple[Extract, ExtractOutcome]]:
    """Each file's extraction, as the workers finish them; a file the pool gave up on
    (time limit, crashed worker) has the reason as its error."""
    by_path = {d.file.path: d for d in decisions}
    jobs = [
        ExtractJob(d.file.path, d.file.given, repair=options.repair, limits=options.limits,
                   time_limit=options.time_limit, prepare=True)  # fmt: skip
        for d in decisions
    ]
    results = run_in_pool(
        run_extraction,
        jobs,
        workers=options.workers,
        time_limit=options.time_limit,
        depth=JOBS_PER_WORKER,
        setup=use_vocabulary,
        setup_args=(vocabulary,),
    )
    for job, result in results:
        if isinstance(result, Failed):
            result = ExtractOutcome(None, error=result.reason)
        yield by_path[job.path], result
