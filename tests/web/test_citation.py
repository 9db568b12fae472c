"""JSON in pages (`api.web.citation`): a title cannot break out of the notice's JSON-LD
block; embedded JSON escapes what HTML and JavaScript parsers read (the security probe of
issue 26, tests/web/probe.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
import pytest

from api.web.citation import script_json
from kb.curation.corrections import set_tags
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.web.probe import CURATOR, client
from tests.web.test_web_pages import TestClient, setup

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["client", "setup"]  # the fixtures, from tests/web/probe.py and test_web_pages.py

HOSTILE_TITLE = "Étude <!--<script> </script><script>alert(1)</script> & ]]> \u2028\u2029 fin"


def test_a_title_cannot_break_out_of_the_json_ld_block(client: TestClient,
                                                       setup: dict[str, Any]) -> None:
    target = setup["ids"]["public_docx"]
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        set_tags(library, target, "title", [HOSTILE_TITLE], CURATOR)
    stored = client.get(f"/api/v1/documents/{target}").json()["title"]
    assert "</script>" in stored and "<!--<script>" in stored
    text = client.get(f"/notice/{target}").text
    raw = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(raw) == 1
    # The HTML rules for a script's content: no "<!--", "<script" or "</script" in it, so
    # that every parser ends the block where we do (we put no "<" in it at all).
    assert not set(raw[0]) & {"<", ">", "&", "\u2028", "\u2029"}
    tree = lxml.html.fromstring(text)
    (block,) = tree.xpath('//script[@type="application/ld+json"]')
    assert json.loads(block.text)["name"] == stored
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert tree.xpath("//h1")[0].text_content().strip() == stored.strip()


def test_embedded_json_escapes_what_html_and_javascript_parsers_read() -> None:
    data = {"t": HOSTILE_TITLE, "n": [1, 2.5, None, True]}
    text = str(script_json(data))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == data
