"""Chinese owner-feedback classifier: polarity, complaint and four aspect tags with evidence.

Pure and thread-safe; jieba, the lexicons and the polarity model load lazily on first use.
"""

from scoring.classifier.api import Classification, classify, classify_many, warm_up

__all__ = ["Classification", "classify", "classify_many", "warm_up"]
