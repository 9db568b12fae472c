"""What every answer of the app sends for safety (`api.security`), as the security probe of
issue 26 found it: uploaded and ingested files are never active content from our origin,
and every route sends the security headers. Over the library of
tests/web/test_web_pages.py, with the probe's helpers (tests/web/probe.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest

from api.security import FILE_POLICY, PAGE_POLICY, disposition
from tests.web.probe import bearer, client, publish, route_paths, submit_file
from tests.web.test_web_pages import TestClient, setup, sign_in

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["client", "setup"]  # the fixtures, from tests/web/probe.py and test_web_pages.py

SCRIPT_PAGE = (b"<!doctype html><html><head><title>Page</title></head><body>"
               b"<p>Observatoire ESS Bretagne, page avec script.</p>"
               b"<script>fetch('/mes-depots').then(r => r.text()).then(alert)</script>"
               b"</body></html>")


# --- 1. files are never active content from our origin ------------------------------------


def test_an_uploaded_html_page_is_a_sandboxed_download_everywhere(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sub = submit_file(client, setup, SCRIPT_PAGE, "page « piège ».html")
    publish(setup, sub["document_id"])
    doc = sub["document_id"]
    served = {
        "api": client.get(f"/api/v1/documents/{doc}/file"),
        "legacy api": client.get(f"/documents/{doc}/file"),
        "page": client.get(f"/notice/{doc}/fichier"),
        "api submission": client.get(f"/api/v1/submissions/{sub['id']}/file",
                                     headers=bearer(setup, "network")),
    }
    sign_in(client, setup["tokens"]["network"])
    served["page submission"] = client.get(f"/depots/{sub['id']}/fichier")
    for where, answer in served.items():
        assert answer.status_code == 200, where
        assert answer.content == SCRIPT_PAGE, where
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith("attachment;"), (where, disposition)
        assert "filename*=UTF-8''page%20%C2%AB%20pi%C3%A8ge%20%C2%BB.html" in disposition
        assert '"' not in disposition.split('filename="', 1)[1].split('";')[0]
        assert answer.headers["x-content-type-options"] == "nosniff", where
        assert answer.headers["content-security-policy"] == FILE_POLICY, where
        assert answer.headers["content-security-policy"].startswith("sandbox")


def test_a_pdf_stays_readable_inline_but_sandboxed(client: TestClient,
                                                   setup: dict[str, Any]) -> None:
    pdf = setup["ids"]["public_pdf"]
    for path in (f"/api/v1/documents/{pdf}/file", f"/notice/{pdf}/fichier"):
        answer = client.get(path)
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].startswith("inline;")
        assert answer.headers["content-security-policy"] == FILE_POLICY
        assert answer.headers["x-content-type-options"] == "nosniff"
        ranged = client.get(path, headers={"Range": "bytes=0-9"})
        assert ranged.status_code == 206
        assert ranged.headers["content-security-policy"] == FILE_POLICY


def test_a_quote_in_a_file_name_cannot_break_the_header(client: TestClient,
                                                        setup: dict[str, Any]) -> None:
    sub = submit_file(client, setup, b"Une note sur les SCOP.\n", "note; x=y.txt")
    answer = client.get(f"/api/v1/submissions/{sub['id']}/file",
                        headers=bearer(setup, "network"))
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"note_ x=y.txt\"; filename*=UTF-8''note%3B%20x%3Dy.txt")
    # A quote cannot come through a form (clients escape it) but may be in an ingested name.
    assert disposition("text/plain", 'a"b\\c.txt') == (
        "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc.txt")


# --- 2. security headers on every route ---------------------------------------------------


def test_every_route_sends_the_security_headers(client: TestClient,
                                                setup: dict[str, Any]) -> None:
    paths = route_paths(client, setup)
    assert len(paths) > 40 and "/" in paths and "/api/v1/search" in paths and "/oai" in paths
    for who in (None, "curator"):
        if who:
            sign_in(client, setup["tokens"][who])
        for path in [*paths, "/no-such-page", "/api/v1/no-such-route"]:
            answer = client.get(path)
            headers = answer.headers
            assert headers.get("x-content-type-options") == "nosniff", path
            assert headers.get("x-frame-options") == "DENY", path
            assert headers.get("referrer-policy") == "same-origin", path
            policy = headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in policy, path
            if path in ("/docs", "/redoc"):
                assert "script-src 'self'" in policy and "'unsafe-inline'" not in \
                    policy.split("script-src", 1)[1].split(";", 1)[0], path
            elif path.endswith(("/file", "/fichier")) and answer.status_code == 200:
                assert policy == FILE_POLICY, path
            else:
                assert policy == PAGE_POLICY, path
    # Answers made outside the routes get them too: a 413 from the body limit, a 405.
    too_big = client.post("/api/v1/collections", content=b"x" * (2 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.headers["content-security-policy"]
    assert client.delete("/").headers["x-frame-options"] == "DENY"


def test_pages_need_no_script_and_the_docs_only_their_own(client: TestClient) -> None:
    for path in ("/", "/dossiers", "/aide", "/connexion"):
        assert "<script" not in client.get(path).text, path
    swagger = client.get("/docs")
    inline = re.findall(r"<script>(.*?)</script>", swagger.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in swagger.headers["content-security-policy"]
    assert "script-src 'self';" in client.get("/redoc").headers["content-security-policy"]
