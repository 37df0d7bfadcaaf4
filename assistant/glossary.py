"""A small English/Swedish -> Finnish glossary of the domain's terms.

The documents are Finnish, so an English or Swedish question shares no words with them; adding the
Finnish terms lets the lexical (BM25) leg help those questions too.
"""

from __future__ import annotations

import re

GLOSSARY: dict[str, str] = {
    # English
    "home care": "kotihoito", "home hospital": "kotisairaala", "remote": "etä", "remote appointment": "etävastaanotto",
    "remote care": "etähoito etähoiva", "video": "video etävastaanotto", "telehealth": "etäpalvelu",
    "health centre": "terveyskeskus terveysasema", "health center": "terveyskeskus terveysasema",
    "health station": "terveysasema", "social and health": "sote sosiaali- ja terveys", "primary care": "perusterveydenhuolto",
    "mental health": "mielenterveys", "substance abuse": "päihde", "addiction": "päihde", "child welfare": "lastensuojelu",
    "family centre": "perhekeskus", "family center": "perhekeskus", "family care": "perhehoito",
    "informal care": "omaishoito", "caregiver": "omaishoitaja", "carer": "omaishoitaja", "elderly": "ikääntyneet ikäihmiset",
    "older people": "ikääntyneet ikäihmiset", "disability": "vammais vammaispalvelu", "disabled": "vammaiset",
    "personal assistance": "henkilökohtainen apu", "rehabilitation": "kuntoutus", "dental": "suun terveydenhuolto hammashoito",
    "oral health": "suun terveydenhuolto", "waiting time": "odotusaika jono", "access to care": "hoitoon pääsy",
    "lifestyle": "elintapa", "unemployed": "työtön työttömät", "work ability": "työkyky", "employment": "työllisyys",
    "customer feedback": "asiakaspalaute", "feedback": "palaute", "client experience": "asiakaskokemus",
    "customer experience": "asiakaskokemus", "experts by experience": "kokemusasiantuntija",
    "expert by experience": "kokemusasiantuntija", "steering group": "ohjausryhmä", "self-assessment": "itsearviointi arviointi",
    "self-evaluation": "itsearviointi", "evaluation": "arviointi", "indicator": "mittari", "costs": "kustannukset",
    "cost": "kustannus", "pricing": "hinnoittelu", "staff": "henkilöstö", "nurses": "sairaanhoitaja hoitaja",
    "nurse": "sairaanhoitaja hoitaja", "doctor": "lääkäri", "physician": "lääkäri", "night patrol": "yöpartio",
    "pilot": "pilotti kokeilu", "digital": "digitaalinen sähköinen", "electronic": "sähköinen", "form": "lomake",
    "care path": "hoitopolku", "care paths": "hoitopolku", "helpline": "päivystysapu neuvonta puhelin",
    "emergency": "päivystys ensihoito", "archive": "arkistointi", "records": "asiakirja potilastieto",
    "patient records": "potilastiedot", "resigned": "irtisanoutui", "training": "koulutus", "coaching": "valmennus",
    "reception": "vastaanotto", "municipal": "kunta", "municipality": "kunta", "school": "koulu", "students": "opiskelija",
    "children": "lapset", "families": "perheet", "youth": "nuoret", "sami": "saamelainen saame", "sámi": "saamelainen saame",
    "situation centre": "tilannekeskus", "management": "johtaminen", "knowledge-based": "tiedolla johtaminen",
    "organisations": "järjestö", "ngo": "järjestö", "self-care": "omahoito", "symptom": "oire oirearvio",
    "service guidance": "palveluohjaus", "counselling": "neuvonta", "prevention": "ennaltaehkäisy",
    "contraception": "ehkäisy", "violence": "väkivalta", "housing services": "asumispalvelu",
    "hospital": "sairaala", "campus": "kampus", "transfer": "siirtyy", "functions": "toiminnot",
    "child welfare services": "lastensuojelu", "child and family services": "lasten nuorten perheiden palvelut",
    "social welfare": "sosiaalihuolto", "social work": "sosiaalityö", "social worker": "sosiaalityöntekijä",
    "ambulance": "ensihoito", "mobile hospital": "liikkuva sairaala", "appointment": "ajanvaraus vastaanotto",
    "booking": "ajanvaraus", "service voucher": "palveluseteli", "purchased services": "ostopalvelu",
    "outsourcing": "ostopalvelu", "agency staff": "vuokratyövoima", "recruitment": "rekrytointi",
    "medication": "lääkehoito lääke", "medicine": "lääke", "vaccination": "rokotus", "maternity clinic": "neuvola",
    "child health clinic": "neuvola", "school health": "kouluterveydenhuolto", "student welfare": "opiskeluhuolto",
    "psychologist": "psykologi", "psychiatric": "psykiatria", "immigrants": "maahanmuuttaja",
    "swedish-language": "ruotsinkielinen", "sami-language": "saamenkielinen", "municipal experiment": "kuntakokeilu",
    "risk": "riski", "risks": "riski", "budget": "talousarvio budjetti kustannus", "funding": "rahoitus",
    "strategy": "strategia", "service network": "palveluverkko", "nutrition": "ravitsemus ruokakasvatus",
    "food education": "ruokakasvatus", "physical activity": "liikunta", "exercise": "liikunta",
    "obesity": "ylipaino", "chronic disease": "pitkäaikaissairaus", "dementia": "muistisairaus",
    "memory disorder": "muistisairaus", "long-term care": "pitkäaikainen hoito", "24-hour care": "ympärivuorokautinen",
    "assisted living": "palveluasuminen", "respite care": "lyhytaikaishoito", "day activities": "päivätoiminta",
    "transport": "kuljetus", "client fees": "asiakasmaksu", "information systems": "tietojärjestelmä",
    "data management": "tiedonhallinta tietojohtaminen", "interoperability": "yhteentoimivuus",
    "customer guidance": "asiakasohjaus palveluohjaus", "case management": "palveluohjaus",
    "multiprofessional": "moniammatillinen", "team": "tiimi", "clinic": "vastaanotto", "waiting list": "jono",
    "queue": "jono", "care guarantee": "hoitotakuu", "chat service": "chat", "online": "verkko sähköinen",
    # Swedish
    "hemsjukvård": "kotisairaala kotisairaanhoito", "socialvård": "sosiaalihuolto", "socialarbete": "sosiaalityö",
    "mödrarådgivning": "neuvola", "rådgivning": "neuvola neuvonta", "skolhälsovård": "kouluterveydenhuolto",
    "elevvård": "opiskeluhuolto", "psykolog": "psykologi", "invandrare": "maahanmuuttaja", "kostnad": "kustannus",
    "finansiering": "rahoitus", "strategi": "strategia", "servicesedel": "palveluseteli",
    "köpta tjänster": "ostopalvelu", "läkemedel": "lääke lääkehoito",
    "minnessjukdom": "muistisairaus", "demens": "muistisairaus", "boendeservice": "palveluasuminen",
    "dagverksamhet": "päivätoiminta", "väntetid": "odotusaika jono", "vårdgaranti": "hoitotakuu",
    "tidsbokning": "ajanvaraus", "mottagning": "vastaanotto", "digitala tjänster": "digitaalinen sähköinen palvelu",
    "självskattning": "itsearviointi", "symtombedömning": "oirearvio", "erfarenhetsexperter": "kokemusasiantuntija",
    "organisationer": "järjestö", "sysselsättning": "työllisyys", "arbetsförmåga": "työkyky",
    "hemvård": "kotihoito", "hemsjukhus": "kotisairaala", "distans": "etä", "hälsocentral": "terveyskeskus terveysasema",
    "hälsostation": "terveysasema", "mentalvård": "mielenterveys", "psykisk": "mielenterveys", "missbruk": "päihde",
    "barnskydd": "lastensuojelu", "familjecenter": "perhekeskus", "familjevård": "perhehoito", "familjevårdare": "perhehoitaja",
    "närståendevård": "omaishoito", "närståendevårdare": "omaishoitaja", "äldre": "ikääntyneet", "funktionshinder": "vammais",
    "personlig assistans": "henkilökohtainen apu", "rehabilitering": "kuntoutus", "tandvård": "suun terveydenhuolto",
    "blankett": "lomake", "finska": "suomi", "svenska": "ruotsi", "sjukhus": "sairaala", "sjukhuscampus": "sairaala kampus",
    "personal": "henkilöstö", "kostnader": "kustannukset", "respons": "palaute", "kundrespons": "asiakaspalaute",
    "arbetslösa": "työttömät", "barn": "lapset", "familjer": "perheet", "unga": "nuoret", "övergår": "siirtyy",
    "funktioner": "toiminnot", "styrgrupp": "ohjausryhmä", "utbildning": "koulutus",
}
_PATTERNS = sorted(GLOSSARY, key=len, reverse=True)


def bridge(question: str) -> str:
    """Finnish terms for the English/Swedish domain terms in ``question`` (space-separated)."""
    text = question.lower()
    found: list[str] = []
    for term in _PATTERNS:
        if re.search(r"(?<!\w)" + re.escape(term), text):
            found.append(GLOSSARY[term])
            text = text.replace(term, " ")
    return " ".join(found)
