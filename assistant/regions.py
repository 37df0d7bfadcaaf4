"""Gazetteer of Finland's 21 wellbeing services counties: names in Finnish, Swedish and English,
their inflected stems, usual abbreviations and main towns.

Used to guess a document's region from its text and to spot region mentions in questions.
Matching is by word-initial stem, because Finnish inflects place names ("Lappi", "Lapissa", "Lapin").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Region:
    name: str
    stems: tuple[str, ...]  # lowercase word-initial prefixes, inflection-tolerant
    words: tuple[str, ...] = ()  # whole words (abbreviations, short names), matched case-insensitively
    towns: tuple[str, ...] = ()  # word-initial prefixes of main towns: weaker evidence


REGIONS: tuple[Region, ...] = (
    Region("Pohjois-Pohjanmaa", ("pohjois-pohjanma", "norra österbott", "north ostrobothnia", "northern ostrobothnia",
                                 "popsote"),
           ("ppshp", "pohjois-pohjanmaan"), ("oulu", "oulun", "oulussa", "ylivieska", "kalajo", "raahe", "kuusamo")),
    Region("Keski-Pohjanmaa", ("keski-pohjanma", "mellersta österbott", "central ostrobothnia"),
           ("soite", "soiten", "soitessa", "soitella", "soitelle"), ("kokkola", "kannu", "kaustis", "jokilaakso")),
    Region("Etelä-Pohjanmaa", ("etelä-pohjanma", "södra österbott", "south ostrobothnia", "southern ostrobothnia"),
           ("epshp", "kusote", "kuussote", "kuusote"), ("seinäjo", "lapua", "lapualla", "kauhava", "alavu", "kuusiokun")),
    Region("Länsi-Uusimaa", ("länsi-uusima", "länsi-uudenma", "länsi-uudellama", "länsi-uudeltama", "västra nyland",
                             "western uusimaa", "west uusimaa"),
           ("luvn", "hyvinvointialue luvn"), ("espoo", "espoon", "espoos", "kauniai", "grankulla", "raasepor", "raseborg",
                                               "hanko", "hangon", "hangos", "hangö", "lohja", "lohjal", "lohjan", "karkkila",
                                               "inkoo", "ingå", "siuntio", "kirkkonum", "vihti", "vihdi")),
    Region("Lappi", ("lappi", "lapin", "lapissa", "lapista", "lappiin", "lapille", "lapilla", "lapland", "lappland"),
           ("lapha", "lshp", "poske"), ("rovanie", "kemi", "kemin", "tornio", "torniol", "länsi-pohja", "kolpene", "sodanky",
                                        "inari", "utsjo", "enontek", "kittilä", "salla")),
    Region("Kainuu", ("kainuu", "kainuun", "kainuus", "kainuul", "kajanaland"), ("kainuun sote",), ("kajaani", "kajaanin")),
    Region("Pohjanmaa", ("pohjanmaan hyvinvointialue", "österbottens välfärdsområde", "ostrobothnia wellbeing"),
           (), ("vaasa", "vaasan", "vasa", "pietarsaari", "jakobstad")),
    Region("Pohjois-Savo", ("pohjois-savo", "pohjois-savon", "norra savolax", "north savo"), (), ("kuopio",)),
    Region("Etelä-Savo", ("etelä-savo", "etelä-savon", "södra savolax", "south savo"), ("essote",), ("mikkeli", "savonlinn")),
    Region("Pohjois-Karjala", ("pohjois-karjala", "norra karelen", "north karelia"), ("siun sote", "siunsote"), ("joensuu",)),
    Region("Etelä-Karjala", ("etelä-karjala", "södra karelen", "south karelia"), ("eksote",), ("lappeenran",)),
    Region("Keski-Suomi", ("keski-suom", "mellersta finland", "central finland"), ("hyvil",), ("jyväskylä",)),
    Region("Pirkanmaa", ("pirkanma", "birkaland"), ("pirha",), ("tampere", "tampereen", "tampereel")),
    Region("Satakunta", ("satakun",), ("satasote",), ("pori", "porin", "porissa", "rauma", "rauman")),
    Region("Varsinais-Suomi", ("varsinais-suom", "egentliga finland", "southwest finland"), ("varha",),
           ("turku", "turun", "turussa", "åbo")),
    Region("Kanta-Häme", ("kanta-häm", "egentliga tavastland"), ("oma häme",), ("hämeenlinn", "riihimä", "forssa")),
    Region("Päijät-Häme", ("päijät-häm", "päijänne-tavastland"), ("phhyky",), ("lahti", "lahden", "lahdessa")),
    Region("Kymenlaakso", ("kymenlaakso", "kymmenedalen"), ("kymsote",), ("kotka", "kouvola")),
    Region("Itä-Uusimaa", ("itä-uusima", "itä-uudenma", "itä-uudellama", "östra nyland", "eastern uusimaa"), (),
           ("porvoo", "borgå", "loviisa", "lovisa")),
    Region("Keski-Uusimaa", ("keski-uusima", "keski-uudenma", "keski-uudellama", "mellersta nyland", "central uusimaa"),
           ("keusote",), ("hyvinkää", "järvenpää", "tuusula", "nurmijärvi")),
    Region("Vantaa-Kerava", ("vantaa-kerava", "vantaan ja keravan", "vanda och kervo"), ("vakehyva",),
           ("vantaa", "vantaan", "kerava")),
    Region("Helsinki", ("helsingin kaupunki", "city of helsinki"), (), ("helsinki", "helsingin", "helsingissä", "helsingfors")),
)

UNKNOWN_REGION = "tuntematon"


@cache
def _pattern(prefix: str, whole: bool) -> re.Pattern[str]:
    tail = r"(?![\w-])" if whole else ""
    return re.compile(r"(?<![\w-])" + re.escape(prefix) + tail, re.IGNORECASE)


def _hits(text: str, region: Region) -> tuple[int, int]:
    """(strong, weak) mention counts of ``region`` in ``text``."""
    strong = sum(len(_pattern(s, False).findall(text)) for s in region.stems)
    strong += sum(len(_pattern(w, True).findall(text)) for w in region.words)
    weak = sum(len(_pattern(t, False).findall(text)) for t in region.towns)
    return strong, weak


def mentioned_regions(text: str, include_towns: bool = True) -> list[str]:
    """Regions named in ``text`` (a question), in order of first mention.

    >>> mentioned_regions("Entä Lapissa ja Soitella?")
    ['Lappi', 'Keski-Pohjanmaa']
    """
    found: list[tuple[int, str]] = []
    for region in REGIONS:
        prefixes = [(s, False) for s in region.stems] + [(w, True) for w in region.words]
        if include_towns:
            prefixes += [(t, False) for t in region.towns]
        positions = [m.start() for p, whole in prefixes for m in _pattern(p, whole).finditer(text)]
        if positions:
            found.append((min(positions), region.name))
    return [name for _, name in sorted(found)]


def guess_region(text: str) -> str:
    """The region a document is most likely about, or ``UNKNOWN_REGION`` if nothing stands out.

    Strong mentions (names, abbreviations) count 3, towns 1; the winner needs a clear lead because
    documents often name their neighbours too.
    """
    scores: Counter[str] = Counter()
    for region in REGIONS:
        strong, weak = _hits(text, region)
        if strong or weak:
            scores[region.name] = 3 * strong + weak
    if not scores:
        return UNKNOWN_REGION
    ranked = scores.most_common(2)
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if best_score >= 3 and best_score >= 1.5 * runner_up else UNKNOWN_REGION


def canonical_region(name: str) -> str | None:
    """Map a user-typed region (any language, abbreviation, inflection) to its canonical name."""
    exact = {r.name.lower(): r.name for r in REGIONS}
    if name.strip().lower() in exact:
        return exact[name.strip().lower()]
    hits = mentioned_regions(name)
    return hits[0] if hits else None


def strip_regions(text: str) -> str:
    """``text`` without the words that name a region, so they don't dominate lexical matching.

    >>> strip_regions("Mitä Lapissa tehdään?")
    'Mitä tehdään?'
    """
    spans: list[tuple[int, int]] = []
    for region in REGIONS:
        prefixes = [(s, False) for s in region.stems] + [(w, True) for w in region.words]
        prefixes += [(t, False) for t in region.towns]
        for prefix, whole in prefixes:
            for m in _pattern(prefix, whole).finditer(text):
                end = m.end()
                while end < len(text) and (text[end].isalnum() or text[end] in "-:"):
                    end += 1
                spans.append((m.start(), end))
    # Overlapping matches ("kainuu" and "kainuun") are merged first, or a second cut eats the next word.
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + text[end:]
    return re.sub(r"\s{2,}", " ", text).replace(" ?", "?").strip()
