"""Thresholds and budgets of the relevance rules (region evidence, abstention, term weights), in one
frozen record. Calibrated on the calibration halves of tests/data (README, "Measuring quality")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    # Minimum relevance of the best passage to answer at all. Cross-lingual cosines run lower, so English
    # and Swedish questions get their own floor.
    answer: float = 0.85
    answer_other: float = 0.785
    coverage: float = 0.6  # share of a topic's weight a sentence must carry to be evidence of it
    long_topic: int = 3  # terms that make a topic long (see ``EvidenceFinder.required``)
    long_coverage: float = 0.5  # a long topic's heaviest term carries it alone when it outweighs the rest together
    about: float = 0.4  # share a sentence must touch for its date or figure to answer about the topic
    dense_sentence: float = 1.01  # cosine of topic and sentence that counts as evidence (above 1: off)
    coverage_weight: float = 0.05  # how much topic coverage adds to a passage's cosine
    region_depth: int = 10  # passages per region the retriever returns for comparative questions
    generic_share: float = 0.05  # a lemma in at least this share of chunks is generic ("toiminta", "palvelu")
    per_document: int = 5  # chunks of one document that count towards a term's spread (see Relevance.spread)
    generic_head_share: float = 0.15  # a compound's last part this common adds nothing ("-toiminta", "-palvelu")
    min_weight: float = 0.25  # the weight of a generic term (so a topic of generic words still has one)
    modifier_weight: float = 0.5  # a genitive attribute's share of its weight ("työllisyyden kuntakokeilu")
