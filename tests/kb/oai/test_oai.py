"""OAI-PMH: a real harvester (Sickle) against a real server over the corpus, every answer
validated against the OAI-PMH 2.0 schema and the oai_dc rules; deletions reported."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from api.app import create_app
from kb.actors import Actor
from kb.curation import corrections, workflow
from kb.curation.collections import add_documents, create_collection
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tags import effective
from tests.conftest import CORPUS

PUBLIC_URL = "https://observatoire-ess.example"
PAGE_SIZE = 4
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_ELEMENTS = frozenset({"title", "creator", "subject", "description", "publisher",
                         "contributor", "date", "type", "format", "identifier", "source",
                         "language", "relation", "coverage", "rights"})
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parents[2] / "fixtures" / "oai" /
                                         "OAI-PMH.xsd")))
STUDY = "etude-pole-ess-pays-de-rennes-2008.pdf"

pytestmark = pytest.mark.slow


def check_oai_dc(dc: Any) -> None:
    """The oai_dc schema's rules: an `oai_dc:dc` holding only the fifteen DC elements, each
    text only, with at most an `xml:lang` attribute."""
    assert dc.tag == f"{{{OAI_DC_NS}}}dc"
    assert len(dc), "an empty Dublin Core record"
    for element in dc:
        namespace, _, name = element.tag[1:].partition("}")
        assert namespace == DC_NS and name in DC_ELEMENTS, element.tag
        assert len(element) == 0 and (element.text or "").strip(), name
        assert set(element.attrib) <= {XML_LANG}, element.attrib


def valid(xml: bytes) -> Any:
    """The parsed answer, after checking it against OAI-PMH.xsd and each record's oai_dc."""
    tree = etree.fromstring(xml)
    assert SCHEMA.validate(tree), SCHEMA.error_log.last_error
    for metadata in tree.iter(f"{OAI}metadata"):
        assert len(metadata) == 1
        check_oai_dc(metadata[0])
    return tree


class RecordingSickle(Sickle):  # type: ignore[misc]
    """Sickle keeping every raw answer, so that each can be validated."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.answers: list[bytes] = []

    def harvest(self, **kwargs: Any) -> Any:
        response = super().harvest(**kwargs)
        self.answers.append(response.raw.encode("utf-8"))
        return response


@dataclass
class Site:
    base: str
    library: Path
    docs: Path
    ids: dict[str, str]  # file name -> document id

    def sickle(self, method: str = "GET") -> RecordingSickle:
        return RecordingSickle(f"{self.base}/oai", http_method=method, timeout=30)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("oai")
    docs = root / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("vocabulary.toml"))
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [docs], IngestOptions(workers=1))
        ids = {Path(p.path).name: d.id for d in library.catalog.documents()
               for p in library.catalog.paths_of(d.id)}
        create_collection(library, Actor.local(), "Pôle ESS", visibility="public")
        add_documents(library, Actor.local(), "pole-ess", [ids[STUDY]])
    settings = Settings(library=library_dir, public_url=PUBLIC_URL, oai_page_size=PAGE_SIZE,
                        oai_admin_email="observatoire@ess-bretagne.example")
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Site(f"http://127.0.0.1:{port}", library_dir, docs, ids)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def harvestable(site: Site) -> set[str]:
    """What an anonymous visitor sees and the council validated, read from the catalog."""
    with Library.open(site.library, DEFAULT_VOCABULARY) as library:
        found = set()
        for doc in library.catalog.documents(state="active"):
            tags = effective(library.catalog.tags(doc.id))
            if tags.get("visibility") == ("public",) and tags.get("status") == ("validated",):
                found.add(doc.id)
        return found


def identifier(doc_id: str) -> str:
    return f"oai:observatoire-ess.example:{doc_id}"


def test_a_harvest_returns_every_validated_public_document_once_with_its_dublin_core(
    site: Site,
) -> None:
    expected = harvestable(site)
    assert 5 < len(expected) < len(site.ids)  # drafts, network and internal ones left out
    for method in ("GET", "POST"):
        harvester = site.sickle(method)
        found = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
        names = [r.header.identifier for r in found]
        assert sorted(names) == sorted(identifier(i) for i in expected)  # each once
        assert not any(r.header.deleted for r in found)
        assert len(harvester.answers) == -(-len(expected) // PAGE_SIZE)  # resumption tokens
        for answer in harvester.answers:
            valid(answer)
    study = next(r for r in found if r.header.identifier == identifier(site.ids[STUDY]))
    dc = study.metadata
    assert dc["title"] == ["Étude de faisabilité d'un pôle ESS sur le Pays de Rennes"]
    assert "Collège coopératif de Bretagne" in dc["creator"]
    assert dc["date"] == ["2008-06-15"]
    assert dc["type"] == ["Étude", "Text"]
    assert {"Coopératives", "Associations", "Développement"} <= set(dc["subject"])
    assert "Pays de Rennes" in dc["coverage"]
    assert dc["publisher"] == ["CRES Bretagne", "Collège coopératif de Bretagne"]
    assert dc["language"] == ["fr"]
    assert dc["identifier"] == [f"{PUBLIC_URL}/notice/{site.ids[STUDY]}"]
    assert dc["relation"] == [f"{PUBLIC_URL}/documents/{site.ids[STUDY]}/file"]
    sets = study.header.setSpecs
    assert {"collection:pole-ess", "kind:etude", "family:cooperatives",
            "territory:france:bretagne:ille-et-vilaine:pays-de-rennes"} <= set(sets)


def test_every_verb_answers_valid_xml(site: Site) -> None:
    harvester = site.sickle()
    identify = harvester.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.baseURL == f"{PUBLIC_URL}/oai"
    formats = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
    assert formats == ["oai_dc"]
    specs = {s.setSpec for s in harvester.ListSets()}
    assert {"collection", "collection:pole-ess", "kind:etude", "family:mutuelles",
            "territory:france:bretagne:finistere"} <= specs
    study = identifier(site.ids[STUDY])
    record = harvester.GetRecord(identifier=study, metadataPrefix="oai_dc")
    assert record.metadata["title"][0].startswith("Étude de faisabilité")
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="kind:etude"))
    assert study in {h.identifier for h in headers}
    in_rennes = {h.identifier for h in harvester.ListIdentifiers(
        metadataPrefix="oai_dc", set="territory:france:bretagne:ille-et-vilaine")}
    assert study in in_rennes  # a territory's set holds what lies below it
    for answer in harvester.answers:
        valid(answer)


@pytest.mark.parametrize(("params", "code"), [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hier"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01",
      "until": "2020-01-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01",
      "until": "2020-01-01"}, "badArgument"),
    ({"verb": "Identify", "set": "kind"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marcxml"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
     "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:observatoire-ess.example:0"},
     "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "kind:inconnu"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-12-31"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "pas-un-jeton"}, "badResumptionToken"),
    ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
     "badArgument"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
])
def test_protocol_errors_are_the_protocols_own(site: Site, params: dict[str, str],
                                                code: str) -> None:
    for method in ("GET", "POST"):
        if method == "GET":
            response = httpx.get(f"{site.base}/oai", params=params, timeout=10)
        else:
            response = httpx.post(f"{site.base}/oai", data=params, timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/xml")
        tree = valid(response.content)
        errors = tree.findall(f"{OAI}error")
        assert [e.get("code") for e in errors] == [code], response.text
        request = tree.find(f"{OAI}request")
        if code in ("badVerb", "badArgument"):
            assert request.attrib == {}
    repeated = httpx.get(f"{site.base}/oai?verb=Identify&verb=Identify", timeout=10)
    assert valid(repeated.content).find(f"{OAI}error").get("code") == "badVerb"


def test_a_token_from_another_verb_is_refused(site: Site) -> None:
    first = httpx.get(f"{site.base}/oai", params={"verb": "ListIdentifiers",
                                                  "metadataPrefix": "oai_dc"}, timeout=10)
    token = valid(first.content).find(f".//{OAI}resumptionToken")
    assert token is not None and token.text and token.get("cursor") == "0"
    assert int(token.get("completeListSize")) == len(harvestable(site))
    other = httpx.get(f"{site.base}/oai", params={"verb": "ListRecords",
                                                  "resumptionToken": token.text}, timeout=10)
    assert valid(other.content).find(f"{OAI}error").get("code") == "badResumptionToken"


def test_pruned_hidden_and_reopened_documents_are_reported_deleted(site: Site) -> None:
    harvester = site.sickle()
    list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))  # the repository saw them
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    pruned = "diagnostic-ess-finistere-2009.pdf"
    hidden = "note-fondations-bretagne-2012.pdf"
    reopened = "etude-mutuelles-sante-morbihan-2010.docx"
    live = harvestable(site)
    assert {site.ids[pruned], site.ids[hidden], site.ids[reopened]} <= live
    (site.docs / pruned).unlink()
    me = Actor.local()
    with Library.open(site.library, DEFAULT_VOCABULARY) as library:
        ingest(library, [site.docs], IngestOptions(workers=1))
        assert library.prune() == [site.ids[pruned]]
        corrections.set_tags(library, site.ids[hidden], "visibility", ["network"], me)
        workflow.change_status(library, site.ids[reopened], "draft", me)
    gone = {identifier(site.ids[n]) for n in (pruned, hidden, reopened)}

    since = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False,
                                           **{"from": yesterday}))
    deleted = {h.identifier for h in since if h.deleted}
    assert deleted == gone
    assert {h.identifier for h in since if not h.deleted} == {
        identifier(i) for i in harvestable(site)}
    record = harvester.GetRecord(identifier=identifier(site.ids[pruned]),
                                 metadataPrefix="oai_dc")
    assert record.deleted and "metadata>" not in record.raw
    # Tombstones stay, in the sets they were in; nothing is newer than tomorrow.
    in_finistere = {h.identifier for h in harvester.ListIdentifiers(
        metadataPrefix="oai_dc", set="territory:france:bretagne:finistere",
        ignore_deleted=False)}
    assert identifier(site.ids[pruned]) in in_finistere
    with pytest.raises(NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": tomorrow}))
    for answer in harvester.answers[:-1]:  # the last one is the NoRecordsMatch error
        valid(answer)
    # Published again: live again, with a newer datestamp.
    with Library.open(site.library, DEFAULT_VOCABULARY) as library:
        corrections.set_tags(library, site.ids[hidden], "visibility", ["public"], me)
    again = harvester.GetRecord(identifier=identifier(site.ids[hidden]),
                                metadataPrefix="oai_dc")
    assert not again.deleted and again.metadata["title"]


def test_the_checks_catch_a_broken_answer() -> None:
    broken = (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>hier'
              b"</responseDate><request>http://x/oai</request><Identify/></OAI-PMH>")
    assert not SCHEMA.validate(etree.fromstring(broken))
    dc = etree.fromstring(f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}">'
                          "<dc:titre>x</dc:titre></oai_dc:dc>")
    with pytest.raises(AssertionError):
        check_oai_dc(dc)


ARGUMENT_NAMES = ["verb", "metadataPrefix", "from", "until", "set", "identifier",
                  "resumptionToken", "other"]


def test_any_arguments_get_a_valid_answer(library: Library) -> None:
    """Whatever a client sends (repeated, empty, odd characters), the answer is valid
    OAI-PMH: the verb's answer or the protocol's error, never an exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kb.oai import Repository, answer

    repository = Repository("Test", PUBLIC_URL, "a@b.example", page_size=2)
    values = st.one_of(st.sampled_from(["Identify", "ListRecords", "ListSets", "GetRecord",
                                        "ListIdentifiers", "ListMetadataFormats", "oai_dc",
                                        "2020-01-01", "2020-01-01T00:00:00Z", "kind:etude",
                                        ""]), st.text(max_size=30))

    @given(st.lists(st.tuples(st.sampled_from(ARGUMENT_NAMES), values), max_size=5))
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(arguments: list[tuple[str, str]]) -> None:
        valid(answer(library, repository, arguments))

    check()


def test_a_setting_exposes_every_public_document_whatever_its_status(
    library: Library, tmp_path: Path
) -> None:
    from kb.oai import records
    from tests.conftest import write

    docs = tmp_path / "docs"
    for name, status, visibility in (("a", "validated", "public"), ("b", "draft", "public"),
                                     ("c", "validated", "network")):
        write(docs / f"{name}.md", f"# Note {name}\n\nTexte {name}.\n")
        write(docs / f"{name}.md.meta.toml", f'status = "{status}"\n'
              f'visibility = "{visibility}"\nkind = "note"\n')
    ingest(library, [docs], IngestOptions(workers=1))
    ids = {Path(p.path).stem: d.id for d in library.catalog.documents()
           for p in library.catalog.paths_of(d.id)}
    validated = records.eligible(library.catalog, library.vocabulary, records.Policy())
    every = records.eligible(library.catalog, library.vocabulary,
                             records.Policy(validated_only=False))
    assert set(validated) == {ids["a"]}
    assert set(every) == {ids["a"], ids["b"]}  # never the network's
    assert validated[ids["a"]][1] == ("kind:note",)
    assert Settings.from_env({"KB_OAI_ALL_STATUSES": "1"}).oai_validated_only is False
    assert Settings.from_env({}).oai_validated_only is True
    assert Settings.from_env({"KB_PUBLIC_URL": "https://x.example/"}).public_url == (
        "https://x.example")


def test_the_cache_follows_changes_made_through_the_same_connection(
    library: Library, tmp_path: Path
) -> None:
    from kb.oai import Repository, answer
    from kb.oai.records import HarvestCache
    from tests.conftest import write

    write(tmp_path / "docs" / "a.md", "# Note\n\nTexte.\n")
    write(tmp_path / "docs" / "a.md.meta.toml", 'status = "validated"\nvisibility = "public"\n')
    ingest(library, [tmp_path / "docs"], IngestOptions(workers=1))
    doc_id = library.catalog.documents()[0].id
    repository, cache = Repository("T", PUBLIC_URL, "a@b.example"), HarvestCache()
    ask = [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc")]

    def deleted() -> list[str | None]:
        tree = valid(answer(library, repository, ask, cache))
        return [h.get("status") for h in tree.iter(f"{OAI}header")]

    assert deleted() == [None] and deleted() == [None]  # the second answer from the cache
    corrections.set_tags(library, doc_id, "visibility", ["internal"], Actor.local())
    assert deleted() == ["deleted"]
