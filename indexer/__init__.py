"""Extraction, text repair, French analysis and the full-text index.

Every use of Whoosh lives in this package, behind `indexer.index`.
"""
