"""site-builder: the «Федеральный проект 500+» section of municipal education websites."""

__version__ = "0.1.0"
