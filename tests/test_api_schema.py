"""Property-based run of the OpenAPI schema (schemathesis): no 500, no schema violation.

Schemathesis generates requests from /openapi.json, valid ones and invalid ones (wrong
types, out-of-range numbers, odd strings), and checks every response against the schema:
a documented status, content type, headers and body, and never a server error. Kept small
(a few dozen examples per operation) so that the run takes seconds.

Hypothesis drives it directly (`as_strategy`): schemathesis's pytest plugin does not run
on pytest 9.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token
from tests.test_api_live import live_server

FIXTURES = Path(__file__).parent / "fixtures" / "api" / "library"
MAX_EXAMPLES = 30
OPERATIONS = ["/search", "/documents/{doc_id}", "/documents/{doc_id}/text",
              "/documents/{doc_id}/file", "/documents/{doc_id}/similar", "/vocabulary",
              "/health"]
NEGATIVE = schemathesis.GenerationMode.NEGATIVE


@dataclass
class Target:
    schema: Any
    admin: dict[str, str]
    document_ids: list[str]


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    root = tmp_path_factory.mktemp("schema")
    shutil.copytree(FIXTURES, root / "docs")
    with Library.open(root / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [root / "docs"], IngestOptions(workers=1))
        secret = create_token(library.catalog, "schema-admin", "admin")[1]
        ids = [doc.id for doc in library.catalog.documents()]
    app = create_app(Settings(library=root / "library"))
    yield Target(
        schemathesis.openapi.from_asgi("/openapi.json", app),
        {"Authorization": f"Bearer {secret}"},
        ids,
    )
    schemathesis.python.asgi.shutdown_lifespans()  # closes the app's library


def run(operation: Any, examples: int, **fixed: Any) -> None:
    """Call the app with generated cases of one operation and validate every response."""
    headers = fixed.pop("headers", None)

    @given(case=operation.as_strategy(**fixed))
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers)

    check()


@pytest.mark.parametrize("path", OPERATIONS)
def test_generated_requests(target: Target, path: str) -> None:
    run(target.schema[path]["GET"], MAX_EXAMPLES)


# Only these take parameters that a request can get wrong (a document id is any string).
@pytest.mark.parametrize("path", ["/search", "/documents/{doc_id}/text",
                                  "/documents/{doc_id}/similar"])
def test_generated_invalid_requests(target: Target, path: str) -> None:
    run(target.schema[path]["GET"], MAX_EXAMPLES, generation_mode=NEGATIVE)


@pytest.mark.parametrize("path", [p for p in OPERATIONS if "{doc_id}" in p])
def test_generated_requests_on_real_documents_as_admin(target: Target, path: str) -> None:
    for doc_id in target.document_ids:
        run(target.schema[path]["GET"], 5, path_parameters={"doc_id": doc_id},
            headers=target.admin)


def test_generated_searches_as_admin(target: Target) -> None:
    run(target.schema["/search"]["GET"], MAX_EXAMPLES, headers=target.admin)


# Where one OpenAPI operation cannot say which valid-looking requests the library refuses,
# the refusal is expected, with its reason:
# - the values PUT/POST/DELETE /documents/{id}/tags/{field} accept depend on `field` (the
#   vocabulary of that field; one value for a single-valued field): 422 names the problem;
# - POST /documents decides from the file's content whether it can read it: 415 otherwise;
#   and in its multipart form every value is text, so a value of a "wrong type" that the tool
#   generates (an object for `authors`) reaches the server as a valid string ("{}"): the
#   negative check of types cannot apply there. It creates a submission, whose `id` is not a
#   document id (the document, if any, is its `document_id`); schemathesis's dependency
#   analysis takes one for the other and fetches GET /documents/{submission id}: the check
#   that a created resource can be read is off for this operation.
# - a 404 from an operation under a collection just created may name the document of its
#   path or body (POST /collections/{id}/documents with an unknown document_id), not the
#   collection: the same created-resource check is off for those operations.
# Everything else the schema says is held exactly (issue 26: an empty or oversized `order`,
# adding to a single-valued field, the 413 and the Location of a collection are in the
# schema now; tests/test_api_contract.py has one test each).
CONFIG = """
# Every check (what `--checks all` selects; named here so that an operation's own setting
# below is not overridden by the command line's choice).
[checks]
enabled = true

[[operations]]
include-path-regex = '/documents/[{]doc_id[}]/tags/[{]field[}]$'
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409",
                                                     "422", "429"]

[[operations]]
include-path-regex = '/api/v1/documents$'
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409",
                                                     "415", "429"]
checks.negative_data_rejection.enabled = false
checks.ensure_resource_availability.enabled = false

[[operations]]
include-path-regex = '/api/v1/collections/[{]collection_id[}]/'
checks.ensure_resource_availability.enabled = false
"""


@pytest.mark.slow
def test_every_check_over_http(tmp_path: Path) -> None:
    """schemathesis's own runner (every check, as `st run --checks all`; every phase,
    stateful sequences included) against a real server, as an administrator, over the
    versioned API (the deprecated unversioned paths are the same routes)."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    with live_server(tmp_path) as (url, library_dir):
        with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
            secret = create_token(library.catalog, "schema-admin", "admin")[1]
        done = subprocess.run(
            [str(Path(sys.executable).parent / "st"), "--config-file", str(config),
             "--no-color", "run", f"{url}/openapi.json", "--exclude-deprecated",
             "-H", f"Authorization: Bearer {secret}",
             "--workers", "1", "--max-examples", "8", "--seed", "20261203"],
            capture_output=True, text=True, timeout=600,
            cwd=tmp_path,  # where it keeps its cache
        )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
