"""What an article is about and where: its subject among seven a reader recognises (:mod:`khabar.topic.subject`,
hashed word features shared by training and run time in :mod:`khabar.topic.features`) and the countries it is about
(:mod:`khabar.topic.geography`)."""
from .geography import geography
from .subject import SUBJECTS, SubjectModel, classify_subject, get_subject_model

__all__ = ["SUBJECTS", "SubjectModel", "classify_subject", "geography", "get_subject_model"]
