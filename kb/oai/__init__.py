"""OAI-PMH 2.0 data provider: harvesters (HAL, Isidore, BASE) collect the validated public
documents as Dublin Core, with their sets and their deletions."""

from kb.oai.protocol import OaiError, Repository, answer
from kb.oai.records import Policy

__all__ = ["OaiError", "Policy", "Repository", "answer"]
