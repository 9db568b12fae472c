"""The vocabulary's values: names compared folded, the closest names for a typo, and the
evidence rule's defaults (`kb.vocabulary_terms`)."""

from __future__ import annotations

from kb.vocabulary_terms import EvidenceRule, closest_names, normal, suggest


def test_names_are_compared_as_folded_words() -> None:
    assert normal("Côtes-d'Armor") == "cotes d armor"
    assert normal("CG35") == normal("cg 35") == "cg 35"
    assert normal("  ") == ""


def test_the_closest_names_come_best_first_and_say_so_in_a_message() -> None:
    names = ["Finistère", "Morbihan", "Ille-et-Vilaine"]
    assert closest_names("Finistere", names) == ["Finistère"]
    assert suggest("ile et vilaine", names) == " (closest: Ille-et-Vilaine)"
    assert suggest("zzzz", names) == "" and suggest("", names) == ""


def test_the_evidence_rules_defaults() -> None:
    rule = EvidenceRule()
    assert (rule.min_mentions, rule.weak_min_mentions, rule.weak_density) == (2, 10, 2)
    assert rule.beside_min_mentions is None and rule.title_subject is False
