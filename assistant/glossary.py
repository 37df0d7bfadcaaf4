"""A small English/Swedish -> Finnish glossary of the domain's terms, and Finnish synonyms.

The documents are Finnish, so an English or Swedish question shares no words with them; adding the
Finnish terms lets the lexical (BM25) leg help those questions too, and gives region evidence its topic.
A value lists alternatives separated by "|" ("terveyskeskus|terveysasema": either word is the thing);
words of one alternative belong together ("henkilökohtainen apu").
"""

from __future__ import annotations

import re

GLOSSARY: dict[str, str] = {
    # English
    "home care": "kotihoito", "home hospital": "kotisairaala", "hospital at home": "kotisairaala",
    "hospital-at-home": "kotisairaala", "remote": "etä", "remote appointment": "etävastaanotto",
    "remote care": "etähoito|etähoiva", "video": "video|etävastaanotto", "telehealth": "etäpalvelu",
    "health centre": "terveyskeskus|terveysasema", "health center": "terveyskeskus|terveysasema",
    "health station": "terveysasema", "social and health": "sote|sosiaali- ja terveys", "primary care": "perusterveydenhuolto",
    "mental health": "mielenterveys", "substance abuse": "päihde", "addiction": "päihde", "child welfare": "lastensuojelu",
    "family centre": "perhekeskus", "family center": "perhekeskus", "family care": "perhehoito",
    "informal care": "omaishoito", "caregiver": "omaishoitaja", "carer": "omaishoitaja", "elderly": "ikääntyneet|ikäihmiset",
    "older people": "ikääntyneet|ikäihmiset", "disability": "vammais|vammaispalvelu", "disabled": "vammaiset",
    "personal assistance": "henkilökohtainen apu", "rehabilitation": "kuntoutus", "dental": "suun terveydenhuolto|hammashoito",
    "oral health": "suun terveydenhuolto", "waiting time": "odotusaika|jono", "access to care": "hoitoon pääsy",
    "lifestyle": "elintapa", "unemployed": "työtön|työttömät", "work ability": "työkyky", "employment": "työllisyys",
    "customer feedback": "asiakaspalaute", "feedback": "palaute", "client experience": "asiakaskokemus",
    "customer experience": "asiakaskokemus", "experts by experience": "kokemusasiantuntija",
    "expert by experience": "kokemusasiantuntija", "steering group": "ohjausryhmä", "self-assessment": "itsearviointi|arviointi",
    "self-evaluation": "itsearviointi", "evaluation": "arviointi", "indicator": "mittari", "costs": "kustannukset",
    "cost": "kustannus", "pricing": "hinnoittelu", "staff": "henkilöstö", "nurses": "sairaanhoitaja|hoitaja",
    "nurse": "sairaanhoitaja|hoitaja", "doctor": "lääkäri", "physician": "lääkäri",
    "pilot": "pilotti|kokeilu", "digital": "digitaalinen|sähköinen", "electronic": "sähköinen", "form": "lomake",
    "care path": "hoitopolku", "care paths": "hoitopolku", "helpline": "päivystysapu|puhelinneuvonta|neuvontapuhelin",
    "emergency": "päivystys|ensihoito", "archive": "arkistointi", "records": "asiakirja|potilastieto",
    "patient records": "potilastiedot", "resigned": "irtisanoutui", "training": "koulutus", "coaching": "valmennus",
    "reception": "vastaanotto", "municipal": "kunta", "municipality": "kunta", "school": "koulu", "students": "opiskelija",
    "children": "lapset", "families": "perheet", "youth": "nuoret", "sami": "saamelainen|saame", "sámi": "saamelainen|saame",
    "situation centre": "tilannekeskus", "management": "johtaminen", "knowledge-based": "tiedolla johtaminen",
    "organisations": "järjestö", "ngo": "järjestö", "self-care": "omahoito", "symptom": "oire|oirearvio",
    "service guidance": "palveluohjaus", "counselling": "neuvonta", "prevention": "ennaltaehkäisy",
    "violence": "väkivalta", "housing services": "asumispalvelu",
    "hospital": "sairaala", "campus": "kampus", "transfer": "siirtyy", "functions": "toiminnot",
    "child welfare services": "lastensuojelu", "child and family services": "lasten ja perheiden palvelut|lapsiperhepalvelut",
    "social welfare": "sosiaalihuolto", "social work": "sosiaalityö", "social worker": "sosiaalityöntekijä",
    "ambulance": "ensihoito", "mobile hospital": "liikkuva sairaala", "appointment": "ajanvaraus|vastaanotto",
    "booking": "ajanvaraus", "service voucher": "palveluseteli", "purchased services": "ostopalvelu",
    "outsourcing": "ostopalvelu", "agency staff": "vuokratyövoima", "recruitment": "rekrytointi",
    "medication": "lääkehoito|lääke", "medicine": "lääke", "vaccination": "rokotus", "maternity clinic": "neuvola",
    "child health clinic": "neuvola", "school health": "kouluterveydenhuolto", "student welfare": "opiskeluhuolto",
    "psychologist": "psykologi", "psychiatric": "psykiatria", "immigrants": "maahanmuuttaja",
    "swedish-language": "ruotsinkielinen", "sami-language": "saamenkielinen", "municipal experiment": "kuntakokeilu",
    "risk": "riski", "risks": "riski", "budget": "talousarvio|budjetti", "funding": "rahoitus",
    "strategy": "strategia", "service network": "palveluverkko", "nutrition": "ravitsemus|ruokakasvatus",
    "food education": "ruokakasvatus", "physical activity": "liikunta", "exercise": "liikunta",
    "obesity": "ylipaino", "chronic disease": "pitkäaikaissairaus", "dementia": "muistisairaus",
    "memory disorder": "muistisairaus", "long-term care": "pitkäaikainen hoito", "24-hour care": "ympärivuorokautinen",
    "assisted living": "palveluasuminen", "respite care": "lyhytaikaishoito", "day activities": "päivätoiminta",
    "transport": "kuljetus", "client fees": "asiakasmaksu", "information systems": "tietojärjestelmä",
    "data management": "tiedonhallinta|tietojohtaminen", "interoperability": "yhteentoimivuus",
    "customer guidance": "asiakasohjaus|palveluohjaus", "case management": "palveluohjaus",
    "multiprofessional": "moniammatillinen", "team": "tiimi", "clinic": "vastaanotto", "waiting list": "jono",
    "queue": "jono", "care guarantee": "hoitotakuu", "chat service": "chat", "online": "verkko|sähköinen",
    # English: practices and services the documents name
    "night patrol": "yöpartio", "patrol": "partio", "medicine dispenser": "lääkeautomaatti",
    "medication dispenser": "lääkeautomaatti", "dispenser": "lääkeautomaatti", "symptom checker": "oirearvio",
    "symptom assessment": "oirearvio", "e-consultation": "ekonsultaatio|konsultaatio", "consultation": "konsultaatio",
    "multi-room model": "monihuonemalli", "multi-room": "monihuonemalli", "sensor technology": "sensoriteknologia",
    "sensor": "sensoriteknologia|sensori", "transfer delay": "siirtoviive", "discharge delay": "siirtoviive",
    "digital services unit": "digipalveluyksikkö", "digital service unit": "digipalveluyksikkö",
    "remote services": "etäpalvelu", "remote service": "etäpalvelu", "remote monitoring": "etäseuranta",
    "remote consultation": "etäkonsultaatio", "remote rehabilitation": "etäkuntoutus",
    "client developer": "kehittäjäasiakas", "developer client": "kehittäjäasiakas", "service information": "palvelutietovaranto",
    "secondary use": "toisiolaki|toisiokäyttö", "artificial intelligence": "tekoäly", "ai": "tekoäly",
    "first assessment team": "ensiarviotiimi", "initial assessment team": "ensiarviotiimi", "assessment team": "ensiarviotiimi",
    "network of organisations": "järjestöverkosto", "disability council": "vammaisneuvosto",
    "council for the elderly": "vanhusneuvosto", "elderly council": "vanhusneuvosto", "youth council": "nuorisovaltuusto",
    "walk-in": "walk-in", "low threshold": "matala kynnys", "low-threshold": "matala kynnys",
    "palliative": "palliatiivinen", "end-of-life": "saattohoito", "hospice": "saattohoito", "terminal care": "saattohoito",
    "free": "maksuton", "free of charge": "maksuton", "contraception": "ehkäisy|ehkäisyväline", "contraceptives": "ehkäisyväline|ehkäisy",
    "residents": "asukas|väestö", "inhabitants": "asukas|väestö", "population": "väestö", "foster care": "sijaishuolto|perhehoito",
    "substitute care": "sijaishuolto", "wellbeing plan": "hyvinvointisuunnitelma", "welfare report": "hyvinvointikertomus",
    "interpreter": "tulkki", "peer support": "vertaistuki", "volunteer": "vapaaehtoinen", "home rehabilitation": "kotikuntoutus",
    "physiotherapy": "fysioterapia", "physiotherapist": "fysioterapeutti", "therapy": "terapia", "therapies": "terapia",
    "memory clinic": "muistipoliklinikka|muistihoitaja", "telephone service": "puhelinpalvelu", "call-back": "takaisinsoitto",
    "callback": "takaisinsoitto", "service point": "palvelupiste", "one-stop": "yhden luukun", "psychosocial": "psykososiaalinen",
    "knowledge management": "tietojohtaminen|tiedolla johtaminen", "knowledge-based management": "tiedolla johtaminen",
    "data warehouse": "tietoallas|tietovarasto", "cost accounting": "kustannuslaskenta", "productisation": "tuotteistus",
    "productization": "tuotteistus", "client plan": "asiakassuunnitelma", "service plan": "palvelusuunnitelma",
    "care plan": "hoitosuunnitelma", "functional capacity": "toimintakyky", "functional ability": "toimintakyky",
    "meter": "mittari", "measure": "mittari", "coordination": "koordinaatio", "network": "verkosto", "innovillage": "innokylä",
    "lifestyle coaching": "elintapaohjaus|elintapavalmennus", "lifestyle counselling": "elintapaohjaus",
    "lifestyle guidance": "elintapaohjaus", "situation room": "tilannekeskus", "occupational therapy": "toimintaterapia",
    "home care visits": "kotihoidon käynti", "visits": "käynti", "risk assessment": "riskinarviointi",
    "family caregiver": "perhehoitaja|omaishoitaja", "foster carer": "perhehoitaja", "team model": "tiimimalli",
    "multi-service": "monipalvelu", "sign language": "viittomakieli", "migrants": "maahanmuuttaja",
    "ombudsman": "asiamies", "patient ombudsman": "potilasasiamies", "social ombudsman": "sosiaaliasiamies",
    # English: the administrative words of plans and reports (so that a question made of them still reaches
    # the documents instead of being judged absent word by word)
    "cooperation": "yhteistyö", "co-operation": "yhteistyö", "collaboration": "yhteistyö", "integration": "integraatio",
    "salary": "palkka", "salaries": "palkka", "wage": "palkka", "employees": "työntekijä", "employee": "työntekijä",
    "employer": "työnantaja", "customer": "asiakas", "client": "asiakas", "patient": "potilas", "family": "perhe",
    "equality": "yhdenvertaisuus|tasa-arvo",
    "participation": "osallisuus", "inclusion": "osallisuus", "availability": "saatavuus", "accessibility": "saavutettavuus|saatavuus",
    "quality": "laatu", "safety": "turvallisuus", "effectiveness": "vaikuttavuus", "impact": "vaikuttavuus",
    "monitoring": "seuranta", "follow-up": "seuranta", "assessment": "arviointi", "research": "tutkimus",
    "university": "yliopisto", "legislation": "lainsäädäntö|laki", "shortage": "pula", "workforce": "henkilöstö|työvoima",
    "personnel": "henkilöstö", "digitalisation": "digitalisaatio", "digitalization": "digitalisaatio",
    "housing": "asuminen", "objective": "tavoite", "objectives": "tavoite", "target": "tavoite",
    # Swedish: the same administrative words
    "samarbete": "yhteistyö", "lön": "palkka", "anställda": "työntekijä",
    "arbetsgivare": "työnantaja", "kund": "asiakas", "klient": "asiakas", "familj": "perhe",
    "jämlikhet": "yhdenvertaisuus|tasa-arvo", "delaktighet": "osallisuus",
    "tillgänglighet": "saavutettavuus|saatavuus", "tillgång": "saatavuus", "kvalitet": "laatu", "säkerhet": "turvallisuus",
    "verkningsfullhet": "vaikuttavuus", "effekt": "vaikuttavuus", "uppföljning": "seuranta", "bedömning": "arviointi",
    "forskning": "tutkimus", "universitet": "yliopisto", "lagstiftning": "lainsäädäntö|laki", "brist": "pula",
    "digitalisering": "digitalisaatio", "boende": "asuminen", "målsättning": "tavoite",
    # Swedish: practices and services the documents name
    "nattpatrull": "yöpartio", "läkemedelsautomat": "lääkeautomaatti", "läkemedelsdispenser": "lääkeautomaatti",
    "sjukhusvård i hemmet": "kotisairaala", "hemsjukvården": "kotisairaala|kotisairaanhoito", "mobilt sjukhus": "liikkuva sairaala",
    "e-konsultation": "ekonsultaatio|konsultaatio", "konsultation": "konsultaatio",
    "flerrumsmodell": "monihuonemalli", "sensorteknik": "sensoriteknologia", "sensorteknologi": "sensoriteknologia",
    "distanstjänst": "etäpalvelu", "distansmottagning": "etävastaanotto", "distansrehabilitering": "etäkuntoutus",
    "artificiell intelligens": "tekoäly", "kommunförsök": "kuntakokeilu", "sysselsättningsförsök": "kuntakokeilu",
    "funktionsförmåga": "toimintakyky", "livsstilsvägledning": "elintapaohjaus", "livsstil": "elintapa",
    "arkiv": "arkisto|arkistointi", "arkivering": "arkistointi", "avgiftsfri": "maksuton", "gratis": "maksuton",
    "preventivmedel": "ehkäisy|ehkäisyväline", "invånare": "asukas|väestö", "befolkning": "väestö",
    "palliativ": "palliatiivinen", "vård i livets slutskede": "saattohoito", "fosterhem": "perhehoito|sijaishuolto",
    "vårdnadshavare": "huoltaja", "tolk": "tulkki", "kamratstöd": "vertaistuki", "frivillig": "vapaaehtoinen",
    "fysioterapi": "fysioterapia", "terapi": "terapia", "terapier": "terapia", "minnesmottagning": "muistipoliklinikka",
    "servicepunkt": "palvelupiste", "psykosocial": "psykososiaalinen", "kunskapsbaserad ledning": "tiedolla johtaminen",
    "kunskapsledning": "tietojohtaminen|tiedolla johtaminen", "kostnadsberäkning": "kustannuslaskenta",
    "klientplan": "asiakassuunnitelma", "serviceplan": "palvelusuunnitelma", "vårdplan": "hoitosuunnitelma",
    "mätare": "mittari", "mätaren": "mittari", "nätverk": "verkosto", "samordning": "koordinaatio",
    "handikappråd": "vammaisneuvosto", "funktionshinderråd": "vammaisneuvosto", "äldreråd": "vanhusneuvosto",
    "lågtröskel": "matala kynnys", "låg tröskel": "matala kynnys", "bedömningsteam": "ensiarviotiimi",
    "digitjänst": "digipalvelu", "situationscentral": "tilannekeskus", "arbetsterapi": "toimintaterapia",
    "hembesök": "kotikäynti", "besök": "käynti", "teckenspråk": "viittomakieli",
    "jour": "päivystys", "ambulans": "ensihoito", "skola": "koulu", "elever": "oppilas", "studerande": "opiskelija",
    # Swedish
    "hemsjukvård": "kotisairaala|kotisairaanhoito", "socialvård": "sosiaalihuolto", "socialarbete": "sosiaalityö",
    "mödrarådgivning": "neuvola", "rådgivning": "neuvola|neuvonta", "skolhälsovård": "kouluterveydenhuolto",
    "elevvård": "opiskeluhuolto", "psykolog": "psykologi", "invandrare": "maahanmuuttaja", "kostnad": "kustannus",
    "finansiering": "rahoitus", "strategi": "strategia", "servicesedel": "palveluseteli",
    "köpta tjänster": "ostopalvelu", "läkemedel": "lääke|lääkehoito",
    "minnessjukdom": "muistisairaus", "demens": "muistisairaus", "boendeservice": "palveluasuminen",
    "dagverksamhet": "päivätoiminta", "väntetid": "odotusaika|jono", "vårdgaranti": "hoitotakuu",
    "tidsbokning": "ajanvaraus", "mottagning": "vastaanotto", "digitala tjänster": "digitaalinen palvelu|sähköinen palvelu",
    "självskattning": "itsearviointi", "symtombedömning": "oirearvio", "erfarenhetsexperter": "kokemusasiantuntija",
    "organisationer": "järjestö", "sysselsättning": "työllisyys", "arbetsförmåga": "työkyky",
    "hemvård": "kotihoito", "hemsjukhus": "kotisairaala", "distans": "etä", "hälsocentral": "terveyskeskus|terveysasema",
    "hälsostation": "terveysasema", "mentalvård": "mielenterveys", "psykisk": "mielenterveys", "missbruk": "päihde",
    "barnskydd": "lastensuojelu", "familjecenter": "perhekeskus", "familjevård": "perhehoito", "familjevårdare": "perhehoitaja",
    "närståendevård": "omaishoito", "närståendevårdare": "omaishoitaja", "äldre": "ikääntyneet", "funktionshinder": "vammais",
    "personlig assistans": "henkilökohtainen apu", "rehabilitering": "kuntoutus", "tandvård": "suun terveydenhuolto",
    "blankett": "lomake", "finska": "suomi", "svenska": "ruotsi", "sjukhus": "sairaala", "sjukhuscampus": "sairaalakampus|sairaala kampus",
    "personal": "henkilöstö", "kostnader": "kustannukset", "respons": "palaute", "kundrespons": "asiakaspalaute",
    "arbetslösa": "työttömät", "barn": "lapset", "familjer": "perheet", "unga": "nuoret", "övergår": "siirtyy",
    "funktioner": "toiminnot", "styrgrupp": "ohjausryhmä", "utbildning": "koulutus",
}
_PATTERNS = sorted(GLOSSARY, key=len, reverse=True)


def _pattern(term: str) -> re.Pattern[str]:
    """The term at a word start, in any inflection that keeps its beginning ("service vouchers", "sedeln"),
    and for a Swedish noun in -el/-en/-er also the forms that drop the e before an ending: "servicesedel" ->
    "servicesedlar", "regel" -> "regler"."""
    forms = [re.escape(term)]
    if re.search(r"[^aeiouyåäö ]e[lnr]$", term):
        forms.append(re.escape(term[:-2] + term[-1]) + r"(?=[aoe])")
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + ")")


_COMPILED = {term: _pattern(term) for term in _PATTERNS}


def bridge_hits(question: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, Finnish alternatives) of each English/Swedish domain term in ``question``, in order."""
    text = question.lower()
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for term in _PATTERNS:
        match = _COMPILED[term].search(text)
        if match:
            found.append((match.start(), match.end(), tuple(GLOSSARY[term].split("|"))))
            text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]  # keep positions
    return sorted(found)


def bridge_groups(question: str) -> list[tuple[str, ...]]:
    """For each English/Swedish domain term in ``question``: its Finnish alternatives.

    >>> bridge_groups("Which health centres offer dental care?")
    [('terveyskeskus', 'terveysasema'), ('suun terveydenhuolto', 'hammashoito')]
    """
    return [group for _, _, group in bridge_hits(question)]


def bridge(question: str) -> str:
    """Finnish terms for the English/Swedish domain terms in ``question`` (space-separated)."""
    return " ".join(" ".join(group) for group in bridge_groups(question))


# Finnish words the documents use interchangeably for one thing (lemmas). Compounds that contain a word
# need no entry here: relevance matches "kotisairaalatoiminta" to "kotisairaala" by itself.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"terveysasema", "terveyskeskus"}),
    frozenset({"ikäihminen", "ikääntynyt", "vanhus", "iäkäs"}),
    frozenset({"etävastaanotto", "videovastaanotto", "etäyhteys", "videoyhteys"}),
    frozenset({"omaishoitaja", "omaishoito"}),
    frozenset({"perhehoitaja", "perhehoito"}),
    frozenset({"työtön", "työttömyys"}),
    frozenset({"mielenterveysongelma", "mielenterveyshäiriö"}),
    frozenset({"päihdeongelma", "päihderiippuvuus"}),
)
_SYNONYMS_OF = {lemma: group for group in SYNONYMS for lemma in group}


def synonyms(lemma: str) -> frozenset[str]:
    """Other Finnish lemmas for what ``lemma`` names (empty when the glossary knows none).

    >>> sorted(synonyms("terveyskeskus"))
    ['terveysasema']
    """
    return _SYNONYMS_OF.get(lemma, frozenset()) - {lemma}
