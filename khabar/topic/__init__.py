"""What an article is about: its topic among ANT's six labels (:mod:`khabar.topic.model`), from hashed word
features shared by training and run time (:mod:`khabar.topic.features`)."""
from .model import TopicModel, classify, get_model

__all__ = ["TopicModel", "classify", "get_model"]
