"""French error messages, for requests that ask for them with `Accept-Language: fr`.

The error code stays the same in every language (clients test it); the detail is French:
fixed sentences for errors whose English detail is a fixed sentence too, a French summary
followed by the specifics (values, closest terms, revisions: names that need no
translation) for the others, and each parameter validation problem in French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Error code -> (French summary, whether the English detail's specifics follow it).
SUMMARIES: Mapping[str, tuple[str, bool]] = {
    "not_found": ("introuvable (inexistant, ou hors de portée de votre jeton)", True),
    "unauthorized": ("jeton absent, invalide ou révoqué : envoyez « Authorization: Bearer "
                     "<jeton> », ou rien pour ne voir que les documents publics", False),
    "too_many_attempts": ("trop de jetons refusés depuis cette adresse : réessayez plus "
                          "tard (voir l'en-tête Retry-After)", True),
    "forbidden": ("votre rôle ne permet pas cette action", True),
    "precondition_failed": ("le document a changé depuis votre lecture : relisez-le et "
                            "refaites votre modification", True),
    "invalid_transition": ("étape refusée par le circuit de validation", True),
    "conflict": ("conflit avec l'état actuel", True),
    "invalid_query": ("requête illisible", True),
    "invalid_tag": ("valeur de tag invalide", True),
    "invalid_sidecar": ("fichier de métadonnées invalide", True),
    "invalid_vocabulary": ("vocabulaire invalide", True),
    "extraction_failed": ("le fichier n'a pas pu être lu", True),
    "unsupported_format": ("format de fichier non pris en charge", True),
    "request_too_large": ("requête trop volumineuse", True),
    "file_too_large": ("fichier trop volumineux", True),
    "index_busy": ("la bibliothèque est occupée (indexation en cours) : réessayez dans un "
                   "instant", False),
    "index_outdated": ("l'index a été construit par une autre version de kb : un "
                       "administrateur doit lancer `kb reindex`", False),
    "read_only_library": ("la bibliothèque est en lecture seule (servie depuis un support ou "
                          "un partage en lecture seule) : on peut la consulter, pas la "
                          "modifier ; rien n'a été écrit", False),
    "storage_full": ("le disque du serveur est plein : rien n'a été écrit ; réessayez quand "
                     "un administrateur aura libéré de la place", False),
    "storage_error": ("le serveur n'a pas pu écrire sur son disque : rien n'a été écrit ; "
                      "voir son journal", False),
    "bad_request": ("requête invalide", True),
    "not_found_route": ("aucune ressource à cette adresse", False),
    "method_not_allowed": ("méthode non autorisée sur cette adresse", False),
    "internal_error": ("erreur inattendue du serveur ; voir son journal", False),
}


def wants_french(accept_language: str | None) -> bool:
    """Whether the caller's most preferred language (highest q) is French."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return best == "fr" or best.startswith("fr-")


def detail(code: str, english: str) -> str:
    """The French detail of an error with this code and English detail."""
    summary, specifics = SUMMARIES.get(code, ("erreur", True))
    return f"{summary} — {english}" if specifics and english else summary


def validation_problem(error: Mapping[str, Any]) -> str:
    """One parameter problem (a pydantic error) in French."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": "obligatoire",
        "greater_than_equal": f"doit être supérieur ou égal à {ctx.get('ge')}",
        "greater_than": f"doit être supérieur à {ctx.get('gt')}",
        "less_than_equal": f"doit être inférieur ou égal à {ctx.get('le')}",
        "less_than": f"doit être inférieur à {ctx.get('lt')}",
        "int_parsing": "doit être un nombre entier",
        "int_type": "doit être un nombre entier",
        "bool_parsing": "doit être true ou false",
        "literal_error": f"doit être l'une des valeurs {ctx.get('expected')}",
        "enum": f"doit être l'une des valeurs {ctx.get('expected')}",
        "string_too_long": f"au plus {ctx.get('max_length')} caractères",
        "string_too_short": f"au moins {ctx.get('min_length')} caractère(s)",
        "too_long": f"au plus {ctx.get('max_length')} éléments",
        "too_short": f"au moins {ctx.get('min_length')} élément(s)",
        "json_invalid": "JSON invalide",
        "extra_forbidden": "champ inconnu",
        "string_type": "doit être une chaîne de caractères",
        "list_type": "doit être une liste",
        "year_range": "ni une année ni une plage d'années (ex. 2008, 2008..2010, 2008-2010, "
                      "2008.. ou ..2010)",
    }
    return messages.get(kind, "valeur invalide")
