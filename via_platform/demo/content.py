"""Demo content drawn from the VIA progress letter (Tweede Kamer 29 544, nr. 1226)."""

from __future__ import annotations

DEMO_PASSWORD = "leernetwerk-demo"  # noqa: S105 (documented demo password, refused in production)

# email, first name, last name, role description
DEMO_ACCOUNTS = [
    ("beheer@voorbeeld.nl", "Bea", "Beheer", "superuser"),
    ("redacteur@voorbeeld.nl", "Ruben", "Redacteur", "Wagtail editor"),
    ("coordinator@voorbeeld.nl", "Coby", "Coördinator", "coordinator of the learning networks"),
    ("klantmanager@voorbeeld.nl", "Karim", "Klantmanager", "klantmanager, gemeente"),
    ("werkgever@voorbeeld.nl", "Wendy", "Werkgever", "mkb employer"),
]

HOME = {
    "title": "VIA Leernetwerken",
    "intro": (
        "Gelijkwaardige kansen op de arbeidsmarkt voor iedereen. Hier delen klantmanagers, "
        "werkgevers en maatschappelijke organisaties wat werkt: in lerende netwerken, "
        "communities of practice, de kennisbank en e-learning."
    ),
    "body": [
        (
            "De mensen die nu langs de zijlijn staan, hebben we straks hard nodig. Door de "
            "krapte op de arbeidsmarkt kunnen we het ons niet permitteren om talent onbenut "
            "te laten. Alleen met elkaar maken we het verschil op weg naar een inclusieve "
            "arbeidsmarkt."
        ),
    ],
}

# slug, title, intro (the public URL scheme: later issues give these their own page types)
SECTIONS = [
    (
        "netwerken",
        "Netwerken",
        "Lerende netwerken voor klantmanagers van gemeenten, werkgevers en maatschappelijke "
        "organisaties, en communities of practice voor het mkb per sector, branche en regio.",
    ),
    (
        "kennisbank",
        "Kennisbank",
        "Een plek waar kennis samenkomt: best practices, handreikingen, de menukaart voor "
        "werkgevers en de toolbox en checklist tegen stagediscriminatie.",
    ),
    (
        "agenda",
        "Agenda",
        "Bijeenkomsten, webinars, trainingen en werkbezoeken aan veelbelovende projecten.",
    ),
    (
        "leren",
        "Leren",
        "E-learning over objectief werven en selecteren, en de training Inclusief begeleiden "
        "voor klantmanagers, met online en fysieke modules.",
    ),
]

CONTENT_PAGES = [
    (
        "over-via",
        "Over het programma VIA",
        "Het programma Voor een Inclusieve Arbeidsmarkt (VIA) wil de arbeidsmarktpositie van "
        "mensen met een buiten-Europese migratieachtergrond structureel verbeteren.",
        [
            "<h2>De Werkagenda VIA</h2><p>Met 22 (koepel)organisaties zijn werkzame "
            "interventies omgezet in concrete acties onder drie thema's:</p><ol>"
            "<li>Meer (culturele) diversiteit op het werk</li>"
            "<li>Meer kans op een eerste baan of stage voor jongeren met een "
            "migratieachtergrond</li>"
            "<li>Begeleiding naar werk vanuit de bijstand of de WW</li></ol>",
            "<h2>De grotere groep in beweging krijgen</h2><p>Er is een voorhoede van "
            "werkgevers, onderwijsinstellingen en gemeenten die in de praktijk doen wat werkt. "
            "Dit platform helpt om ook de grotere groep mee te krijgen: met lerende "
            "netwerken, communities of practice met rolmodellen, e-learning en een "
            "kennisbank.</p>",
        ],
    ),
    (
        "lerende-netwerken-voor-gemeenten",
        "Lerende netwerken voor gemeenten",
        "Twee lerende netwerken voor klantmanagers van gemeenten, werkgevers en "
        "maatschappelijke organisaties: intensieve begeleiding, en leerwerktrajecten voor "
        "statushouders.",
        [
            "<p>In de lerende netwerken worden best practices gedeeld, knelpunten besproken "
            "en veelbelovende projecten bezocht. Deelnemers geven aan dat ze veel leren van "
            "elkaars ervaringen en kennis.</p>",
        ],
    ),
    (
        "toegankelijkheid",
        "Toegankelijkheid",
        "Dit platform is gebouwd volgens de richtlijnen WCAG 2.1 niveau AA.",
        [
            "<p>Loopt u ergens tegenaan? Laat het ons weten, dan lossen we het op.</p>",
        ],
    ),
    (
        "privacy",
        "Privacyverklaring",
        "Welke gegevens we van u bewaren, en waarom.",
        [
            "<p>We bewaren alleen wat nodig is om samen te leren: uw naam, e-mailadres, "
            "functie en organisatie. We vragen nooit naar afkomst of migratieachtergrond.</p>",
        ],
    ),
]

MAIN_MENU = ["netwerken", "kennisbank", "agenda", "leren", "over-via"]
FOOTER_LINKS = ["over-via", "toegankelijkheid", "privacy"]
FOOTER_TEXT = (
    "<p><b>VIA Leernetwerken</b> is het online thuis van de lerende netwerken en "
    "communities of practice van het programma Voor een Inclusieve Arbeidsmarkt.</p>"
)

# email -> site role group, profile (function, sector, region, organisation, bio, public fields)
DEMO_PROFILES = {
    "beheer@voorbeeld.nl": (
        "Beheerders",
        "anders",
        "overheid",
        "Haaglanden",
        "Ministerie van Sociale Zaken en Werkgelegenheid (SZW)",
        "Beheert het platform namens het programma VIA.",
        ("name", "organisation"),
    ),
    "redacteur@voorbeeld.nl": (
        "Redacteuren",
        "beleidsmedewerker",
        "overheid",
        "Midden-Utrecht",
        "Movisie",
        "Redacteur van de kennisbank: handreikingen, de menukaart en onderzoek.",
        ("name", "function", "organisation"),
    ),
    "coordinator@voorbeeld.nl": (
        "Coördinatoren",
        "coordinator",
        "overheid",
        "Groot Amsterdam",
        "Divosa",
        "Coördinator van de lerende netwerken intensieve begeleiding en leerwerktrajecten "
        "voor statushouders.",
        ("name", "function", "organisation", "bio"),
    ),
    "klantmanager@voorbeeld.nl": (
        None,
        "klantmanager",
        "overheid",
        "Rijnmond",
        "Gemeente Rotterdam",
        "Klantmanager werk en inkomen. Begeleid statushouders naar werk en deel graag wat "
        "werkt bij intensieve begeleiding.",
        ("name",),
    ),
    "werkgever@voorbeeld.nl": (
        None,
        "werkgever",
        "techniek",
        "Regio Zwolle",
        "Installatiebedrijf Van Dijk",
        "HR-manager bij een installatiebedrijf met 40 medewerkers. We werven objectief en "
        "zoeken monteurs voor de energietransitie.",
        (),
    ),
}

# slug, title, kind, theme, sector, region, join policy, content visibility, hidden,
# intro, welcome, coordinators, other members (email, role), role models (name, org, story)
COMMUNITIES = [
    (
        "intensieve-begeleiding",
        "Lerend netwerk Intensieve begeleiding",
        "lerend_netwerk",
        "3",
        "overheid",
        None,
        "on_request",
        "members",
        False,
        "Klantmanagers van gemeenten, werkgevers en maatschappelijke organisaties delen hoe "
        "intensieve begeleiding mensen met een migratieachtergrond vanuit de bijstand naar "
        "duurzaam werk helpt: best practices, knelpunten en werkbezoeken.",
        "<p>Welkom! Stel je voor in het forum en kijk in de agenda voor de volgende "
        "intervisie.</p>",
        ["coordinator@voorbeeld.nl"],
        [("redacteur@voorbeeld.nl", "moderator")],
        [],
    ),
    (
        "leerwerktrajecten-statushouders",
        "Lerend netwerk Leerwerktrajecten statushouders",
        "lerend_netwerk",
        "3",
        "overheid",
        None,
        "on_request",
        "members",
        False,
        "Hoe combineer je taal, werk en opleiding voor statushouders? Gemeenten, werkgevers "
        "en opleiders bespreken wat werkt en bezoeken veelbelovende projecten.",
        "<p>Welkom in het netwerk. Deel je eerste vraag of ervaring in het forum.</p>",
        ["coordinator@voorbeeld.nl"],
        [("klantmanager@voorbeeld.nl", "member")],
        [],
    ),
    (
        "mkb-techniek-en-installatie",
        "Community of practice mkb Techniek en installatie",
        "community_of_practice",
        "1",
        "techniek",
        None,
        "open",
        "public",
        False,
        "Werkgevers in techniek en installatie laten zien hoe objectief werven en selecteren "
        "werkt in een klein bedrijf, en zoeken samen monteurs voor de energietransitie.",
        "<p>Fijn dat je er bent. Begin met de rolmodellen hieronder.</p>",
        ["redacteur@voorbeeld.nl"],
        [("werkgever@voorbeeld.nl", "moderator")],
        [
            (
                "Wendy Werkgever",
                "Installatiebedrijf Van Dijk",
                "We vervingen het sollicitatiegesprek door een werkproef met vaste vragen. "
                "Sindsdien nemen we monteurs aan op wat ze kunnen, niet op hun naam of cv.",
            ),
        ],
    ),
    (
        "mkb-zorg-en-welzijn",
        "Community of practice mkb Zorg en welzijn",
        "community_of_practice",
        "1",
        "zorg",
        None,
        "open",
        "public",
        False,
        "Zorgorganisaties en kleine werkgevers in welzijn delen hoe ze met inclusieve "
        "werving meer handen aan het bed krijgen.",
        "",
        ["redacteur@voorbeeld.nl"],
        [],
        [
            (
                "Zorggroep De Linde",
                "Zorggroep De Linde",
                "Anonieme eerste selectie en een vaste beoordelingscommissie: de instroom werd "
                "diverser en het verloop daalde.",
            ),
        ],
    ),
    (
        "regio-rotterdam",
        "Regionaal netwerk Rotterdam inclusief",
        "community_of_practice",
        "1",
        "",
        "Rijnmond",
        "open",
        "public",
        False,
        "Werkgevers, gemeente en onderwijs in de regio Rijnmond werken samen aan gelijke "
        "kansen, met werkbezoeken bij bedrijven die het al doen.",
        "",
        ["coordinator@voorbeeld.nl"],
        [("klantmanager@voorbeeld.nl", "member")],
        [],
    ),
    (
        "tegen-stagediscriminatie",
        "Netwerk tegen stagediscriminatie",
        "community_of_practice",
        "2",
        "onderwijs",
        None,
        "open",
        "public",
        False,
        "Scholen en leerbedrijven werken met de toolbox en checklist stagediscriminatie en "
        "delen hoe studenten meldingen veilig kunnen doen.",
        "",
        ["redacteur@voorbeeld.nl"],
        [],
        [],
    ),
    (
        "taskforce-via-coordinatoren",
        "Taskforce VIA coördinatoren",
        "lerend_netwerk",
        "",
        "",
        None,
        "invitation",
        "members",
        True,
        "Overleg van de coördinatoren van alle netwerken: planning, signalen en gezamenlijke "
        "bijeenkomsten.",
        "",
        ["coordinator@voorbeeld.nl"],
        [("beheer@voorbeeld.nl", "member")],
        [],
    ),
]
