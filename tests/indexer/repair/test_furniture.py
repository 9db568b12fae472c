"""Running headers, footers and page numbers of paged documents."""

from __future__ import annotations

from indexer.repair.furniture import remove_furniture

BODIES = [
    "Le comité de pilotage fixe les priorités.\nIl évalue les actions.",
    "Le conseil scientifique valide les méthodes.\nIl reçoit les études.",
    "La cellule d’animation coordonne le réseau.\nElle anime les groupes.",
    "Les personnes ressources collectent les documents.\nElles les versent.",
    "Le portail diffuse les études validées.\nIl est public.",
    "Les collectivités financent l’observatoire.\nElles siègent au comité.",
]


def pages_of(*texts: str, first: int = 1) -> list[tuple[int, str]]:
    return list(enumerate(texts, first))


def test_headers_footers_and_page_numbers_go() -> None:
    pages = pages_of(
        *(
            f"Étude du pôle ESS – Pays de Rennes\n{body}\nCRES Bretagne – mars 2008\nPage {n} / 6"
            for n, body in enumerate(BODIES, 1)
        )
    )
    texts, changes = remove_furniture(pages)
    assert texts[0] == f"Étude du pôle ESS – Pays de Rennes\n{BODIES[0]}\nCRES Bretagne – mars 2008"
    assert texts[1:] == BODIES[1:]
    assert changes == {"running_headers": 10, "page_numbers": 6}


def test_headers_that_differ_by_their_numbers_are_one_header() -> None:
    pages = pages_of(*(f"Rapport 2008 – p. {n}\n{body}" for n, body in enumerate(BODIES, 1)))
    texts, changes = remove_furniture(pages)
    assert texts[1:] == BODIES[1:]
    assert changes == {"running_headers": 5}


def test_page_numbers_must_follow_the_pages() -> None:
    # Printed numbers start at 3 (a cover and a contents page before): still page numbers.
    numbered, changes = remove_furniture(
        pages_of(*(f"{body}\n- {n + 2} -" for n, body in enumerate(BODIES, 1)))
    )
    assert numbered == BODIES
    assert changes == {"page_numbers": 6}
    # A table's last cell is a number on every page, but not one that follows the pages.
    cells = [f"{body}\n{total}" for body, total in zip(BODIES, [12, 7, 30, 4, 18, 9], strict=True)]
    assert remove_furniture(pages_of(*cells)) == (cells, {})


def test_a_line_repeated_inside_pages_stays() -> None:
    others = BODIES[1:] + BODIES[:1]
    pages = [f"{body}\nVoir l’annexe.\n{other}" for body, other in zip(BODIES, others, strict=True)]
    texts, changes = remove_furniture(pages_of(*pages))
    assert texts == pages
    assert changes == {}


def test_a_header_on_less_than_half_the_pages_stays() -> None:
    pages = [f"Annexe\n{body}" if n < 2 else body for n, body in enumerate(BODIES)]
    assert remove_furniture(pages_of(*pages)) == (pages, {})


def test_short_documents_are_left_alone() -> None:
    pages = [f"Rapport\n{body}\n{n}" for n, body in enumerate(BODIES[:2], 1)]
    assert remove_furniture(pages_of(*pages)) == (pages, {})


def test_a_header_of_two_lines_is_peeled_line_by_line() -> None:
    pages = [f"Observatoire de l’ESS\nÉtude 2008\n{body}" for body in BODIES]
    texts, changes = remove_furniture(pages_of(*pages))
    assert texts[0] == pages[0]
    assert texts[1:] == BODIES[1:]
    assert changes == {"running_headers": 10}


def test_blank_pages_do_not_count() -> None:
    pages = ["", *(f"Rapport\n{body}" for body in BODIES[:3]), ""]
    texts, changes = remove_furniture(pages_of(*pages))
    assert texts == ["", f"Rapport\n{BODIES[0]}", BODIES[1], BODIES[2], ""]
    assert changes == {"running_headers": 2}


def test_pages_of_one_line() -> None:
    pages = ["Rapport", f"Rapport\n{BODIES[0]}", f"Rapport\n{BODIES[1]}", "Rapport"]
    texts, changes = remove_furniture(pages_of(*pages))
    assert texts == ["Rapport", BODIES[0], BODIES[1], ""]
    assert changes == {"running_headers": 3}
