"""The GAIN matching engine: pure Python over Splink (no Django), kinds as data."""

from .kinds import Kind, KindError, get_kind, kinds
from .matching import Comparison, MatchResult, MatchSettings, Pair, match

__all__ = [
    "Comparison",
    "Kind",
    "KindError",
    "MatchResult",
    "MatchSettings",
    "Pair",
    "get_kind",
    "kinds",
    "match",
]
