"""reelcast: a screenplay in, a box-office forecast, its reasons and a coverage report out."""

__version__ = "0.1.0"
