"""Extraction, text repair, French analysis and the full-text index.

Every use of the engine (tantivy) lives in this package, behind `indexer.index`.
"""
