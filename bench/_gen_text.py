"""Dutch-ish text for bench.generate: names, titles and sentences about the inclusive
labour market, deterministic for a given random.Random.

The vocabulary comes from two places: the progress letter on the programme VIA
(`/work/shared/seed/…txt`, or the copy named by VIA_SEED_LETTER), from which whole
sentences and frequent long words are taken, and hand-written lists of the themes the
platform's communities talk about (statushouders, werkgeversdienstverlening, de
banenafspraak, jobcoaching, …). Sentences are made once into a pool; posts and pages
pick from the pool, which keeps generating a million posts cheap.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

LETTER_CANDIDATES = [
    os.environ.get("VIA_SEED_LETTER", ""),
    "/work/shared/seed/000_51062bb717f957ce.txt",
    str(Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_51062bb717f957ce.txt"),
]

FIRST_NAMES = """
Anouk Bram Daan Eva Fleur Gijs Hanna Iris Jesse Julia Koen Lars Lieke Lotte Luuk Maaike
Mark Marloes Milan Noor Pieter Roos Ruben Sanne Sem Sophie Thijs Tim Vera Wouter Yara
Ahmed Aziz Bilal Fatima Hamza Hanan Imane Karim Khadija Mohamed Nadia Nora Omar Samira
Sara Soufiane Youssef Zineb Ayşe Burak Elif Emre Esra Hakan Kübra Mehmet Merve Murat
Selin Yusuf Zeynep Ashwin Chandni Darshan Kavita Rakesh Sunita Priya Anil Jerrel Shanice
Glenn Naomi Xavier Dewi Ricardo Jennifer Tesfay Semhar Yonas Helen Filmon Abeba Rahel
Mahmoud Rania Tarek Lina Hussein Dima Ali Zahra Reza Farah Parisa Wei Mei Jun Lan Tomasz
Agnieszka Piotr Katarzyna Marek Anna Ivana Dragan Elena Andrei Maria João Ana Carlos Ines
Kofi Ama Kwame Efua Chidi Ngozi Mariam Abdi Hodan Faisal Amina Jamal Leila Nassim Rachid
""".split()

LAST_NAMES = """
de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos
Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer
van Dijk|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|Schouten
El Amrani|Bouzid|El Idrissi|Benali|Aarab|Haddou|Ouali|Ziani|El Khatib|Azzouzi|Tahiri
Yılmaz|Kaya|Demir|Şahin|Çelik|Öztürk|Aydın|Arslan|Doğan|Koç|Kurt|Özdemir
Ramdin|Sewnath|Jagesar|Mohan|Kalloe|Ramsaran|Pinas|Sabajo|Kromodimedjo|Wongsodikromo
Tewelde|Gebremedhin|Haile|Kidane|Berhane|Tesfamariam|Al-Hassan|Haddad|Khalil|Nasser
Mansour|Saleh|Hosseini|Rahimi|Karimi|Nowak|Kowalski|Wiśniewski|Popescu|Ionescu|Petrović
Chen|Wang|Li|Nguyen|Tran|da Silva|Santos|Pereira|Mensah|Boateng|Okafor|Adeyemi|Warsame
Osman|Hassan|Abdullahi|van Beek|Kuipers|Willems|Verhoeven|Prins|Blom|Huisman|Postma
""".replace("\n", "|").split("|")
LAST_NAMES = [name.strip() for name in LAST_NAMES if name.strip()]

CITIES = """
Amsterdam Rotterdam Utrecht Den-Haag Eindhoven Groningen Tilburg Almere Breda Nijmegen
Apeldoorn Haarlem Arnhem Enschede Amersfoort Zaanstad Den-Bosch Haarlemmermeer Zwolle
Zoetermeer Leiden Maastricht Dordrecht Ede Alphen-aan-den-Rijn Westland Alkmaar Emmen
Delft Venlo Deventer Sittard-Geleen Helmond Oss Amstelveen Hilversum Súdwest-Fryslân
Heerlen Hoofddorp Leeuwarden Purmerend Schiedam Lelystad Roosendaal Leidschendam-Voorburg
Gouda Vlaardingen Hoorn Bergen-op-Zoom Capelle-aan-den-IJssel Assen Veenendaal Katwijk
Zeist Nieuwegein Hardenberg Roermond Doetinchem Den-Helder Oosterhout Smallingerland
Barneveld Hengelo Gooise-Meren Heerhugowaard Kampen Waalwijk Spijkenisse Woerden Weert
Middelburg Vlissingen Goes Terneuzen Harderwijk Tiel Culemborg Meppel Steenwijkerland Sneek
""".split()
CITIES = [city.replace("-", " ") for city in CITIES]

THEMES = [
    "statushouders aan het werk",
    "werkgeversdienstverlening",
    "de banenafspraak",
    "jobcoaching",
    "objectief werven en selecteren",
    "stagediscriminatie",
    "leerwerktrajecten",
    "intensieve begeleiding",
    "taal op de werkvloer",
    "inburgering en werk",
    "loonkostensubsidie",
    "proefplaatsingen",
    "praktijkleren in het mbo",
    "anoniem solliciteren",
    "mentoring",
    "job carving",
    "werkervaringsplaatsen",
    "duale trajecten",
    "inclusief leiderschap",
    "diversiteitsbeleid",
    "onbewuste vooroordelen",
    "doorstroom naar vast werk",
    "re-integratie vanuit de WW",
    "de jongerenaanpak",
    "de Quickscan diversiteit",
    "een buddyprogramma",
    "werkfit-trajecten",
    "gesprekken aan de keukentafel",
    "de werkagenda VIA",
    "regionale werkgeversnetwerken",
]

ROLES = [
    "klantmanagers",
    "jobcoaches",
    "werkgevers in het mkb",
    "HR-adviseurs",
    "accountmanagers werkgeversdienstverlening",
    "beleidsmedewerkers",
    "docenten in het mbo",
    "stagebegeleiders",
    "casemanagers",
    "teamleiders",
    "coördinatoren",
    "consulenten van het UWV",
    "leidinggevenden",
    "praktijkopleiders",
    "taalcoaches",
]

GROUPS = [
    "statushouders",
    "jongeren met een migratieachtergrond",
    "mensen in de bijstand",
    "werkzoekenden vanuit de WW",
    "nieuwkomers",
    "mbo-studenten",
    "mensen met een arbeidsbeperking",
    "zij-instromers",
    "oudere werkzoekenden",
    "vrouwen met weinig werkervaring",
    "stagiairs",
]

SECTORS_NL = [
    "de zorg",
    "de techniek",
    "de bouw",
    "de logistiek",
    "de horeca",
    "de detailhandel",
    "de ICT",
    "de overheid",
    "het onderwijs",
    "de zakelijke dienstverlening",
    "de industrie",
    "de uitzendbranche",
]

OBSTACLES = [
    "de taaleis in vacatures te hoog ligt",
    "werkgevers vooral op de eerste indruk selecteren",
    "de caseload te groot is voor echte begeleiding",
    "stages voor sommige studenten moeilijker te vinden zijn",
    "regelingen per gemeente verschillen",
    "de uitstroom na de proefplaatsing stokt",
    "het contact met werkgevers te versnipperd is",
    "kandidaten afhaken tijdens de inburgering",
    "de reistijd naar het werk te lang is",
    "kinderopvang niet op tijd geregeld is",
    "diploma's uit het buitenland niet erkend worden",
    "teams weinig ervaring hebben met diversiteit",
    "de begeleiding na plaatsing te snel stopt",
    "werkgevers de weg naar de subsidie niet vinden",
]

RESULTS = [
    "meer mensen vonden binnen een jaar werk",
    "de uitval tijdens het traject halveerde",
    "werkgevers stelden vaker een vast contract voorop",
    "het aantal stageplaatsen groeide flink",
    "kandidaten voelden zich serieuzer genomen",
    "klantmanagers hadden meer tijd per persoon",
    "de samenwerking met het UWV werd eenvoudiger",
    "werkgevers kwamen zelf terug met nieuwe vacatures",
    "de doorlooptijd werd een stuk korter",
    "teams leerden van elkaars aanpak",
]

APPROACHES = [
    "een vaste contactpersoon voor de werkgever",
    "een werkproef van zes weken",
    "gestructureerde sollicitatiegesprekken met vaste vragen",
    "een jobcoach die ook na plaatsing blijft",
    "taalles op de werkvloer",
    "een regionaal werkgeversservicepunt",
    "een buddy uit het team",
    "een leerwerktraject met een mbo-certificaat",
    "anonieme cv's in de eerste ronde",
    "kleine caseloads van hooguit veertig mensen",
    "intervisie met collega-klantmanagers",
    "een meeloopdag bij de werkgever",
    "een matchingsdag met werkgevers uit de regio",
    "een gezamenlijke intake met het UWV",
]

TAGS = [
    "vraag",
    "knelpunt",
    "ervaring",
    "werkbezoek",
    "statushouders",
    "jobcoaching",
    "werkgeversdienstverlening",
    "banenafspraak",
    "taal",
    "stage",
    "selectie",
    "subsidie",
]

ADVERBS = ["goed", "verrassend goed", "beter dan verwacht", "nog wisselend", "prima", "redelijk"]

POST_TEMPLATES = [
    "Bij ons in {city} werken we sinds {year} met {approach}.",
    "Heeft iemand ervaring met {theme} voor {group}?",
    "Wij merken dat {obstacle}.",
    "Wat bij ons hielp: {approach}.",
    "Na een jaar is het resultaat duidelijk: {result}.",
    "Goede vraag! Wij combineren {theme} met {approach}, en dat werkt {adverb}.",
    "Voor {group} is {theme} echt een verschil.",
    "Ik ben benieuwd hoe andere gemeenten omgaan met {theme}.",
    "Onze {role} zeggen dat {obstacle}.",
    "Misschien is {approach} iets voor jullie?",
    "Dank voor het delen, dit nemen we mee naar ons team in {city}.",
    "In {sector} zien we vooral dat {obstacle}.",
    "De {role} bij ons zijn enthousiast over {theme}.",
    "We zijn gestart met {approach} en {result}.",
    "Herkenbaar: ook hier merken we dat {obstacle}.",
    "Kunnen we hier tijdens het volgende werkbezoek in {city} op doorpraten?",
    "Sinds we met {theme} werken, gaat het beter: {result}.",
    "Wie heeft een goed voorbeeld van {approach} in {sector}?",
    "Let wel op dat {obstacle}; dat kost anders veel tijd.",
    "Wij hebben de {role} getraind in {theme}.",
]

TOPIC_TITLES = [
    "Ervaringen met {theme} voor {group}?",
    "Knelpunt: {obstacle}",
    "Tips voor {theme} in {sector}",
    "Hoe regelen jullie {theme}?",
    "Werkbezoek {city}: {theme}",
    "Vraag over {approach}",
    "Wie werkt al met {approach}?",
    "{Theme} in {city}: wat werkt?",
    "Terugblik op {theme} met {role}",
    "Samenwerken met {role} rond {theme}",
]

PRACTICE_TITLES = [
    "{Approach} voor {group} in {city}",
    "{Theme}: {approach}",
    "Zo werkt {city} aan {theme}",
    "{Theme} met {role} in {sector}",
    "Van bijstand naar werk met {approach}",
]

EVENT_TITLES = {
    "bijeenkomst": ["Netwerkbijeenkomst {theme}", "Regiobijeenkomst {city}: {theme}"],
    "webinar": ["Webinar: {theme} in de praktijk", "Webinar: {approach}"],
    "werkbezoek": ["Werkbezoek {city}: {theme}", "Werkbezoek bij een werkgever in {sector}"],
    "training": ["Training {theme} voor {role}", "Training: {approach}"],
    "intervisie": ["Intervisie {role} {city}", "Intervisie: {theme}"],
}

COURSE_TITLES = [
    "{Theme} voor {role}",
    "Basiscursus {theme}",
    "Aan de slag met {approach}",
    "Verdieping: {theme} in {sector}",
]

STOPWORDS = set(
    """
    aan als bij dan dat de deze die dit door een en er ge het hij hoe in is je kan
    meer met naar niet nog of om onder ook op over te tot uit van veel voor wat we
    wel werd wij worden zijn zal ze zich zo zoals maar heb heeft hebben waar wordt
    daarnaast daarbij hiervoor daarvoor tussen binnen tijdens verschillende waarin
    waarmee hierbij hierin onder andere alleen steeds samen opnieuw bijvoorbeeld
    """.split()
)


NOUN_ENDINGS = ("ing", "heid", "iteit", "atie", "ties", "ders", "grond")
UNSUITABLE_TERMS = {"communities", "generatie", "vereniging", "rijksoverheid", "samenleving"}


def read_letter() -> str:
    for candidate in LETTER_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8", errors="replace")
    return ""


def letter_sentences(text: str) -> list[str]:
    """Whole sentences of the letter, de-hyphenated, without footnotes and headings."""
    text = re.sub(r"-\s*\n\s*", "", text)  # arbeids-\nmarkt -> arbeidsmarkt
    lines = [line for line in text.splitlines() if not re.match(r"^\s*\d+\s+\S", line)]
    # Paragraphs that do not end a sentence are headings: leave them out.
    paragraphs = [" ".join(p.split()) for p in "\n".join(lines).split("\n\n")]
    text = " ".join(p for p in paragraphs if p.endswith((".", "!", "?", ":")))
    sentences = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
        sentence = sentence.strip().replace("®", "").replace('"', "")
        words = sentence.split()
        if (
            7 <= len(words) <= 32
            and sentence.endswith(".")
            and not re.search(r"\d{3,}|[?’']\w|\w\?|[&<>]", sentence)
        ):
            sentences.append(sentence)
    return sentences


def letter_terms(text: str, limit: int = 150) -> list[str]:
    """The letter's most frequent long words: its vocabulary of the labour market."""
    text = re.sub(r"-\s*\n\s*", "", text)
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-zà-ÿ]{9,}", text.lower()):
        if word not in STOPWORDS:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    # Nouns of the domain only (begeleiding, diversiteit, stagediscriminatie, …).
    return [
        w
        for w in ranked
        if counts[w] >= 2 and w.endswith(NOUN_ENDINGS) and w not in UNSUITABLE_TERMS
    ][:limit]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class TextMaker:
    """Sentences, titles and names from one random.Random (deterministic per seed)."""

    def __init__(self, rng: random.Random, pool_size: int = 6000):
        self.rng = rng
        letter = read_letter()
        self.letter_sentences = letter_sentences(letter) or [
            "Iedereen verdient gelijkwaardige kansen op de arbeidsmarkt."
        ]
        terms = letter_terms(letter)
        # Letter words join the themes as "about {term}" topics, e.g. "stagediscriminatie".
        self.themes = THEMES + [t for t in terms if t not in " ".join(THEMES)][:40]
        self.pool = [self._sentence() for _ in range(pool_size)]

    def _fill(self, template: str) -> str:
        rng = self.rng
        theme = rng.choice(self.themes)
        approach = rng.choice(APPROACHES)
        values = {
            "city": rng.choice(CITIES),
            "year": rng.randint(2018, 2025),
            "approach": approach,
            "Approach": capitalise(approach),
            "theme": theme,
            "Theme": capitalise(theme),
            "group": rng.choice(GROUPS),
            "obstacle": rng.choice(OBSTACLES),
            "result": rng.choice(RESULTS),
            "role": rng.choice(ROLES),
            "sector": rng.choice(SECTORS_NL),
            "adverb": rng.choice(ADVERBS),
        }
        return template.format(**values)

    def _sentence(self) -> str:
        if self.rng.random() < 0.12:
            return self.rng.choice(self.letter_sentences)
        return capitalise(self._fill(self.rng.choice(POST_TEMPLATES)))

    # Pieces ----------------------------------------------------------------------------

    def sentences(self, low: int, high: int) -> str:
        pool, rng = self.pool, self.rng
        return " ".join(pool[int(rng.random() * len(pool))] for _ in range(rng.randint(low, high)))

    def paragraphs(self, low: int, high: int, sentences=(1, 3)) -> list[str]:
        return [self.sentences(*sentences) for _ in range(self.rng.randint(low, high))]

    @staticmethod
    def html(paragraphs: list[str]) -> str:
        """Rich text as Wagtail's editor stores it (no entities: the text has none)."""
        return "".join(f"<p>{p}</p>" for p in paragraphs)

    def bullet_html(self, count: int) -> str:
        items = "".join(f"<li>{self.sentences(1, 1)}</li>" for _ in range(count))
        return f"<ul>{items}</ul>"

    def topic_title(self) -> str:
        return capitalise(self._fill(self.rng.choice(TOPIC_TITLES)))[:200]

    def practice_title(self) -> str:
        return capitalise(self._fill(self.rng.choice(PRACTICE_TITLES)))[:250]

    def event_title(self, event_type: str) -> str:
        return capitalise(self._fill(self.rng.choice(EVENT_TITLES[event_type])))[:250]

    def course_title(self) -> str:
        return capitalise(self._fill(self.rng.choice(COURSE_TITLES)))[:250]

    def fill(self, template: str) -> str:
        return self._fill(template)
