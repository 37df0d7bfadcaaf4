"""The fixed sentences an extractive answer is framed with, in Finnish, Swedish and English."""

from __future__ import annotations

from assistant.language import Language
from assistant.question import Kind

PHRASES: dict[Language, dict[str, str]] = {
    "fi": {
        "regions": "Aineistosta löytyi tietoa {n} alueelta:",
        "no_mention": "Ei mainintaa aineistossa: {regions}.",
        "not_found": "Aineistosta ei löytynyt vastausta kysymykseen.",
        "closest": "Lähimmät, mahdollisesti aiheeseen liittyvät kohdat on listattu lähteinä alla.",
        "no_region": "Aineistossa ei ole asiakirjoja alueelta: {regions}.",
        "absent": "Aineistossa ei mainita aihetta ”{topic}”.",
        "absent_in": "Aineistossa ei mainita aihetta ”{topic}” alueelta {regions}.",
        "absent_anywhere": "Aineistossa ei mainita aihetta ”{topic}” millään alueella.",
        "nearest": "Lähin maininta:",
        "nearest_elsewhere": "Lähin maininta muualta:",
        "quotes": "",
    },
    "sv": {
        "regions": "Materialet innehåller uppgifter från {n} välfärdsområden:",
        "no_mention": "Inget omnämnande i materialet: {regions}.",
        "not_found": "Materialet innehåller inget svar på frågan.",
        "closest": "De närmaste, möjligen relaterade avsnitten listas nedan.",
        "no_region": "Materialet innehåller inga dokument från: {regions}.",
        "absent": "Materialet nämner inte det som frågan gäller (”{topic}”).",
        "absent_in": "Materialet nämner inte det som frågan gäller (”{topic}”) för {regions}.",
        "absent_anywhere": "Materialet nämner inte det som frågan gäller (”{topic}”) i något välfärdsområde.",
        "nearest": "Närmaste omnämnande:",
        "nearest_elsewhere": "Närmaste omnämnande på annat håll:",
        "quotes": "(Citaten är ur de finskspråkiga dokumenten.)",
    },
    "en": {
        "regions": "The documents have evidence from {n} regions:",
        "no_mention": "No mention in the documents: {regions}.",
        "not_found": "The documents do not answer this question.",
        "closest": "The closest, possibly related passages are listed below.",
        "no_region": "The documents include nothing from: {regions}.",
        "absent": "The documents do not mention what the question asks about (“{topic}”).",
        "absent_in": "The documents do not mention what the question asks about (“{topic}”) for {regions}.",
        "absent_anywhere": "No region's documents mention what the question asks about (“{topic}”).",
        "nearest": "Closest mention:",
        "nearest_elsewhere": "Closest mention elsewhere:",
        "quotes": "(Quotes are from the Finnish source documents.)",
    },
}

NOT_TOLD: dict[Language, dict[Kind, str]] = {
    "fi": {"when": "Aineistossa ei kerrota kysyttyä ajankohtaa.",
           "how_many": "Aineistossa ei kerrota kysyttyä lukumäärää.",
           "how_much": "Aineistossa ei kerrota kysyttyä määrää tai osuutta.",
           "who": "Aineistossa ei kerrota, kuka tai mikä taho tästä vastaa."},
    "sv": {"when": "Materialet anger inte den efterfrågade tidpunkten.",
           "how_many": "Materialet anger inte det efterfrågade antalet.",
           "how_much": "Materialet anger inte det efterfrågade beloppet eller andelen.",
           "who": "Materialet anger inte vem som ansvarar för detta."},
    "en": {"when": "The documents do not give the date or time asked for.",
           "how_many": "The documents do not give the number asked for.",
           "how_much": "The documents do not give the amount or share asked for.",
           "who": "The documents do not say who is responsible for this."},
}


def phrase(language: Language, key: str, **values: object) -> str:
    return PHRASES[language][key].format(**values)
