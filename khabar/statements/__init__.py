"""Statements across articles: the same speech act reported by several articles, and responses to it."""
