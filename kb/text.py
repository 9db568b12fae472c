"""Text folding for the vocabulary and tagging: defined in `indexer.text`, the lower layer."""

from indexer.text import fold

__all__ = ["fold"]
