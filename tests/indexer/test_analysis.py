"""The French analysis chain: terms, offsets, the stemmer, the terms pinned over a word
list, matches on a real index."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import (
    FRENCH_STOP_WORDS,
    MAX_TOKEN_LENGTH,
    analyze,
    stem,
    surface_words,
)
from indexer.analysis import tokens as analysis_tokens
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.text import fold

REPO = Path(__file__).resolve().parents[2]
WORD_LIST = REPO / "tests" / "fixtures" / "analysis_words.tsv"


def tokens(text: str, *, stems: bool = True) -> list[tuple[str, int, int, int]]:
    """(term, position, start, end) of each kept word: positions count kept words only."""
    return [(t.text, pos, t.start, t.end)
            for pos, t in enumerate(analysis_tokens(text, stems=stems))]  # fmt: skip


# --- Terms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["économie", "economie", "économies", "ÉCONOMIE", "l’économie", "l'économie", "L’Économie",
     "d’économie", "D'ECONOMIES", "qu’économie", "jusqu’économie", "lorsqu'économie",
     "puisqu’économie", "quoiqu'économie", "s’économie", "n'économie", "m’économie",
     "t'économie", "c’économie", "j'économie", "presqu’économie", "quelqu'économie",
     "l‘économie", "lʼéconomie", "e\u0301conomie"],
)  # fmt: skip
def test_every_form_of_economie_gives_one_term(text: str) -> None:
    assert analyze(text) == ["econom"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("coopérative", "coopératives"),
        ("cœur", "coeur"),
        ("Œuvre", "oeuvres"),
        ("ex æquo", "ex aequo"),
        ("données", "donnees"),
        ("aujourd’hui", "aujourd'hui"),
        ("qu’aujourd’hui", "aujourd'hui"),
        ("mutuelle", "Mutuelles"),
        ("Finistère", "finistere"),
    ],
)
def test_variants_share_their_terms(a: str, b: str) -> None:
    assert analyze(a) == analyze(b) != []


def test_aujourdhui_stays_one_word() -> None:
    assert analyze("aujourd’hui") == ["aujourd'hui"]
    assert analyze("prud’hommes") == analyze("prud'hommes") == ["prud'homm"]


def test_numbers_and_ordinals_are_kept() -> None:
    assert analyze("la 3ème réunion de 2008 et ses 5 missions") == [
        "3em", "reunion", "2008", "5", "mission",
    ]  # fmt: skip


def test_hyphens_and_underscores_split_words() -> None:
    assert analyze("Ille-et-Vilaine") == ["ille", "vilain"]
    assert analyze("mot_clé") == ["mot", "cle"]


def test_stop_words_are_dropped_but_domain_words_stay() -> None:
    assert analyze("le la les de des du et ou à jusqu lorsqu cette dont") == []
    assert analyze("sans but non lucratif pour les pays") == ["san", "but", "non", "lucrat", "pay"]
    assert analyze("pôle ESS plus social") == ["pol", "ess", "plus", "social"]


def test_stop_list_is_folded_and_holds_snowballs_french_list() -> None:
    assert all(word == fold(word) for word in FRENCH_STOP_WORDS)
    # Snowball's list, folded ("été" -> "ete", "à" -> "a"), and the additions.
    assert {"les", "ete", "a", "etaient", "eumes", "meme", "ils", "jusqu", "lorsqu",
            "puisqu", "quoiqu", "cette", "dont", "ou"} <= FRENCH_STOP_WORDS  # fmt: skip
    assert "été" not in FRENCH_STOP_WORDS and "à" not in FRENCH_STOP_WORDS
    assert analyze("été à même") == []
    # Words that carry meaning in ESS documents stay searchable.
    assert not {"pays", "pole", "non", "sans", "plus", "ess", "social", "sante"} & (
        FRENCH_STOP_WORDS)
    assert analyze("pays pôle non sans plus") == ["pay", "pol", "non", "san", "plus"]


def test_over_long_tokens_are_dropped() -> None:
    assert analyze("x" * (MAX_TOKEN_LENGTH + 1) + " économie") == ["econom"]
    assert analyze("x" * MAX_TOKEN_LENGTH) == [stem("x" * MAX_TOKEN_LENGTH)]


@pytest.mark.parametrize(
    "word", ["Économie", "CŒUR", "Æsthète", "façade", "naïf", "Noël", "ﬁnancement", "Straße",
             "e\u0301le\u0300ve", "ÇA", "aujourd’hui"],
)  # fmt: skip
def test_folding_matches_kb_text_fold(word: str) -> None:
    # No elision and no stop word in these words: the chain's term is stem(fold(word)).
    assert analyze(word) == [stem(fold(word))]


def test_fold_before_stem() -> None:
    # Stem-then-fold would give "don" for "données" and "donne" for "donnees".
    assert analyze("données") == analyze("donnees") == [stem("donnees")]
    assert stem("données") != stem("donnees")


# --- Positions and offsets -------------------------------------------------------------------


def test_offsets_point_at_the_word_after_the_elision() -> None:
    text = "L’économie de la santé, aujourd’hui. Qu’ils l'ÉCONOMIES!"
    got = tokens(text)
    assert [t[0] for t in got] == ["econom", "sant", "aujourd'hui", "econom"]
    assert [text[s:e] for _, _, s, e in got] == ["économie", "santé", "aujourd’hui", "ÉCONOMIES"]
    assert [pos for _, pos, _, _ in got] == [0, 1, 2, 3]  # stop words removed, renumbered


def test_offsets_in_nfd_text() -> None:
    text = "le de\u0301veloppement local"
    got = [(t.text, t.start, t.end) for t in analysis_tokens(text)]
    assert got == [("developp", 3, 17), ("local", 18, 23)]


def test_surface_words_are_folded_and_unstemmed() -> None:
    assert surface_words("Les Coopératives") == ["cooperatives"]
    assert [t[0] for t in tokens("L’Économie de la santé", stems=False)] == ["economie", "sante"]
    assert surface_words("l’économie de la santé") == ["economie", "sante"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_analyzer_never_raises_and_offsets_are_consistent(text: str) -> None:
    terms = tokens(text)
    positions = [pos for _, pos, _, _ in terms]
    assert positions == list(range(positions[0], positions[0] + len(terms))) if terms else True
    for term, _, start, end in terms:
        assert term and 0 <= start < end <= len(text)
        # The text at the offsets gives the same term again: what highlighting relies on.
        assert analyze(text[start:end]) == [term]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["l’", "L'", "qu'", "jusqu’", "d", "’", "'", "é", "É", "œ", "Œ", "e\u0301", "x",
             "3", "ème", "-", " ", "hui", "aujourd", "_", "ﬁ", "ß"]
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_offsets_are_consistent_on_tricky_fragments(text: str) -> None:
    for term, _, start, end in tokens(text):
        assert analyze(text[start:end]) == [term]


# --- The stemmer -----------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


ROOTS = words(
    "économ coopér associ territori développ financ gouvern solidar mutual fond commun régi "
    "départ administr accompagn représent capitalis diffus amélior innov emploi social struct "
    "organis particip évalu planif méthod statist ressourc réseau partenari collectiv activ "
    "entrepren publi cré format gestion pilot anim coordin valid étud diagnost bénévol salari "
    "citoyen environ agricult cultur sport santé log transport insert handic jeun famil quart "
    "rur urbain littor marit bret rennais finistér morbihan"
)
# The endings Snowball French handles, so that every branch of the algorithm is exercised.
SUFFIXES = words(
    "e es er é ée ées és ant ante antes ants ance ances ence ences ique iques isme ismes able "
    "ables iste istes eux euse euses ateur atrice ateurs atrices ation ations logie logies usion "
    "ution usions utions ement ements ité ités if ive ifs ives eaux aux issement issements "
    "amment emment ment ments ir ira irai irais irait irez iront issent issait issant is it ie "
    "ies era erai erais erait erez eront ais ait aient ions iez ons ez ât âmes ûmes s x ier "
    "ière ières iers ition itions eur eurs ial iale iaux iales el elle elles els ien ienne iens "
    "iennes ois oise oises age ages ure ures oir oire oires"
)
PROSE = """
Le comité de pilotage assure la maîtrise d'ouvrage globale de l'observatoire régional de
l'économie sociale et solidaire : il définit les finalités, les priorités et les résultats
attendus, suit la réalisation des actions planifiées et évalue la mise en œuvre. Le conseil
scientifique valide les méthodologies des études, participe à la rédaction des termes de
référence, examine les propositions des opérateurs et réceptionne les études achevées. Il
garantit la qualité des informations publiées. La cellule de coordination et d'animation
assure le benchmarking des initiatives innovantes, le webmastering du portail, l'animation
du réseau de personnes ressources et la diffusion des travaux. L'étude de faisabilité d'un
pôle de l'économie sociale et solidaire pour le Pays de Rennes a croisé les regards de
cinquante structures locales, en associations, mutuelles, coopératives et fondations ; elle
proposait sept axes prioritaires : financement, accompagnement des projets, promotion de
l'entrepreneuriat, valorisation des ressources existantes, représentation territoriale,
gouvernance, ainsi que cinq missions : amélioration, développement, capitalisation,
diffusion et représentation. Une société coopérative d'intérêt collectif était envisagée.
Françaises et français, chevaux, travaux, époux, bijoux, généraux, nationaux, niveaux.
"""


def test_stemmer_conflates_feminine_and_plural_forms_over_the_roots() -> None:
    vocabulary = {fold(r + s) for r in ROOTS for s in SUFFIXES} | {fold(r) for r in ROOTS}
    vocabulary |= set(surface_words(PROSE))
    assert len(vocabulary) > 7000
    stems = {w: stem(w) for w in vocabulary}
    assert all(s and len(s) <= len(w) for w, s in stems.items())
    for root in ("cooper", "mutual", "financ", "gouvern"):
        assert stems[fold(root + "ation")] == stems[fold(root + "ations")]


def test_stemmer_conflates_feminine_and_plural_forms() -> None:
    assert stem("francaise") == stem("francais") == stem("francaises")
    assert stem("cooperative") == stem("cooperatives") == stem("cooperation")


def test_stem_is_cached() -> None:
    stem("observatoires")
    before = stem.cache_info().hits
    assert stem("observatoires") == "observatoir"
    assert stem.cache_info().hits == before + 1


def test_stem_is_safe_from_threads() -> None:
    vocabulary = sorted({fold(r + s) for r in ROOTS[:20] for s in SUFFIXES})
    expected = [stem.__wrapped__(w) for w in vocabulary]
    results: list[list[str]] = []

    def work() -> None:
        results.append([stem.__wrapped__(w) for w in vocabulary])  # bypass the cache

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


# --- The terms, pinned over a word list ------------------------------------------------------


def _word_list() -> Iterator[tuple[str, str]]:
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        word, _, terms = line.partition("\t")
        yield word, terms


def test_the_analysis_of_every_listed_word_is_unchanged() -> None:
    """Any change of the analysis changes the terms of every indexed document (a rebuild,
    a SCHEMA_VERSION bump): it must show here first. The list was written by the analysis
    of its day (words of corpus/ and tests/fixtures/, and tricky forms): never regenerate it
    to make this pass without bumping indexer.schema.SCHEMA_VERSION."""
    listed = dict(_word_list())
    assert len(listed) > 3000
    assert {"l'économie", "aujourd’hui", "prud'hommes", "cœur", "ﬁnancement", "3ème",
            "e\u0301conomie", "à", "été"} <= set(listed)  # fmt: skip
    changed = {w: (terms, " ".join(analyze(w))) for w, terms in listed.items()
               if " ".join(analyze(w)) != terms}  # fmt: skip
    sample = list(changed.items())[:10]
    assert changed == {}, f"{len(changed)} words analysed differently, e.g. {sample}"
    # The list holds dropped words (stop words) and kept ones, with accents and elisions.
    assert listed["l'économie"] == "econom" and listed["été"] == "" and listed["cœur"] == "coeur"


# --- A real index ---------------------------------------------------------------------------


DOCS = {
    "eco": "Étude sur l’économie sociale en Bretagne",
    "eco2": "Les économies locales",
    "coop": "Les coopératives d'activités",
    "coeur": "Au coeur du territoire",
    "data": "Des donnees publiques",
    "today": "aujourd'hui comme hier",
    "other": "Une note sans rapport",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index") / "index"
    index = FullTextIndex.create(directory)
    with index.writer() as writer:
        for doc_id, text in DOCS.items():
            writer.upsert(IndexDocument(doc_id, 1, "Document", (Section(text, 1),), {},
                                        year=2008))  # fmt: skip
    index.close()
    return directory


def found(directory: Path, text: str) -> set[str]:
    index = FullTextIndex.open(directory, create=False)
    try:
        page = index.search(SearchRequest(text, size=100, snippets=0, suggest=False))
        return {hit.id for hit in page.hits}
    finally:
        index.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("économie", {"eco", "eco2"}),
        ("economie", {"eco", "eco2"}),
        ("économies", {"eco", "eco2"}),
        ("ÉCONOMIE", {"eco", "eco2"}),
        ("l’économie", {"eco", "eco2"}),
        ("l'économie", {"eco", "eco2"}),
        ("coopérative", {"coop"}),
        ("cœur", {"coeur"}),
        ("données", {"data"}),
        ("aujourd’hui", {"today"}),
    ],
)
def test_required_matches_on_a_real_index(library: Path, query: str, expected: set[str]) -> None:
    assert found(library, query) == expected


@pytest.mark.slow  # a subprocess
def test_index_opens_and_searches_from_a_new_process(library: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from indexer.index import FullTextIndex, SearchRequest\n"
        "ix = FullTextIndex.open(Path(sys.argv[1]), create=False)\n"
        "page = ix.search(SearchRequest(sys.argv[2], snippets=0, suggest=False))\n"
        "print(' '.join(sorted(h.id for h in page.hits)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(library), "L’ECONOMIE"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["eco", "eco2"]


def test_highlights_point_at_the_words_as_written(library: Path) -> None:
    index = FullTextIndex.open(library, create=False)
    try:
        page = index.search(SearchRequest("economie", snippets=1, suggest=False))
    finally:
        index.close()
    marked = {}
    for hit in page.hits:
        (snippet,) = hit.snippets
        assert snippet.text in DOCS[hit.id]
        marked[hit.id] = [snippet.text[a:b] for a, b in snippet.highlights]
    assert marked == {"eco": ["économie"], "eco2": ["économies"]}
