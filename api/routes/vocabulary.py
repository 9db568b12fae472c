"""GET /vocabulary: the tag tree with French labels and document counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.conditional import json_with_etag
from api.counts import count_visible
from api.deps import CallerDep, GateDep
from api.schemas import ErrorResponse, FieldOut, TermOut, VocabularyOut
from indexer import fields
from kb.vocabulary import Vocabulary

router = APIRouter(tags=["vocabulary"])


@router.get(
    "/vocabulary",
    response_model=VocabularyOut,
    summary="The tag vocabulary, with counts",
    responses={401: {"model": ErrorResponse, "description": "Invalid or revoked token."}},
)
def get_vocabulary(request: Request, caller: CallerDep, gate: GateDep) -> Response:
    """Every controlled tag field with its terms as a tree (territories nest: France >
    Bretagne > départements > pays), their French labels, synonyms, and how many documents
    the caller may see under each. Filter values for /search are these keys (or labels).
    """
    with gate.use() as library:
        counts = count_visible(library, caller)
        vocabulary = library.vocabulary
    payload = VocabularyOut(
        documents=counts.documents,
        fields=[
            FieldOut(
                name=field,
                label=fields.label(field),
                terms=_tree(vocabulary, field, counts.terms.get(field, {})),
            )
            for field in vocabulary.fields
        ],
    )
    return json_with_etag(request, payload)


def _tree(vocabulary: Vocabulary, field: str, counts: Any) -> list[TermOut]:
    terms = vocabulary.terms(field)
    children: dict[str | None, list[str]] = {}
    for term in terms:
        children.setdefault(term.parent, []).append(term.key)

    def node(key: str) -> TermOut:
        term = vocabulary.get(field, key)
        assert term is not None
        return TermOut(
            key=term.key,
            label=term.label,
            synonyms=list(term.synonyms),
            count=int(counts.get(key, 0)),
            children=[node(k) for k in children.get(key, [])],
        )

    return [node(k) for k in children.get(None, [])]
