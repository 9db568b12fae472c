"""`make eval`: the library on real public French documents (see run.py)."""
