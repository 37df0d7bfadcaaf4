"""A weighted topic and how much of it a text carries: the one measure behind region evidence, answer
ranking and abstention. Pure functions over lemma sets (see ``relevance`` for how terms get their carriers
and weights).
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from assistant.lexical import tokenize
from assistant.topic_term import Term


@dataclass(frozen=True)
class Topic:
    """Topic terms with, for each, the corpus lemmas that carry it, the sets of parts that carry it when
    all appear as words, and its weight; ``either`` lists alternative groups of term indexes ("A tai B":
    a text about A or about B is about the topic), by default one group of all terms."""

    terms: tuple[Term, ...] = ()
    carriers: tuple[frozenset[str], ...] = ()
    part_sets: tuple[tuple[tuple[str, ...], ...], ...] = ()
    weights: tuple[float, ...] = ()
    either: tuple[tuple[int, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _groups(self) -> tuple[tuple[int, ...], ...]:
        return self.either or (tuple(range(len(self.terms))),)

    def reliable(self) -> Topic:
        """The topic without its guessed terms (``Term.guessed``); the alternative groups are dropped."""
        keep = [i for i, t in enumerate(self.terms) if not t.guessed]
        if len(keep) == len(self.terms):
            return self
        return Topic(tuple(self.terms[i] for i in keep), tuple(self.carriers[i] for i in keep),
                     tuple(self.part_sets[i] for i in keep), tuple(self.weights[i] for i in keep))

    def only(self, i: int) -> Topic:
        """The topic of term ``i`` alone."""
        return Topic(self.terms[i:i + 1], self.carriers[i:i + 1], self.part_sets[i:i + 1], self.weights[i:i + 1])

    def _carried(self, i: int, full: Set[str], tokens: Set[str], sequence: Sequence[str] | None) -> float:
        if not tokens.isdisjoint(self.carriers[i]):
            return 1.0
        for parts in self.part_sets[i]:
            # Parts carry a compound as a phrase: "lasten suojelu", not "lasten" here and "suojelu" there.
            if all(p in full for p in parts) and (sequence is None or _phrase_in(parts, sequence)):
                return 1.0
        return 0.0

    def _touched(self, i: int, full: Set[str], tokens: Set[str], sequence: Sequence[str] | None) -> float:
        if self._carried(i, full, tokens, sequence):
            return 1.0
        return max((sum(p in full for p in ps) / len(ps) for ps in self.part_sets[i]), default=0.0)

    def _share(self, credit: object, full: Set[str], tokens: Set[str], sequence: Sequence[str] | None) -> float:
        best = 0.0
        for group in self._groups():
            total = sum(self.weights[i] for i in group)
            if total:
                got = sum(self.weights[i] * credit(i, full, tokens, sequence) for i in group)  # type: ignore[operator]
                best = max(best, got / total)
        return best

    def coverage(self, full: Set[str], tokens: Set[str], sequence: Sequence[str] | None = None) -> float:
        """Share of the topic's weight carried by a text whose word lemmas are ``full`` (in order:
        ``sequence``, if known) and whose lemmas with compound parts are ``tokens``; the best of the
        alternative groups.

        >>> t = Topic((Term("yöpartio"),), (frozenset({"yöpartio"}),), ((),), (3.0,))
        >>> t.coverage({"yöpartio"}, {"yöpartio"}), t.coverage({"kotihoito"}, {"kotihoito"})
        (1.0, 0.0)
        """
        return self._share(self._carried, full, tokens, sequence)

    def touches(self, full: Set[str], tokens: Set[str], sequence: Sequence[str] | None = None) -> float:
        """Like ``coverage``, but a term also counts in part when some of its parts appear as words
        ("RAI-välineistö" touches "RAI-arviointivälineistö")."""
        return self._share(self._touched, full, tokens, sequence)


def _phrase_in(parts: Sequence[str], sequence: Sequence[str]) -> bool:
    n = len(parts)
    return any(tuple(sequence[i:i + n]) == tuple(parts) for i in range(len(sequence) - n + 1))


_GLUED = re.compile(r"(\d)([A-Za-zÅÄÖåäö]{2,})")  # "2,5HTV", "10kpl": a figure glued to its unit


def lemma_sequence(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(word lemmas in order, lemmas with compound parts) of ``text``; a hyphenated word's pieces follow it."""
    sequence: list[str] = []
    tokens: set[str] = set()
    split = _GLUED.sub(r"\1 \2", text).split()
    for at, word in enumerate(split):
        found = tokenize(word)
        if not found:
            continue
        if word.endswith("-") and len(word) > 2:
            tokens.update(_elided(word.rstrip("-").lower(), split[at + 1:at + 4]))
        if word[:1] in _DASHES and len(word) > 2 and at >= 2:
            tokens.update(_elided_head(split[at - 2], split[at - 1], found[-1]))
        tokens.update(found)
        if "-" in word.strip("-"):  # the pieces first: "Lapset puheeksi-menetelmää" reads lapsi, puheeksi, …
            sequence.extend(p[0] for p in (tokenize(piece) for piece in word.split("-")) if p)
        sequence.append(found[0])
    return tuple(sequence), frozenset(tokens)


_COORDINATORS = frozenset({"ja", "tai", "sekä", "eli", "että", "and", "or", "ja/tai"})


def _elided(first: str, following: Sequence[str]) -> set[str]:
    """The compound a Finnish elliptic coordination leaves unsaid: "mielenterveys- ja päihdepalvelut" speaks
    of "mielenterveyspalvelut" too (the first piece takes the head of the compound after the conjunction)."""
    if len(following) < 2 or following[0].lower().strip(",") not in _COORDINATORS:
        return set()
    after = tokenize(following[1])
    if len(after) < 3 or not first.isalpha():
        return set()
    return {first + after[-1]}  # the first piece as written (a compound begins so), the head as a lemma


_DASHES = frozenset("-–")


def _elided_head(before: str, coordinator: str, head: str) -> set[str]:
    """The compound a Finnish elliptic coordination leaves unsaid the other way round: "etävastaanotto ja
    -konsultaatio" speaks of "etäkonsultaatio" (the piece after the dash takes the first part of the compound
    before the conjunction)."""
    if coordinator.lower().strip(",") not in _COORDINATORS:
        return set()
    found = tokenize(before)
    if len(found) < 3:  # not a compound: "hoito ja -kuntoutus" leaves nothing unsaid
        return set()
    whole, last = found[0], found[-1]
    if not whole.endswith(last) or len(whole) - len(last) < 2:
        return set()
    return {whole[: len(whole) - len(last)] + head}


def lemma_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(word lemmas, lemmas with compound parts) of ``text``; a hyphenated word's pieces count as words.

    >>> sorted(lemma_sets("Lasten suojelu")[0]), sorted(lemma_sets("lastensuojelun")[1])
    (['lapsi', 'suojelu'], ['lapsi', 'lastensuojelu', 'suojelu'])
    """
    sequence, tokens = lemma_sequence(text)
    return frozenset(sequence), tokens
