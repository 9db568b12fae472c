"""Twin files (kb.twins): the same report as .docx and .pdf is one document with two files,
decided by the extracted text (not the names); one hit in results; both files from the
document's page; a twin the visitor may not see is nowhere to be observed."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.web.document_page import twin_files
from indexer.fingerprint import text_fingerprint
from kb import migrations
from kb.actors import Actor
from kb.curation.collections import add_documents, create_collection
from kb.documents import PathRow
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token
from tests.office_files import write_pdf

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

LINES = (
    "Étude de préfiguration du pôle okapien de l'économie sociale et solidaire.",
    "Les cinquante structures rencontrées ont proposé sept priorités d'action,",
    "dont le financement, l'accompagnement des projets et la gouvernance du pôle.",
    "Le comité de pilotage a retenu cinq missions : amélioration, développement,",
    "capitalisation, diffusion et représentation de l'économie sociale et solidaire.",
)
OTHER = ("Note sur les fondations bigoudènes : un autre texte, d'autres mots, que la",
         "bibliothèque doit garder comme un document à part entière, sans jumeau aucun,",
         "même si son nom de fichier ressemble beaucoup à celui du rapport sur le pôle.",
         "Elle compte assez de mots pour avoir une empreinte, mais pas la même.")


def write_docx(path: Path, lines: tuple[str, ...]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def sidecar(path: Path, visibility: str) -> None:
    Path(f"{path}.meta.toml").write_text(f'visibility = "{visibility}"\n', encoding="utf-8")


def make(folder: Path, *, pdf_visibility: str = "public") -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "pdf": write_pdf(folder / "rapport-final.pdf", [(LINES, None)]),
        # Another name: the text decides, not the name.
        "docx": write_docx(folder / "version-word-2008.docx", LINES),
        "other": write_docx(folder / "rapport-final-fondations.docx", OTHER),
    }
    sidecar(files["pdf"], pdf_visibility)
    return files


def ids_of(library: Library, files: dict[str, Path]) -> dict[str, str]:
    found = {}
    for doc in library.catalog.documents(state="active"):
        for p in library.catalog.paths_of(doc.id):
            for key, path in files.items():
                if Path(p.path).name == path.name:
                    found[key] = doc.id
    assert set(found) == set(files), found
    return found


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    files = make(tmp_path / "depot")
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "depot"], IngestOptions(workers=1))
        ids = ids_of(library, files)
    yield tmp_path / "library", ids


def test_the_fingerprint_reads_words_not_layout() -> None:
    text = " ".join(LINES)
    assert text_fingerprint([text]) == text_fingerprint(list(LINES))
    assert text_fingerprint([text.upper().replace("é", "e")]) == text_fingerprint([text])
    assert text_fingerprint([text.replace("cinq", "six")]) != text_fingerprint([text])
    assert text_fingerprint(["Trop court."]) is None  # an empty scan is nobody's twin


def test_same_text_in_two_formats_is_one_hit(twins: tuple[Path, dict[str, str]]) -> None:
    root, ids = twins
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        docs = {k: library.catalog.document(v) for k, v in ids.items()}
        assert docs["pdf"].text_fingerprint == docs["docx"].text_fingerprint  # type: ignore[union-attr]
        assert docs["other"].text_fingerprint not in (None, docs["pdf"].text_fingerprint)  # type: ignore[union-attr]
        for visibilities in (None, frozenset({"public"})):
            found = library.search("okapien", visibilities=visibilities, facets=True)
            assert [h.id for h in found.hits] == [ids["pdf"]]  # the PDF stands for both
            assert found.total == 1
            assert sum(found.facets["mission"].values()) <= len(found.facets["mission"])
        listed = library.search("", visibilities=frozenset({"public"}))
        assert {h.id for h in listed.hits} == {ids["pdf"], ids["other"]}
        assert listed.total == 2
        # Its twin is the same document, not a "similar" one.
        assert ids["docx"] not in [h.id for h in library.similar(ids["pdf"]).hits]


def test_the_page_offers_both_files(twins: tuple[Path, dict[str, str]]) -> None:
    root, ids = twins
    with TestClient(create_app(Settings(library=root))) as client:
        results = client.get("/", params={"q": "okapien"}).text
        assert results.count('class="hit"') == 1
        assert "aussi en DOCX" in results
        page = client.get(f"/notice/{ids['pdf']}").text
        assert f"/notice/{ids['docx']}/fichier" in page
        assert "version-word-2008.docx" in page
        assert f"/notice/{ids['other']}/fichier" not in page
        docx = client.get(f"/notice/{ids['docx']}/fichier")
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        # The Word file's own page points back at the PDF, for Zotero too.
        word = client.get(f"/notice/{ids['docx']}").text
        assert f"/notice/{ids['pdf']}/fichier" in word
        assert re.search(rf'name="citation_pdf_url" content="[^"]*/notice/{ids["pdf"]}/fichier"',
                         word)


def test_the_page_reads_a_twins_files_once(
    twins: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a twin's file can be served and what it is called come from one read of
    its files (`kb.documents.current_file`), and the name shown is the file served."""
    root, ids = twins
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        reads: list[str] = []
        present_files = library.documents.present_files

        def counted(doc_id: str) -> list[PathRow]:
            reads.append(doc_id)
            return present_files(doc_id)

        monkeypatch.setattr(library.documents, "present_files", counted)
        (twin,) = twin_files(library, ids["pdf"], None)
    assert reads == [ids["docx"]]
    assert twin["name"] == "version-word-2008.docx" and twin["format"] == "DOCX"


def test_a_twin_the_visitor_may_not_see_changes_nothing_they_see(tmp_path: Path) -> None:
    files = make(tmp_path / "depot", pdf_visibility="internal")
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "depot"], IngestOptions(workers=1))
        ids = ids_of(library, files)
        admin = create_token(library.catalog, "twins-admin", "admin")[1]
        public = library.search("okapien", visibilities=frozenset({"public"}))
        # The Word file is public: found, and not hidden behind a PDF this caller cannot see.
        assert [h.id for h in public.hits] == [ids["docx"]] and public.total == 1
        assert [h.id for h in library.search("okapien").hits] == [ids["pdf"]]
    with TestClient(create_app(Settings(library=tmp_path / "library"))) as client:
        results = client.get("/", params={"q": "okapien"}).text
        assert results.count('class="hit"') == 1 and "aussi en" not in results
        page = client.get(f"/notice/{ids['docx']}").text
        assert ids["pdf"] not in page and "rapport-final.pdf" not in page
        assert not re.search(r"Le même document dans", page)
        assert client.get(f"/notice/{ids['pdf']}").status_code == 404
        # An administrator sees both files, from either page.
        form = client.get("/connexion").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)[1]  # type: ignore[index]
        assert client.post("/connexion", data={"token": admin, "csrf": csrf},
                           follow_redirects=False).status_code == 303
        assert f"/notice/{ids['pdf']}/fichier" in client.get(f"/notice/{ids['docx']}").text


def test_a_filter_that_finds_one_twin_alone_finds_it(tmp_path: Path) -> None:
    files = make(tmp_path / "depot")
    Path(f"{files['docx']}.meta.toml").write_text('territory = ["finistere"]\n',
                                                   encoding="utf-8")
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "depot"], IngestOptions(workers=1))
        ids = ids_of(library, files)
        public = frozenset({"public"})
        # Only the Word file is tagged Finistère: the PDF does not stand in its place.
        found = library.search("okapien", {"territory": ("finistere",)}, visibilities=public)
        assert [h.id for h in found.hits] == [ids["docx"]] and found.total == 1
        both = library.search("okapien", visibilities=public)
        assert [h.id for h in both.hits] == [ids["pdf"]] and both.total == 1
        collection = create_collection(library, Actor("c", "curator", "api"), "Jumeaux")
        add_documents(library, Actor("c", "curator", "api"), collection.id, [ids["docx"]])
        within = library.search("okapien", {"collection": (collection.id,)},
                                visibilities=public)
        assert [h.id for h in within.hits] == [ids["docx"]]


def test_the_upgrade_fingerprints_what_the_catalog_holds(
    twins: tuple[Path, dict[str, str]]
) -> None:
    """Migration 4 -> 5 computes each document's fingerprint from its stored sections, as
    the ingest does."""
    root, ids = twins
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        before = {k: library.catalog.document(v).text_fingerprint  # type: ignore[union-attr]
                  for k, v in ids.items()}
        db = library.catalog.db
        with library.catalog.transaction():
            db.execute("UPDATE documents SET text_fingerprint = NULL")
        with library.catalog.transaction():
            migrations._v5_text_fingerprints(db)
        after = {k: library.catalog.document(v).text_fingerprint  # type: ignore[union-attr]
                 for k, v in ids.items()}
    assert after == before and after["pdf"] == after["docx"] is not None
