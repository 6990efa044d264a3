"""Demo content for the forums, drawn from the VIA progress letter (Tweede Kamer 29 544,
nr. 1226): knelpunten, questions with accepted answers, experiences and werkbezoeken in
the demo communities, and discussions under a few practices in the kennisbank.

The conversations are illustrative; the people besides the demo accounts are made up
(they cannot log in). Rows are written directly, with timestamps spread over the past
weeks: no rate limit applies and nobody is notified of demo content. `seed_forums` only
adds what is missing (topics by community and title, discussions by practice), so
running the demo seed again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from via_platform.accounts.models import LabourMarketRegion, Profile
from via_platform.communities.models import CommunityPage, Membership, MembershipState, Role
from via_platform.forums import services
from via_platform.forums.models import (
    Flag,
    FlagReason,
    ModerationAction,
    ModerationLog,
    Post,
    ReadState,
    Topic,
    Watch,
    WatchLevel,
)
from via_platform.library.models import PracticePage
from via_platform.organisations.models import Organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The demo accounts (via_platform/demo/content.py) by a short key.
ACCOUNTS = {
    "bea": "beheer@voorbeeld.nl",
    "ruben": "redacteur@voorbeeld.nl",
    "coby": "coordinator@voorbeeld.nl",
    "karim": "klantmanager@voorbeeld.nl",
    "wendy": "werkgever@voorbeeld.nl",
}


@dataclass(frozen=True)
class DemoPerson:
    """A member who takes part in the forums (no password: nobody logs in as them)."""

    key: str
    email: str
    first_name: str
    last_name: str
    function: str
    sector: str
    region: str
    organisation: str
    bio: str
    communities: tuple[str, ...]


PEOPLE = (
    DemoPerson(
        "anouk", "a.deboer@voorbeeld.nl", "Anouk", "de Boer", "klantmanager", "overheid",
        "Midden-Utrecht", "Gemeente Utrecht",
        "Klantmanager bij team Werk. Begeleid nieuwkomers en mensen die lang in de bijstand "
        "zitten.",
        ("intensieve-begeleiding", "leerwerktrajecten-statushouders", "mkb-zorg-en-welzijn"),
    ),
    DemoPerson(
        "mehmet", "m.kaya@voorbeeld.nl", "Mehmet", "Kaya", "klantmanager", "overheid",
        "Midden-Brabant", "Gemeente Tilburg",
        "Jobcoach en klantmanager. Werkfit-trajecten en nazorg na plaatsing.",
        ("intensieve-begeleiding", "leerwerktrajecten-statushouders"),
    ),
    DemoPerson(
        "lotte", "l.vermeulen@voorbeeld.nl", "Lotte", "Vermeulen", "beleidsmedewerker",
        "overheid", "Groot Amsterdam", "Gemeente Amsterdam",
        "Beleidsadviseur werk en inkomen; trekker van de pilot intensieve begeleiding.",
        ("intensieve-begeleiding", "tegen-stagediscriminatie"),
    ),
    DemoPerson(
        "youssef", "y.benali@voorbeeld.nl", "Youssef", "Benali", "klantmanager", "overheid",
        "Rijnmond", "Gemeente Rotterdam",
        "Accountmanager werkgeversdienstverlening. Koppel werkgevers aan kandidaten.",
        ("intensieve-begeleiding", "mkb-techniek-en-installatie", "regio-rotterdam"),
    ),
    DemoPerson(
        "daan", "d.hoogland@voorbeeld.nl", "Daan", "Hoogland", "manager", "overheid",
        "Regio Zwolle", "Gemeente Zwolle",
        "Teamleider Werk bij de gemeente Zwolle.",
        ("intensieve-begeleiding", "leerwerktrajecten-statushouders",
         "mkb-techniek-en-installatie"),
    ),
    DemoPerson(
        "esther", "e.vanrijn@voorbeeld.nl", "Esther", "van Rijn", "anders", "overheid",
        "Midden-Utrecht", "Movisie",
        "Trainer van Inclusief begeleiden, de training voor klantmanagers.",
        ("intensieve-begeleiding", "leerwerktrajecten-statushouders"),
    ),
    DemoPerson(
        "ingrid", "i.postma@voorbeeld.nl", "Ingrid", "Postma", "werkgever", "zorg",
        "Midden-Utrecht", "Zorggroep De Linde",
        "Recruiter in de ouderenzorg. Werft met een anonieme eerste selectie.",
        ("mkb-zorg-en-welzijn",),
    ),
    DemoPerson(
        "thomas", "t.willems@voorbeeld.nl", "Thomas", "Willems", "werkgever", "logistiek",
        "Rijnmond", "Logistiek Centrum Waalhaven",
        "Operationeel manager. We leiden orderpickers op met een baangarantie.",
        ("leerwerktrajecten-statushouders", "regio-rotterdam"),
    ),
    DemoPerson(
        "hanan", "h.ouali@voorbeeld.nl", "Hanan", "Ouali", "docent", "onderwijs",
        "Midden-Utrecht", "ROC Midden Nederland",
        "Bpv-coördinator zorg en welzijn. Zorgt dat iedere student een goede stage krijgt.",
        ("tegen-stagediscriminatie", "mkb-zorg-en-welzijn"),
    ),
    DemoPerson(
        "ayla", "a.demir@voorbeeld.nl", "Ayla", "Demir", "werkgever", "horeca",
        "Midden-Brabant", "Bakkerij Yilmaz & Zn.",
        "Bedrijfsleider en praktijkopleider in onze familiebakkerij.",
        ("leerwerktrajecten-statushouders",),
    ),
    DemoPerson(
        "bram", "b.koning@voorbeeld.nl", "Bram", "Koning", "werkgever", "techniek",
        "Regio Zwolle", "Installatiebedrijf Van Dijk",
        "Werkvoorbereider en leermeester voor de monteurs in opleiding.",
        ("mkb-techniek-en-installatie", "tegen-stagediscriminatie"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Reply:
    author: str  # a key of ACCOUNTS or PEOPLE
    after: float  # hours after the topic was started
    body: str
    accepted: bool = False
    to: int | None = None  # the number of the post it answers
    flag: tuple[str, str, str] | None = None  # (reporter, FlagReason, note), still open


@dataclass(frozen=True)
class DemoTopic:
    community: str
    title: str
    author: str
    days_ago: int
    body: str
    tags: tuple[str, ...] = ()
    question: bool = False
    pinned: str = ""  # the moderator who pinned it
    closed: tuple[str, str] | None = None  # (moderator, reason)
    replies: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class DemoDiscussion:
    practice: str  # the slug of a demo practice
    days_ago: int
    posts: tuple[Reply, ...]  # the first one's `after` is 0


IB = "intensieve-begeleiding"
LWT = "leerwerktrajecten-statushouders"
TECH = "mkb-techniek-en-installatie"
ZORG = "mkb-zorg-en-welzijn"
ROTTERDAM = "regio-rotterdam"
STAGE = "tegen-stagediscriminatie"
TASKFORCE = "taskforce-via-coordinatoren"

# "{@karim}" in a text becomes the person's @handle.
TOPICS = (
    # Lerend netwerk Intensieve begeleiding ---------------------------------------------
    DemoTopic(
        IB, "Welkom! Zo gebruiken we dit forum", "coby", 70,
        "Fijn dat je er bent. In dit forum delen we wat werkt bij intensieve begeleiding "
        "van mensen met een migratieachtergrond vanuit de bijstand.\n\n"
        "- Stel je voor in een reactie hieronder: gemeente, rol en waar je mee bezig bent.\n"
        "- Gebruik de labels **knelpunt**, **vraag**, **ervaring** en **werkbezoek**.\n"
        "- Markeer een vraag als vraag; wie vroeg, kiest het antwoord dat hielp.\n\n"
        "> Deel nooit namen of andere gegevens van klanten. Beschrijf een casus zo dat "
        "niemand te herkennen is.",
        tags=("welkom",), pinned="coby",
        replies=(
            Reply("anouk", 3, "Hoi allemaal! Anouk, klantmanager in Utrecht. Ik begeleid "
                  "vooral nieuwkomers en wil graag leren hoe andere gemeenten de caseload "
                  "klein houden."),
            Reply("mehmet", 20, "Mehmet uit Tilburg, jobcoach en klantmanager. Ik doe veel "
                  "met werkfit-trajecten en nazorg na plaatsing."),
            Reply("youssef", 27, "Youssef, werkgeversdienstverlening Rotterdam. Ik kijk "
                  "vooral van de werkgeverskant mee: wat hebben bedrijven nodig om iemand "
                  "een kans te geven?"),
            Reply("daan", 50, "Daan, teamleider Werk in Zwolle. Wij doen mee aan de pilot "
                  "met kleinere caseloads; ik deel graag onze cijfers."),
        ),
    ),
    DemoTopic(
        IB, "Hoe groot is jullie caseload bij intensieve begeleiding?", "anouk", 58,
        "Bij ons heeft een klantmanager nu zo'n 110 klanten, waarvan een deel al jaren in "
        "de bijstand zit. Voor intensieve begeleiding willen we naar een kleinere caseload, "
        "maar het management vraagt wat dat oplevert.\n\n"
        "Hoeveel mensen begeleiden jullie per klantmanager, en hoe hebben jullie het "
        "verschil onderbouwd?",
        tags=("vraag", "caseload"), question=True,
        replies=(
            Reply("daan", 4, "In Zwolle werken vier klantmanagers met maximaal **40** "
                  "mensen. We vergeleken na een jaar met een gewone caseload: twee keer zo "
                  "veel mensen aan het werk, en minder uitval in de eerste drie maanden. "
                  "Die vergelijking overtuigde ons college.", accepted=True),
            Reply("mehmet", 9, "Tilburg zit op 35 tot 45, afhankelijk van hoeveel nazorg "
                  "iemand nodig heeft. Tip: reken ook de besparing op uitkeringen mee, dat "
                  "spreekt een wethouder aan."),
            Reply("lotte", 30, "In de Amsterdamse pilot 25 per klantmanager. Onderzoek naar "
                  "de VIA-pilots laat zien dat intensievere begeleiding met maatwerk helpt; "
                  "zie de praktijk *Intensieve begeleiding met een kleine caseload* in de "
                  "kennisbank."),
            Reply("anouk", 52, "Dank jullie wel! {@daan}, mag ik je vergelijking gebruiken "
                  "in mijn notitie voor het MT?", to=2),
            Reply("daan", 55, "Natuurlijk, ik stuur je het overzicht via de mail."),
        ),
    ),
    DemoTopic(
        IB, "Knelpunt: wachtlijst voor taalles remt het werkfit-traject", "mehmet", 45,
        "Een aantal klanten is klaar voor een werkfit-traject, maar moet eerst een taalcursus "
        "op niveau A2. De wachtlijst is nu vier maanden. In die tijd zakt de motivatie weg.\n\n"
        "Hoe lossen jullie dit op? Starten jullie toch al met werk?",
        tags=("knelpunt", "taal", "werkfit"),
        replies=(
            Reply("esther", 6, "In de training *Inclusief begeleiden* bespreken we juist "
                  "dit: taal leren **op de werkvloer** werkt vaak beter dan eerst in een "
                  "klaslokaal. Begin met werk en een taalmaatje, en plan de les ernaast."),
            Reply("youssef", 22, "Wij combineren een proefplaatsing van twee dagen met een "
                  "taalcoach die meegaat naar de werkgever. De werkgever hoeft dan niet alles "
                  "zelf op te vangen."),
            Reply("coby", 48, "Goed punt voor de volgende intervisie. {@mehmet}, wil je de "
                  "casus dan kort inbrengen?"),
            Reply("mehmet", 60, "Doe ik, {@coby}."),
        ),
    ),
    DemoTopic(
        IB, "Ervaring: het eerste gesprek aan de keukentafel", "youssef", 40,
        "Sinds een half jaar voeren we het eerste gesprek bij mensen thuis of in het "
        "buurthuis in plaats van op het Werkplein. Wat we merken:\n\n"
        "1. Mensen vertellen meer over wat ze kunnen en willen.\n"
        "2. We zien eerder wat er thuis speelt (mantelzorg, schulden, kinderopvang).\n"
        "3. Minder no-shows bij het tweede gesprek.\n\n"
        "Nadeel: het kost meer reistijd. Wie heeft hier ook ervaring mee?",
        tags=("ervaring", "eerste gesprek"),
        replies=(
            Reply("anouk", 5, "Herkenbaar. Wij doen het alleen bij mensen die al lang in "
                  "de bijstand zitten; dan is het de reistijd zeker waard."),
            Reply("lotte", 26, "In Amsterdam is dit inmiddels een praktijk in de kennisbank "
                  "geworden. De no-shows daalden daar ook flink."),
        ),
    ),
    DemoTopic(
        IB, "Wie heeft de training Inclusief begeleiden al gevolgd?", "lotte", 35,
        "Movisie heeft de training *Inclusief begeleiden* voor klantmanagers, met online en "
        "fysieke modules. We willen hem in Amsterdam voor twee teams inplannen. Hoeveel "
        "tijd kost het, en werkt de combinatie van online en fysiek?",
        tags=("vraag", "training"), question=True,
        replies=(
            Reply("esther", 3, "Ik ben een van de trainers, dus ik ben niet helemaal "
                  "objectief. :) Reken op vier online modules van een uur en twee fysieke "
                  "bijeenkomsten van een dagdeel. De fysieke delen gaan over je eigen "
                  "casuïstiek en vooroordelen; die werken het best met het hele team "
                  "tegelijk. De training is gratis voor gemeenten.", accepted=True),
            Reply("anouk", 8, "Wij hebben hem in het voorjaar gevolgd. Het gesprek over "
                  "onbewuste vooroordelen was confronterend maar waardevol."),
        ),
    ),
    DemoTopic(
        IB, "Verslag werkbezoek: het Werkplein in Zwolle", "coby", 28,
        "Vorige week waren we met twaalf deelnemers te gast bij het Werkplein in Zwolle. "
        "{@daan} en zijn team lieten zien hoe zij werken met een kleine caseload en vaste "
        "contactpersonen bij werkgevers.\n\n"
        "**Wat ons opviel**\n\n"
        "- Klantmanagers hebben ruimte om mee te gaan naar de eerste werkdag.\n"
        "- Elke werkgever heeft één vast aanspreekpunt bij de gemeente.\n"
        "- Nazorg loopt door tot zes maanden na plaatsing.\n\n"
        "Wat nemen jullie mee naar je eigen gemeente?",
        tags=("werkbezoek", "verslag"),
        replies=(
            Reply("mehmet", 5, "Het vaste aanspreekpunt voor werkgevers. Bij ons bellen "
                  "werkgevers soms met drie verschillende collega's."),
            Reply("daan", 7, "Dank voor jullie komst! Vragen over de opzet kunnen altijd "
                  "hier in het forum."),
            Reply("ruben", 30, "Ik heb de presentatie van Zwolle in de kennisbank gezet, "
                  "bij de praktijk over werkbezoeken."),
        ),
    ),
    DemoTopic(
        IB, "Quickscan diversiteit: op welk niveau vullen jullie hem in?", "daan", 21,
        "De quickscan diversiteit kun je invullen als klantmanager, beleidsmedewerker of "
        "manager. Vullen jullie hem alle drie in, of kies je één niveau?",
        tags=("vraag", "quickscan"), question=True,
        replies=(
            Reply("coby", 6, "Het meeste haal je eruit als **alle drie** de niveaus hem "
                  "invullen en je de uitkomsten naast elkaar legt. De verschillen tussen "
                  "hoe een manager en een klantmanager de dienstverlening zien, zijn vaak het "
                  "beste gespreksonderwerp.", accepted=True),
            Reply("lotte", 28, "Eens met Coby. Wij plannen na het invullen een teamgesprek "
                  "van een uur met het advies erbij."),
        ),
    ),
    DemoTopic(
        IB, "Klanten haken af na drie maanden werk: hoe houden jullie contact?", "anouk", 14,
        "We zien dat een deel van de mensen die we plaatsen na een paar maanden weer "
        "uitvalt: een tijdelijk contract dat niet verlengd wordt, of problemen op de "
        "werkvloer die niemand op tijd ziet. Hoe regelen jullie de nazorg?",
        tags=("knelpunt", "nazorg", "duurzaam werk"),
        replies=(
            Reply("mehmet", 4, "Wij bellen in de eerste zes weken elke week, daarna elke "
                  "maand. En we spreken vooraf met de werkgever af wie wat doet als het "
                  "misgaat."),
            Reply("daan", 23, "Duurzaam werk begint bij de match. Wij kijken bij flexibele "
                  "contracten vooraf samen met de werkgever naar een route naar een vast "
                  "contract."),
            Reply("lotte", 27, "Dit is ook een aanbeveling uit het Risbo-onderzoek naar "
                  "buitenlandse interventies: meer aandacht voor duurzaam werk in plaats van "
                  "zo snel mogelijk plaatsen.", flag=None),
            Reply("mehmet", 50, "Voorbeeld van vorige week: mevrouw H. uit Tilburg-Noord, "
                  "52 jaar, werkt sinds maart bij de kringloop aan de Ringbaan. Haar contract "
                  "werd niet verlengd en niemand van ons wist het.",
                  flag=("lotte", FlagReason.PRIVACY,
                        "Hier staan gegevens waarmee een klant te herkennen is.")),
        ),
    ),
    DemoTopic(
        IB, "Intervisie 12 maart: agenda en aanmelden", "coby", 62,
        "De intervisie van 12 maart gaat over *vooroordelen in het eerste gesprek*. We "
        "werken met twee casussen uit het netwerk. Meld je aan via de agenda; reageer hier "
        "als je een casus wilt inbrengen.",
        tags=("intervisie",), closed=("coby", "De bijeenkomst is geweest; het verslag "
                                       "staat in de kennisbank."),
        replies=(
            Reply("anouk", 26, "Ik breng een casus in over een klant die een baan weigerde "
                  "om religieuze redenen. Benieuwd hoe anderen daarmee omgaan."),
            Reply("youssef", 30, "Ik ben erbij!"),
        ),
    ),
    # Lerend netwerk Leerwerktrajecten statushouders -------------------------------------
    DemoTopic(
        LWT, "Inburgering en een leerwerktraject: hoeveel uur per week is haalbaar?",
        "karim", 55,
        "Een statushouder die ik begeleid wil graag aan de slag als monteur, maar zit ook "
        "midden in de inburgering. Hoeveel uur werk en opleiding per week is realistisch "
        "naast de taalles?",
        tags=("vraag", "statushouders", "inburgering"), question=True,
        replies=(
            Reply("anouk", 5, "Wij beginnen met 16 uur per week en bouwen na drie maanden "
                  "op. Meer dan 24 uur naast de inburgering lukt bijna niemand."),
            Reply("mehmet", 8, "In Tilburg: **twee dagen werken, één dag leren, twee dagen "
                  "taal**. De taaldocent stemt de woordenlijst af op het vak. Zo versterken "
                  "werk en taal elkaar in plaats van dat ze concurreren.", accepted=True),
            Reply("ayla", 30, "Vanuit de werkgever: begin liever met minder uren en houd "
                  "dat vol. Bij ons liep het mis toen we te snel naar vier dagen gingen."),
            Reply("karim", 52, "Dank! Ik ga het schema van {@mehmet} voorstellen aan de "
                  "leerwerkcoach.", to=3),
        ),
    ),
    DemoTopic(
        LWT, "Ervaring: twee leerwerkplekken in onze bakkerij", "ayla", 48,
        "Ieder jaar leiden we twee statushouders op tot brood- en banketbakker, met een "
        "praktijkopleider en een taalmaatje uit ons team. Wat werkte:\n\n"
        "- een vaste werkplek naast dezelfde collega;\n"
        "- recepten met foto's en de Nederlandse vaktermen erbij;\n"
        "- om 5 uur beginnen pas na de eerste maand.\n\n"
        "Vragen zijn welkom.",
        tags=("ervaring", "leerwerkplek", "mkb"),
        replies=(
            Reply("karim", 4, "Mooi! Hoe vinden jullie de kandidaten: via de gemeente of "
                  "zelf?"),
            Reply("ayla", 6, "Via de gemeente Tilburg. {@mehmet} stelt ons voor aan "
                  "kandidaten en we doen een meeloopdag in plaats van een gesprek.", to=2),
            Reply("coby", 28, "Wil je dit ook als praktijk in de kennisbank zetten? Dan kan "
                  "ik helpen met de beschrijving."),
        ),
    ),
    DemoTopic(
        LWT, "Knelpunt: diplomawaardering duurt maanden", "anouk", 42,
        "Hoger opgeleide statushouders wachten lang op de waardering van hun diploma. In de "
        "tussentijd werken ze onder hun niveau, en daarna komen ze er moeilijk nog uit. "
        "Hoe gaan jullie hiermee om?",
        tags=("knelpunt", "diplomawaardering", "statushouders"),
        replies=(
            Reply("esther", 10, "Vraag de waardering zo vroeg mogelijk aan, al tijdens de "
                  "inburgering. Het UAF helpt hoger opgeleide vluchtelingen hierbij."),
            Reply("karim", 26, "Wij zoeken intussen werk dat in de buurt van het vak ligt: "
                  "een ingenieur als werkvoorbereider in plaats van in de productie."),
            Reply("daan", 70, "Zwolle maakt hier nu afspraken over met de regionale "
                  "werkgevers. Ik houd jullie op de hoogte."),
        ),
    ),
    DemoTopic(
        LWT, "Werkbezoek Logistiek Centrum Waalhaven: orderpicken met een taalcoach",
        "karim", 33,
        "Met zes klantmanagers bezochten we Logistiek Centrum Waalhaven. Kandidaten volgen "
        "daar een opleiding tot orderpicker met een **baangarantie** na afloop. Een "
        "taalcoach loopt de eerste weken mee op de vloer.\n\n"
        "Met dank aan {@thomas} voor de rondleiding!",
        tags=("werkbezoek", "logistiek", "baangarantie"),
        replies=(
            Reply("thomas", 3, "Graag gedaan. Van de laatste groep van twaalf werken er nu "
                  "tien nog bij ons, zeven met een vast contract."),
            Reply("mehmet", 24, "Indrukwekkend. Hoe lang duurt de opleiding?"),
            Reply("thomas", 26, "Acht weken, waarvan de eerste twee op een oefenvloer.",
                  to=3),
        ),
    ),
    DemoTopic(
        LWT, "Reiskosten en kinderopvang tijdens een leerwerktraject: wie betaalt?",
        "daan", 25,
        "Een kandidaat kan niet beginnen omdat de kinderopvang niet geregeld is en de "
        "reiskosten naar de werkgever hoog zijn. Hoe regelen andere gemeenten dit?",
        tags=("vraag", "kinderopvang", "statushouders"), question=True,
        replies=(
            Reply("karim", 5, "Rotterdam vergoedt de reiskosten vanuit het participatie"
                  "budget, de eerste drie maanden volledig."),
            Reply("coby", 9, "De meeste gemeenten in het netwerk betalen reiskosten en "
                  "kinderopvang uit het **re-integratiebudget** zolang iemand nog een "
                  "uitkering heeft. Het plan van aanpak *Statushouders aan het werk* noemt "
                  "dit als belemmering die weg moet; de Regionale Mobiliteitsteams kunnen "
                  "meedenken.", accepted=True),
        ),
    ),
    DemoTopic(
        LWT, "Gezocht: jobcoach die Tigrinya of Arabisch spreekt", "mehmet", 9,
        "Voor twee kandidaten in een leerwerktraject zoek ik een jobcoach die Tigrinya of "
        "Arabisch spreekt, in de regio Midden-Brabant. Tips?",
        tags=("vraag", "jobcoaching"), question=True,
        replies=(
            Reply("esther", 20, "Vraag ook eens bij VluchtelingenWerk in je regio; zij "
                  "werken met getrainde vrijwilligers als taalmaatje."),
        ),
    ),
    DemoTopic(
        LWT, "Statushouders aan het werk: wat merken jullie van het plan van aanpak?",
        "coby", 5,
        "Het plan van aanpak *Statushouders aan het werk* heeft extra geld vrijgemaakt. "
        "Merken jullie daar al iets van in de regio?",
        tags=("beleid", "statushouders"),
        replies=(
            Reply("karim", 6, "In Rijnmond is een extra leerwerkcoach aangenomen via het "
                  "mobiliteitsteam. Nog vroeg, maar hoopgevend."),
            Reply("anouk", 25, "In Utrecht nog niet veel. Ik hoor graag hoe Rotterdam het "
                  "heeft aangevraagd, {@karim}."),
        ),
    ),
    # Community of practice mkb Techniek en installatie ----------------------------------
    DemoTopic(
        TECH, "Werkproef in plaats van sollicitatiegesprek: onze vaste vragen", "wendy", 50,
        "Bij Installatiebedrijf Van Dijk vervingen we het sollicitatiegesprek door een "
        "werkproef van een halve dag. Iedere kandidaat krijgt dezelfde opdrachten en "
        "dezelfde vragen, en twee collega's scoren los van elkaar.\n\n"
        "Onze vaste vragen staan in de handreiking bij de praktijk. Hoe doen jullie dat?",
        tags=("ervaring", "objectief werven"),
        replies=(
            Reply("bram", 4, "Als leermeester doe ik de werkproeven. Het grootste verschil: "
                  "we praten niet meer over *klik*, maar over wat iemand laat zien."),
            Reply("youssef", 22, "Mooi voorbeeld voor werkgevers die twijfelen. Mag ik "
                  "kandidaten uit Rotterdam ook naar jullie werkproef sturen?"),
            Reply("wendy", 25, "Zeker, {@youssef}. Neem contact op voor een datum.", to=3),
        ),
    ),
    DemoTopic(
        TECH, "Hoe beoordeel je een monteur zonder Nederlands diploma?", "bram", 39,
        "We hebben een kandidaat die in Syrië jaren als elektricien werkte, maar geen "
        "Nederlands diploma heeft. Hoe beoordelen jullie vakmanschap zonder papieren?",
        tags=("vraag", "objectief werven", "diploma"), question=True,
        replies=(
            Reply("wendy", 3, "Laat het zien in een **werkproef** met vaste criteria, "
                  "precies zoals bij andere kandidaten. Daarna kan een EVC-traject het "
                  "vakmanschap officieel maken.", accepted=True),
            Reply("youssef", 6, "De gemeente kan een EVC-traject soms vergoeden. Vraag het "
                  "na bij de werkgeversdienstverlening."),
            Reply("bram", 28, "Gedaan: hij is vorige week begonnen. Dank!"),
        ),
    ),
    DemoTopic(
        TECH, "Vacaturetekst: welke eisen kunnen eruit?", "youssef", 27,
        "Werkgevers vragen vaak 'vloeiend Nederlands' en 'rijbewijs B' voor monteurs, ook "
        "waar dat niet nodig is. Welke eisen hebben jullie geschrapt zonder dat het werk "
        "eronder leed?",
        tags=("vraag", "vacaturetekst"), question=True,
        replies=(
            Reply("wendy", 5, "'Vloeiend Nederlands' werd bij ons 'kan veiligheids"
                  "instructies begrijpen'. En het rijbewijs is alleen nodig voor wie alleen "
                  "op pad gaat."),
            Reply("bram", 20, "Ook 'past in ons team' hebben we eruit gehaald. Dat zegt "
                  "niets en schrikt af."),
        ),
    ),
    DemoTopic(
        TECH, "Knelpunt: het VCA-examen is alleen in het Nederlands", "bram", 19,
        "Goede kandidaten zakken voor VCA door de taal van het examen, niet door gebrek aan "
        "kennis van veiligheid. Kennen jullie een oplossing?",
        tags=("knelpunt", "taal", "veiligheid"),
        replies=(
            Reply("youssef", 4, "Er zijn examencentra die VCA met een voorleesfunctie of in "
                  "eenvoudige taal afnemen. Vraag ernaar bij je opleider."),
            Reply("wendy", 26, "Wij laten kandidaten de oefenexamens samen met een collega "
                  "doen. Het slagingspercentage ging flink omhoog."),
            Reply("daan", 30, "Goed om mee te nemen naar het regionale overleg met de "
                  "opleiders in Zwolle."),
        ),
    ),
    DemoTopic(
        TECH, "Rolmodel gezocht voor de regiobijeenkomst in Zwolle", "ruben", 11,
        "Voor de regiobijeenkomst over objectief werven zoeken we een werkgever die in tien "
        "minuten vertelt wat het opleverde. {@wendy}, zou jij dat willen doen?",
        tags=("rolmodel", "bijeenkomst"),
        replies=(
            Reply("wendy", 2, "Graag! Ik neem {@bram} mee, die kan vertellen hoe de "
                  "werkproeven in de praktijk gaan."),
            Reply("bram", 5, "Ik ben erbij."),
        ),
    ),
    DemoTopic(
        TECH, "Werkbezoek Installatiebedrijf Van Dijk: wie gaat er mee?", "ruben", 3,
        "Op uitnodiging van Wendy organiseren we een werkbezoek aan Installatiebedrijf Van "
        "Dijk in Zwolle. Je ziet een werkproef en praat met monteurs in opleiding. "
        "Reageer hier als je mee wilt.",
        tags=("werkbezoek",),
        replies=(
            Reply("youssef", 3, "Ik ga graag mee, en neem een collega van het Werkgevers"
                  "servicepunt mee."),
            Reply("daan", 20, "Zwolle is dichtbij: ik kom ook."),
        ),
    ),
    # Community of practice mkb Zorg en welzijn ------------------------------------------
    DemoTopic(
        ZORG, "Anonieme eerste selectie: een jaar later", "ingrid", 44,
        "Een jaar geleden begonnen we bij Zorggroep De Linde met anoniem selecteren: de "
        "eerste selectie gebeurt zonder naam, foto en geboortedatum. De balans:\n\n"
        "- de instroom is diverser geworden;\n"
        "- het verloop in het eerste jaar daalde;\n"
        "- de extra tijd viel mee na een paar weken wennen.\n\n"
        "Wie overweegt het ook?",
        tags=("ervaring", "objectief werven"),
        replies=(
            Reply("anouk", 7, "Interessant! Sturen jullie kandidaten van de gemeente dan "
                  "ook via dezelfde route?"),
            Reply("ingrid", 9, "Ja, iedereen gaat door dezelfde selectie. Dat vinden "
                  "kandidaten zelf ook eerlijker.", to=2),
            Reply("ruben", 30, "De aanpak staat als praktijk in de kennisbank, met de "
                  "beoordelingsformulieren als download."),
        ),
    ),
    DemoTopic(
        ZORG, "Duaal traject helpende zorg: wie begeleidt op de werkvloer?", "anouk", 30,
        "We willen met een zorgorganisatie een duaal traject helpende zorg opzetten voor "
        "statushouders. Wie begeleidt de deelnemers op de werkvloer: een werkbegeleider, "
        "een jobcoach, of allebei?",
        tags=("vraag", "zorg", "jobcoaching"), question=True,
        replies=(
            Reply("ingrid", 4, "Bij ons allebei: een **werkbegeleider** uit het team voor "
                  "het vak, en een **jobcoach** van de gemeente voor alles eromheen. Spreek "
                  "vooraf af wie waarvoor is, anders vallen dingen tussen wal en schip.",
                  accepted=True),
            Reply("hanan", 24, "Vanuit school: betrek ook de bpv-docent, dan sluit het "
                  "leren op school aan bij wat ze op de afdeling doen."),
        ),
    ),
    DemoTopic(
        ZORG, "Studenten met een hoofddoek krijgen minder vaak een stageplek", "hanan", 16,
        "Ik zie het elk jaar: studentes met een hoofddoek moeten vaker solliciteren voor een "
        "stage in de zorg. Organisaties zeggen het nooit hardop, maar de cijfers liegen "
        "niet. Hoe pakken jullie dit aan als zorgorganisatie?",
        tags=("knelpunt", "stagediscriminatie"),
        replies=(
            Reply("ingrid", 6, "Wij hebben afgesproken dat we stagiairs op dezelfde "
                  "objectieve manier selecteren als medewerkers. En de kledingregels staan "
                  "op papier, zodat niemand zelf iets verzint."),
            Reply("ruben", 26, "De toolbox en checklist stagediscriminatie helpen hier. "
                  "Misschien ook iets voor het netwerk tegen stagediscriminatie?"),
        ),
    ),
    # Regionaal netwerk Rotterdam inclusief ----------------------------------------------
    DemoTopic(
        ROTTERDAM, "Verslag werkbezoek 010-Inclusief in de haven", "coby", 37,
        "Met werkgevers uit het regionale netwerk 010-Inclusief bezochten we de haven. Drie "
        "bedrijven vertelden hoe ze mensen zonder ervaring opleiden, met een buddy uit het "
        "team.\n\nDe presentaties volgen in de kennisbank.",
        tags=("werkbezoek", "regio"),
        replies=(
            Reply("thomas", 5, "Dank voor de organisatie! Voor wie het gemist heeft: de "
                  "volgende groep bij ons begint in september."),
            Reply("karim", 25, "Ik heb drie kandidaten die interesse hebben. {@thomas}, "
                  "mag ik ze aanmelden?"),
            Reply("thomas", 29, "Graag, stuur ze naar ons aanmeldformulier.", to=3),
        ),
    ),
    DemoTopic(
        ROTTERDAM, "Welke werkgevers in Rijnmond bieden een baangarantie?", "karim", 23,
        "Voor mijn kandidaten zoek ik opleidingen die eindigen met een baangarantie. Welke "
        "werkgevers in de regio doen dat?",
        tags=("vraag", "baangarantie"), question=True,
        replies=(
            Reply("youssef", 4, "Via de werkgeversdienstverlening hebben we er nu vijf: "
                  "twee in de logistiek, een in de bouw, een schoonmaakbedrijf en een "
                  "zorgorganisatie. Ik stuur je de lijst. Ze staan ook in ons overzicht van "
                  "leerwerkbanen.", accepted=True),
            Reply("thomas", 8, "Logistiek Centrum Waalhaven is er een van."),
        ),
    ),
    DemoTopic(
        ROTTERDAM, "Netwerkontbijt werkgevers Rijnmond: wie schuift aan?", "youssef", 2,
        "Volgende maand organiseren we een netwerkontbijt voor werkgevers die willen "
        "beginnen met objectief werven. Kennen jullie werkgevers die we moeten uitnodigen?",
        tags=("netwerk", "mkb"),
        replies=(
            Reply("coby", 4, "Nodig ook de rolmodellen uit de community Techniek en "
                  "installatie uit; werkgevers luisteren het best naar elkaar."),
        ),
    ),
    # Netwerk tegen stagediscriminatie ---------------------------------------------------
    DemoTopic(
        STAGE, "Hoe laten jullie studenten stagediscriminatie melden?", "hanan", 34,
        "Studenten melden stagediscriminatie bijna nooit. Ze weten niet waar, of denken dat "
        "het niets uitmaakt. Hoe hebben jullie het melden ingericht?",
        tags=("vraag", "melden"), question=True,
        replies=(
            Reply("lotte", 5, "Het onderzoek van het Verwey-Jonker Instituut geeft goede "
                  "handvatten: studenten willen kunnen melden bij **iemand die ze kennen**, "
                  "horen wat er met hun melding gebeurt, en zelf kiezen of er actie volgt. "
                  "Een anoniem formulier alleen is niet genoeg.", accepted=True),
            Reply("ruben", 26, "De toolbox aanpak stagediscriminatie heeft een voorbeeld "
                  "van een meldroute; die staat in de kennisbank."),
            Reply("hanan", 28, "Dank, {@lotte}. We gaan de mentoren trainen als eerste "
                  "aanspreekpunt.", to=2),
        ),
    ),
    DemoTopic(
        STAGE, "De checklist stagediscriminatie als leerbedrijf: dit veranderde er", "bram",
        12,
        "Als leerbedrijf hebben we de checklist stagediscriminatie doorgelopen met onze "
        "praktijkopleiders. We selecteren stagiairs nu met dezelfde vaste vragen als "
        "monteurs, en de stageplek staat op het portaal van SBB in plaats van alleen in ons "
        "eigen netwerk.",
        tags=("ervaring", "leerbedrijf", "checklist"),
        replies=(
            Reply("hanan", 5, "Dit is precies wat we van leerbedrijven hopen. Mag ik je "
                  "voorbeeld gebruiken bij de bpv-bijeenkomst?"),
            Reply("bram", 7, "Natuurlijk!", to=2),
        ),
    ),
    # Taskforce VIA coördinatoren (hidden) ------------------------------------------------
    DemoTopic(
        TASKFORCE, "Signalen uit de netwerken voor het taskforce-overleg", "coby", 6,
        "Voor het overleg van volgende week: de belangrijkste signalen uit de lerende "
        "netwerken.\n\n"
        "1. Wachtlijsten voor taalles remmen werkfit-trajecten.\n"
        "2. Diplomawaardering duurt te lang.\n"
        "3. Werkgevers willen één aanspreekpunt bij de gemeente.\n\n"
        "Aanvullingen?",
        tags=("signalen",),
        replies=(
            Reply("bea", 20, "Helder. Ik zet de kinderopvang tijdens leerwerktrajecten er "
                  "nog bij; dat kwam ook uit het netwerk statushouders."),
        ),
    ),
)  # fmt: skip

DISCUSSIONS = (
    DemoDiscussion(
        "werkproef-in-plaats-van-gesprek", 26,
        (
            Reply("daan", 0, "We willen dit in Zwolle ook aan andere installatiebedrijven "
                  "voorstellen. Hoeveel tijd kost een werkproef per kandidaat?"),
            Reply("wendy", 3, "Een halve dag voor de kandidaat, en ongeveer een uur voor de "
                  "twee beoordelaars. Minder dan drie gesprekken, dus.", to=1),
            Reply("bram", 30, "En het scheelt verkeerde matches. Dat is de grootste winst."),
        ),
    ),
    DemoDiscussion(
        "eerste-gesprek-aan-de-keukentafel", 31,
        (
            Reply("youssef", 0, "Wij zijn ermee begonnen na het lezen van deze praktijk. "
                  "Het werkt, al moesten we de planning omgooien."),
            Reply("anouk", 22, "Hoe regelen jullie de veiligheid van klantmanagers bij "
                  "huisbezoeken?"),
            Reply("youssef", 25, "Bij een eerste bezoek gaan we met z'n tweeën, of we "
                  "spreken af in het buurthuis.", to=2),
        ),
    ),
    DemoDiscussion(
        "leerwerkplek-ambachtelijke-bakkerij", 18,
        (
            Reply("karim", 0, "Mooie praktijk. Werken jullie ook met de BBL-opleiding, of "
                  "alleen met een eigen leerplan?"),
            Reply("ayla", 5, "Het eerste half jaar ons eigen leerplan, daarna stromen ze "
                  "in de BBL in. {@karim}, je kandidaten zijn welkom voor een meeloopdag.",
                  to=1),
        ),
    ),
    DemoDiscussion(
        "checklist-stagediscriminatie-in-de-bpv", 15,
        (
            Reply("hanan", 0, "Wij gebruiken deze checklist nu twee jaar. Tip: loop hem "
                  "door mét de leerbedrijven, niet alleen intern."),
            Reply("lotte", 28, "Goede tip. Hebben jullie ook gemeten of er minder "
                  "meldingen zijn?"),
            Reply("hanan", 31, "Meer meldingen, juist: studenten weten nu waar ze terecht "
                  "kunnen. Dat zien we als winst.", to=2),
        ),
    ),
    DemoDiscussion(
        "intensieve-begeleiding-kleine-caseload", 10,
        (
            Reply("karim", 0, "In Rotterdam werken we met deze aanpak. Belangrijkste "
                  "les: geef klantmanagers ook tijd voor de werkgevers, niet alleen voor de "
                  "klanten."),
            Reply("daan", 6, "Herkenbaar uit Zwolle. Onze cijfers staan in het forum van "
                  "het lerend netwerk."),
        ),
    ),
)  # fmt: skip

_TOKEN = re.compile(r"\{@(\w+)\}")


# Seeding -----------------------------------------------------------------------------


def _people() -> dict[str, object]:
    """Every author by key: the demo accounts, and the forum's own demo people (made,
    with a complete profile and their memberships, when missing)."""
    User = get_user_model()
    people = {key: User.objects.get(email=email) for key, email in ACCOUNTS.items()}
    regions = {region.name: region for region in LabourMarketRegion.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}
    communities = {c.slug: c for c in CommunityPage.objects.all()}
    for spec in PEOPLE:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(
                email=spec.email,
                password=None,  # unusable: a demo person, not a demo account
                first_name=spec.first_name,
                last_name=spec.last_name,
                date_joined=timezone.now() - timedelta(days=400),
            )
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "function": spec.function,
                "sector": spec.sector,
                "region": regions[spec.region],
                "organisation": organisations[spec.organisation],
                "bio": spec.bio,
            },
        )
        for slug in spec.communities:
            if slug in communities:
                Membership.objects.get_or_create(
                    community=communities[slug],
                    user=user,
                    defaults={
                        "role": Role.MEMBER,
                        "state": MembershipState.ACTIVE,
                        "joined_at": timezone.now() - timedelta(days=120),
                    },
                )
        people[spec.key] = user
    return people


def _text(body: str, people: dict[str, object]) -> str:
    return _TOKEN.sub(lambda m: f"@{people[m.group(1)].handle}", body)


def _start(days_ago: int, index: int) -> datetime:
    """A weekday morning `days_ago` days back (topics of one day a little apart)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    moment = datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM)
    return moment + timedelta(minutes=37 * (index % 9))


def _write(topic: Topic, posts: tuple[Reply, ...], start: datetime, people) -> list[Post]:
    """The posts of a topic with their timestamps; the topic's counters; the authors'
    watches and read state (they have seen the topic up to their own last post)."""
    latest = timezone.now() - timedelta(minutes=5)
    written: list[Post] = []
    for number, spec in enumerate(posts, start=1):
        at = min(start + timedelta(hours=spec.after), latest)
        body = _text(spec.body, people)
        post = Post.objects.create(
            topic=topic,
            number=number,
            author=people[spec.author],
            body=body,
            html=services.render_body(topic, body),
            reply_to=written[spec.to - 1] if spec.to else None,
            created_at=at,
        )
        written.append(post)
        if spec.flag is not None:
            reporter, reason, note = spec.flag
            Flag.objects.create(
                post=post, reporter=people[reporter], reason=reason, note=note, created_at=at
            )
    last = written[-1]
    Topic.objects.filter(pk=topic.pk).update(
        created_at=written[0].created_at,
        last_post_at=last.created_at,
        last_post_author=last.author,
        last_number=len(written),
        reply_count=len(written) - 1,
        accepted_post=next((p for p, s in zip(written, posts, strict=True) if s.accepted), None),
    )
    seen: dict[int, int] = {}
    for post in written:
        seen[post.author_id] = post.number
    for user_id, number in seen.items():
        Watch.objects.get_or_create(
            user_id=user_id, topic=topic, defaults={"level": WatchLevel.WATCHING}
        )
        ReadState.objects.update_or_create(
            user_id=user_id, topic=topic, defaults={"last_read": number}
        )
    return written


def _topics(people: dict[str, object]) -> int:
    communities = {c.slug: c for c in CommunityPage.objects.all()}
    added = 0
    for index, spec in enumerate(TOPICS):
        community = communities.get(spec.community)
        if (
            community is None
            or Topic.objects.filter(community=community, title=spec.title).exists()
        ):
            continue
        start = _start(spec.days_ago, index)
        author = people[spec.author]
        topic = Topic.objects.create(
            community=community,
            title=spec.title,
            author=author,
            is_question=spec.question,
            pinned=bool(spec.pinned),
            closed=spec.closed is not None,
            created_at=start,
            last_post_at=start,
        )
        topic.tags.set(services.clean_tags(spec.tags))
        posts = (Reply(spec.author, 0, spec.body), *spec.replies)
        written = _write(topic, posts, start, people)
        if spec.pinned:
            ModerationLog.objects.create(
                community=community, actor=people[spec.pinned], action=ModerationAction.PIN,
                topic=topic, reason="Spelregels van het forum", created_at=start,
            )  # fmt: skip
        if spec.closed is not None:
            moderator, reason = spec.closed
            ModerationLog.objects.create(
                community=community, actor=people[moderator], action=ModerationAction.CLOSE,
                topic=topic, reason=reason, created_at=written[-1].created_at,
            )  # fmt: skip
        added += 1
    return added


def _discussions(people: dict[str, object]) -> int:
    practices = {p.slug: p for p in PracticePage.objects.live()}
    added = 0
    for index, spec in enumerate(DISCUSSIONS):
        practice = practices.get(spec.practice)
        if practice is None or Topic.objects.filter(page=practice).exists():
            continue
        start = _start(spec.days_ago, index)
        topic = Topic.objects.create(
            page=practice, title=practice.title[: services.MAX_TITLE_LENGTH],
            created_at=start, last_post_at=start,
        )  # fmt: skip
        _write(topic, spec.posts, start, people)
        added += 1
    return added


def seed_forums(write: Callable[[str], None] = lambda line: None) -> None:
    """Add the demo topics and practice discussions that are missing; `write` gets one
    line saying what was added, if anything."""
    people = _people()
    topics = _topics(people)
    discussions = _discussions(people)
    added = [
        f"{count} {noun}"
        for count, noun in ((topics, "topics"), (discussions, "practice discussions"))
        if count
    ]
    if added:
        write(f"  forums: {', '.join(added)}")
