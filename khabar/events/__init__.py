"""Helpers of the ``events`` and ``topic`` stages: CAMEO verb lexicon and matcher, actor finder, GDELT-style rows,
and the topic classifier's features."""
