"""The closed class of words that say how far a practice has come, or frame a question, but never what
it is about: status cues (in use, pilot, planned) and frame words (regions, documents, use, develop).

Finnish entries are Voikko lemmas as ``lexical`` spells them; Swedish and English entries are lower-case
words. ``question`` removes frame words from a question's topic, so "Millä alueilla on käytössä tai
suunnitteilla X?" and "Missä on X?" look for the same X; ``status`` reads the cues of an evidence sentence.
"""

from __future__ import annotations

# Implementation verbs: past or perfect means done (in use), the present passive of a plan document
# ("Otetaan käyttöön", "Perustetaan") means planned.
IMPLEMENT_VERBS = frozenset({
    "ottaa", "käynnistää", "käynnistyä", "aloittaa", "alkaa", "perustaa", "jalkauttaa", "jalkautua", "laajentaa",
    "laajentua", "toteuttaa", "toteutua", "vakiinnuttaa", "vakiintua", "ottaa käyttöön", "siirtyä", "avata",
    "juurruttaa", "juurtua", "rakentaa", "hankkia", "tuoda",
})
# Verbs and nouns of present use: "käytetään", "on käytössä", "toimii", "tuotannossa".
IN_USE_VERBS = frozenset({"käyttää", "toimia", "hyödyntää", "tarjota", "tuottaa", "soveltaa", "ylläpitää"})
IN_USE_NOUNS = frozenset({"käyttö", "tuotanto", "toiminta", "käytäntö"})  # in the inessive: käytössä, tuotannossa
IN_USE_WORDS = frozenset({"vakiintunut", "vakiintuneena", "vakiinnutettu", "käytössä", "tuotannossa",
                          "toiminnassa", "käyttöönotettu", "käyttöönotettiin", "jalkautettu", "juurrutettu"})
PILOT_LEMMAS = frozenset({"pilotti", "pilotoida", "pilotointi", "kokeilu", "kokeilla", "koekäyttö", "testata",
                          "testaus", "pilottihanke", "pilottiryhmä", "pilottikoulu", "kokeiluhanke"})
PLAN_LEMMAS = frozenset({"suunnitella", "suunnite", "suunnitelma", "suunnittelu", "valmistella", "valmistelu",
                         "tavoite", "tavoitella", "tarkoitus", "aikoa", "pyrkiä", "selvittää", "selvitys", "laatia",
                         "valmistelussa", "aikomus", "visio", "tiekartta"})

# Words every question uses whatever it asks: generic predicates, scope (regions, the documents), question
# words, focus and time adverbs, and postpositions whose first reading is a noun ("jälkeen" -> jälki).
# Unlike the status and development words they never say what was asked of the topic (see ``predicate``).
GENERIC_FRAME = frozenset({
    # generic predicates of a question
    "olla", "tehdä", "tulla", "voida", "pitää", "saada", "löytyä", "mainita", "maininta", "kertoa", "kuvata",
    "kuvaus", "sisältää", "koskea", "liittyä", "järjestää", "järjestäminen", "hoitaa", "esiintyä", "näkyä",
    # scope: regions and the documents themselves
    "alue", "hyvinvointialue", "maakunta", "seutu", "kunta", "sote-alue", "aineisto", "asiakirja", "dokumentti",
    "teksti", "raportti", "hanke", "projekti", "asia", "tieto", "esimerkki", "tapa", "keino", "osalta", "osa",
    "missä", "mikä", "kuka", "millainen", "miten", "kuinka", "moni", "monta", "paljon", "milloin", "mennessä",
    "mennä", "vuosi", "mitkä", "mitä", "mihin", "missään", "kaikki", "eri", "muu", "jokin", "ken", "ne", "se",
    "paljo", "nykyään", "tällä hetkellä", "keskeinen", "tärkein", "pää",
    # focus and time adverbs
    "jo", "vielä", "nyt", "myös", "edelleen", "enää", "juuri", "aina", "usein", "yhä", "jälleen", "vain",
    "ainoastaan", "erityisesti", "lähinnä", "esimerkiksi", "miksi", "syy",
    # postpositions whose first reading is a noun ("jälkeen" -> jälki, "aikana" -> aika, "vuoksi" -> vuo)
    "jälki", "jälkeen", "aika", "aikana", "kausi", "kautta", "vuo", "vuoksi", "takia", "väli", "välillä", "sija",
    "sijaan", "myötä", "kesken", "ennen", "asti", "saakka", "mukaan", "mukaa", "lisäksi", "lisä", "osa-alue",
})
# Frame words: a question's predicate and scope, shared by every question whatever its topic.
FRAME_FI = frozenset({
    # status and development, also as nouns
    *IMPLEMENT_VERBS, *IN_USE_VERBS, *IN_USE_NOUNS, *PILOT_LEMMAS, *PLAN_LEMMAS,
    "käyttöönotto", "käyttöön=otto", "otettu", "otettava", "käytetty", "kehittää", "kehittäminen", "kehitys",
    "kehitystyö", "kehittyä", "edistää", "vahvistaa", "lisätä", "parantaa", "uudistaa", "uudistus",
    "vakiintunut", "vaihe", "tilanne", "status", "tila",
    *GENERIC_FRAME,
    # quantifiers of the figure asked ("Montako asiakasta tarvitaan vähintään?"): they frame the figure
    "vähintään", "enintään", "yhteensä", "kaikkiaan", "noin", "arviolta", "keskimäärin", "lähes",
})
FRAME_OTHER = frozenset({
    # English
    "use", "used", "uses", "using", "usage", "place", "plan", "plans", "planned", "planning", "pilot", "pilots",
    "piloted", "piloting", "trial", "trials", "trialled", "trialed", "test", "tested", "testing", "develop",
    "developed", "develops", "developing", "development", "implement", "implemented", "implementing",
    "implementation", "introduce", "introduced", "introducing", "adopt", "adopted", "launch", "launched", "start",
    "started", "have", "has", "had", "having", "offer", "offers", "offered", "provide", "provides", "provided",
    "mention", "mentions", "mentioned", "describe", "describes", "document", "documents", "region", "regions",
    "area", "areas", "county", "counties", "wellbeing", "services county", "where", "which", "what", "who",
    "when", "how", "many", "much", "any", "there", "do", "does", "did", "is", "are", "was", "were", "be", "been",
    "in", "on", "at", "of", "the", "a", "an", "and", "or", "to", "for", "by", "with", "about", "their", "its",
    "they", "it", "this", "that", "these", "those", "stage", "status", "currently", "already", "yet",
    # Swedish
    "används", "använder", "använda", "användning", "bruk", "tagits", "tagit", "infört", "införts", "införa",
    "inför", "planeras", "planerar", "planerad", "planerade", "pilotprojekt", "försök", "testas",
    "utvecklas", "utvecklar", "utveckla", "utveckling", "har", "finns", "fanns", "erbjuder", "erbjuds", "nämner",
    "nämns", "välfärdsområde", "välfärdsområdet", "välfärdsområden", "välfärdsområdena", "område", "området",
    "områden", "områdena", "regioner", "regionerna", "var", "vilka", "vilken", "vilket", "vad", "vem",
    "när", "hur", "många", "mycket", "det", "den", "de", "en", "ett", "och", "eller", "i", "på", "av", "för",
    "till", "med", "om", "som", "är", "vara", "varit", "redan", "ännu", "minst", "totalt", "ungefär",
    "least", "total", "approximately", "minimum", "maximum",
})


def is_frame(lemma: str) -> bool:
    """Whether ``lemma`` (Finnish lemma or a Swedish/English word) frames a question rather than naming
    its topic.

    >>> is_frame("käyttö"), is_frame("suunnite"), is_frame("kotisairaala"), is_frame("används")
    (True, True, False, True)
    """
    lemma = lemma.replace("=", "")  # Voikko marks some compound seams: "hyvin=vointialue"
    return lemma in FRAME_FI or lemma in FRAME_OTHER
