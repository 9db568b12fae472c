"""The tag fields, declared once for every layer: one `Field` per field in `TABLE`.

Everything else is read from the table: the index schema and its facets, the vocabulary's
controlled fields, the `kb search` and `kb export` options, the API's filter parameters,
the search page's filters and the French labels every page shows, the exports' columns
and keywords, Dublin Core and the OAI-PMH sets. Adding a field here adds it to all of
them (an index built before then must be rebuilt: the schema gains a field). The table
sits on the ground floor so that the index reads it too: `indexer` imports nothing above.

A controlled field holds vocabulary keys. `territory` is a tree; the index keeps beside it
`territory_path`, every territory of a document with all its ancestors, and a filter or a
facet on `territory` reads that field, so that a département finds and counts its pays.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One tag field: what it holds and how every layer shows it.

    The CLI option is `--{name}` and the API parameter `name`: the CLI and the API speak
    English, and their names never change once published. The labels are French: what
    pages, the vocabulary's API answer and facet headings show.
    """

    name: str
    label: str  # French, singular: a heading, a chip, a form's legend ("Type de document")
    plural: str  # French, plural: a group of values (an OAI-PMH set of sets)
    controlled: bool  # holds vocabulary keys (else free text, a year or a date)
    multi_valued: bool = False  # a document may hold several values
    filter: bool = False  # a search filter and a facet (CLI option, API parameter, page)
    staff_only: bool = False  # its facet is shown on pages to curators and the council only
    auto: bool = False  # automatic tagging may set it from what a text says
    submitted: bool = False  # a submitter may give it (`kb submit`, POST /documents, /depot)
    keyword: bool = False  # exported as a keyword: RIS KW, BibTeX keywords, CSL keyword
    # The Dublin Core element it goes to (`kb.oai.dublin_core`): a controlled field's French
    # labels (the language's key, an ISO code), a free field's values.
    dublin_core: str | None = None
    oai_set: bool = False  # each of its values is an OAI-PMH set
    example: str = ""  # a value, for the API's documentation

    @property
    def cli_option(self) -> str:
        return f"--{self.name}"

    @property
    def api_parameter(self) -> str:
        return self.name

    @property
    def index_field(self) -> str:
        return index_field(self.name)


# In the order the vocabulary file, the tables and the facets list them.
TABLE: tuple[Field, ...] = (
    Field("family", "Famille de l'ESS", "Familles de l'ESS", controlled=True,
          multi_valued=True, filter=True, auto=True, submitted=True, keyword=True,
          dublin_core="subject", oai_set=True, example="cooperatives"),
    Field("territory", "Territoire", "Territoires", controlled=True, multi_valued=True,
          filter=True, auto=True, submitted=True, keyword=True, dublin_core="coverage",
          oai_set=True, example="ille-et-vilaine"),
    Field("mission", "Mission", "Missions", controlled=True, multi_valued=True, filter=True,
          auto=True, submitted=True, keyword=True, dublin_core="subject",
          example="developpement"),
    Field("kind", "Type de document", "Types de documents", controlled=True, filter=True,
          auto=True, submitted=True, dublin_core="type", oai_set=True, example="etude"),
    Field("year", "Année", "Années", controlled=False, filter=True, submitted=True,
          example="2008"),
    Field("instance", "Instance", "Instances", controlled=True, multi_valued=True,
          filter=True, auto=True, submitted=True, keyword=True, dublin_core="subject",
          example="conseil-scientifique"),
    Field("status", "Statut", "Statuts", controlled=True, filter=True, staff_only=True,
          example="validated"),
    Field("visibility", "Visibilité", "Visibilités", controlled=True, example="public"),
    Field("source", "Source", "Sources", controlled=True, submitted=True, example="internal"),
    Field("language", "Langue", "Langues", controlled=True, submitted=True,
          dublin_core="language", example="fr"),
    Field("title", "Titre", "Titres", controlled=False, submitted=True, dublin_core="title"),
    Field("authors", "Auteurs", "Auteurs", controlled=False, multi_valued=True,
          submitted=True, dublin_core="creator"),
    Field("date", "Date", "Dates", controlled=False, submitted=True, dublin_core="date"),
    Field("summary", "Résumé", "Résumés", controlled=False, submitted=True,
          dublin_core="description"),
    Field("publisher", "Éditeur", "Éditeurs", controlled=False, multi_valued=True,
          dublin_core="publisher"),
)
BY_NAME = {f.name: f for f in TABLE}

# Controlled tag fields: what the vocabulary holds and the index keeps as raw keys.
TAG_FIELDS = tuple(f.name for f in TABLE if f.controlled)
# Tag fields that may hold several values for one document; the others hold at most one.
MULTI_VALUED_TAGS = tuple(f.name for f in TABLE if f.controlled and f.multi_valued)
# What users filter and count by (search filters, facets), in the order answers list them.
FACETS = tuple(f.name for f in TABLE if f.filter)
# The tag fields among them (`year` is a filter and a facet, not a tag field).
FILTER_FIELDS = tuple(name for name in FACETS if name in TAG_FIELDS)

TERRITORY_PATH = "territory_path"


def field(name: str) -> Field:
    """The field called `name`; KeyError when there is none."""
    return BY_NAME[name]


def label(name: str) -> str:
    """The French label of field `name`; the name itself for what is not a tag field."""
    found = BY_NAME.get(name)
    return found.label if found is not None else name


def index_field(tag: str) -> str:
    """The index field that a filter on tag field `tag` reads: territory -> territory_path."""
    return TERRITORY_PATH if tag == "territory" else tag


def tag_field(field: str) -> str:
    """The tag field behind index field `field`: territory_path -> territory."""
    return "territory" if field == TERRITORY_PATH else field
