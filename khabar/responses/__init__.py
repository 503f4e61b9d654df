"""Responses within one article: who denied, confirmed or answered which claim (shared/gold/GUIDELINES.md,
"responses").  :func:`find_responses` is the whole library; :mod:`khabar.stages.responses` is its stage."""
from .find import find_responses

__all__ = ["find_responses"]
