"""Finnish-aware tokenising and BM25 (bm25s) over chunk texts.

Finnish inflects and compounds heavily, so surface forms rarely match: "kotihoidon" must meet
"kotihoito". Tokens are Voikko lemmas (pure-Python pyvoikko) with compound parts added, falling
back to the Snowball stem for words Voikko does not know (names, abbreviations, typos).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from assistant.sparse import SparseBm25

_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöÉéÜüŠšŽžČčĐđŊŋŦŧÁá]+(?:[-'][0-9A-Za-zÅÄÖåäöÁá]+)*")
# Words too common in this corpus (or in questions) to carry meaning.
STOPWORDS = frozenset(
    ["ja", "tai", "sekä", "on", "ovat", "oli", "olivat", "ei", "eivät", "että", "kun", "jos", "kuin", "myös", "mm.", "mm", "esim", "eli", "se", "ne", "sen", "niiden", "tämä", "nämä", "tämän", "tässä", "siitä", "siihen", "joka", "jotka", "jonka", "joiden", "mikä", "mitkä", "mitä", "miten", "miksi", "missä", "mistä", "millä", "mille", "milloin", "kuka", "ketkä", "keitä", "kenen", "paljonko", "kuinka", "montako", "onko", "ovatko", "voi", "voidaan", "alue", "alueet", "alueella", "alueilla", "alueiden", "hyvinvointialue", "the", "a", "an", "of", "in", "on", "for", "to", "and", "or", "is", "are", "was", "were", "which", "what", "how", "who", "whose", "where", "when", "do", "does", "och", "i", "på", "för", "att", "är", "som", "vilka", "vilken", "vad", "hur", "var"]
)
TOKENIZERS = ("voikko", "voikko-compounds")


@lru_cache(maxsize=1)
def _snowball() -> Callable[[str], str]:
    import Stemmer

    return Stemmer.Stemmer("finnish").stemWord  # type: ignore[no-any-return]


def snowball_stem(word: str) -> str:
    """The Snowball stem of a Finnish word ("hallinnoija" -> "hallinnoij")."""
    return _snowball()(word.lower())


# word -> lemmas, filled as words are analysed and preloaded from the index's lexicon, so that a
# running server almost never calls the (pure-Python, ~3.5 ms per word) analyser.
_LEMMAS: dict[tuple[str, bool], tuple[str, ...]] = {}
_PRELOADED: set[str] = set()  # the index's words: known, so they never count against a text's budget
# Work one text may cause: at most this many distinct words outside the index's lexicon are analysed
# (the longest dev-set question has 10; a 2,000-character question of random words has ~220: 0.6 s of
# analysis, and as many candidate terms to match against every sentence); later ones are left out.
# The indexer passes ``max_analysed=None``.
MAX_ANALYSED_WORDS = 16
# ... and at most this many distinct tokens (candidate terms, each matched against every sentence later):
# no chunk of the bundled corpus has more than 91, a question needs far fewer.
MAX_TERMS = 96
# Words analysed while serving are remembered up to this many, so hostile questions cannot grow memory.
MAX_LEARNED_WORDS = 100_000


def lexicon(only: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Every word analysed so far (compound-splitting variant) with its lemmas; only ``only``'s if given."""
    if only is not None:
        return {w: list(_LEMMAS[(w, True)]) for w in only if (w, True) in _LEMMAS}
    return {word: list(lemmas) for (word, compounds), lemmas in _LEMMAS.items() if compounds}


def preload(entries: dict[str, list[str]]) -> None:
    for word, lemmas in entries.items():
        _LEMMAS.setdefault((word, True), tuple(lemmas))
    _PRELOADED.update(entries)


def _voikko(word: str, compounds: bool, remember: bool = True) -> tuple[str, ...]:
    cached = _LEMMAS.get((word, compounds))
    if cached is None:
        cached = _analyse(word, compounds)
        if remember:
            _LEMMAS[(word, compounds)] = cached
    return cached


def _analyse(word: str, compounds: bool) -> tuple[str, ...]:
    import pyvoikko

    analyses = pyvoikko.analyse(word) or (word != word.lower() and pyvoikko.analyse(word.lower()))
    if not analyses:
        return (_snowball()(word),)
    first = analyses[0]
    lemmas = [str(first.BASEFORM or word).lower().replace("--", "-")]
    if compounds and first.COMPOUND_PARTS and len(first.COMPOUND_PARTS) > 1:
        lemmas += [str(p.BASEFORM).lower() for p in first.COMPOUND_PARTS if p.BASEFORM and len(p.BASEFORM) > 2]
    return tuple(dict.fromkeys(lemmas))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _parts(text: str) -> Iterator[str]:
    """Words of ``text`` (hyphenated compounds followed by their parts), without stopwords."""
    for word in words(text):
        for part in [word] + (word.split("-") if "-" in word else []):
            if part not in STOPWORDS and len(part) >= 2:
                yield part


def tokenize(text: str, method: str = "voikko-compounds", *, max_analysed: int | None = MAX_ANALYSED_WORDS
             ) -> list[str]:
    """Normalised tokens of ``text``; hyphenated compounds also yield their parts.

    Bounded by default: with a Voikko method only the first ``max_analysed`` distinct words that are not
    in the index's lexicon are analysed (later unknown words are left out), and tokens stop at the first
    word that would bring more than ``MAX_TERMS`` distinct ones. The same text gives the same tokens on
    every call. ``max_analysed=None`` lifts both bounds: the indexer's setting.

    >>> tokenize("Kotihoidon asiakkaat", "voikko")
    ['kotihoito', 'asiakas']
    """
    bounded = max_analysed is not None
    remember = not bounded or len(_LEMMAS) < len(_PRELOADED) + MAX_LEARNED_WORDS
    tokens: list[str] = []
    distinct: set[str] = set()
    unknown: dict[str, int] = {}  # distinct words outside the lexicon -> order of first appearance
    for part in _parts(text):
        if max_analysed is not None and part not in _PRELOADED \
                and unknown.setdefault(part, len(unknown)) >= max_analysed:
            continue
        new = [t for t in _voikko(part, method == "voikko-compounds", remember) if t not in STOPWORDS]
        if bounded:
            distinct.update(new)
            if len(distinct) > MAX_TERMS:
                break
        tokens.extend(new)
    return tokens


class Bm25Index:
    """BM25 over pre-tokenised documents; ``scores`` returns one score per document, in order."""

    def __init__(self, tokenised: Sequence[Sequence[str]], method: str = "voikko-compounds") -> None:
        import bm25s

        self.method = method
        self._sparse: SparseBm25 | None = None
        self._size = len(tokenised)
        self._vocab: dict[str, int] = {}
        ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in doc] for doc in tokenised]
        self._model = bm25s.BM25()
        if self._size:
            self._model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocab), show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if not self._size:
            return np.zeros(0, dtype=np.float32)
        ids = [self._vocab[t] for t in tokenize(query, self.method) if t in self._vocab]
        if not ids:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._model.get_scores(ids), dtype=np.float32)

    def sparse(self) -> SparseBm25:
        """The same BM25 as posting lists (built on first use): top-k without scoring every chunk."""
        if self._sparse is None:
            from assistant.sparse import SparseBm25

            self._sparse = SparseBm25.from_bm25s(self._vocab, self._model.scores) if self._size else \
                SparseBm25.from_tokens([])
        return self._sparse

    def top_k(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the ``k`` best chunks with a positive score, best first, equal to the head of
        sorting ``scores(query)``; ``allowed`` (bool per chunk) restricts the rows considered."""
        sparse = self.sparse()
        return sparse.top_k(sparse.ids(tokenize(query, self.method)), k, allowed)
