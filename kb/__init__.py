"""Reference library of the regional ESS observatory in Brittany."""

__version__ = "0.1.0"
