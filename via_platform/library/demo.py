"""Demo content for the kennisbank, drawn from the VIA progress letter (Tweede Kamer
29 544, nr. 1226): practices for the three themes of the Werkagenda VIA, handreikingen
and checklists as real PDF files, the menukaart for employers and the toolbox and
checklist against stagediscriminatie.

The practices are illustrative: organisations and regions are real, the figures and
contact persons are not (every practice says so under its results). `seed_library`
only adds what is missing, matching pages by slug and documents by title, so running
the demo seed again changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, ReferenceIndex, Revision
from wagtail.search import index as search_index
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from via_platform.accounts.models import LabourMarketRegion, Profile
from via_platform.communities.models import CommunityPage, Theme
from via_platform.library.models import (
    Application,
    CollectionItem,
    CollectionPage,
    EvidenceLevel,
    Intervention,
    LibraryIndexPage,
    MenukaartPage,
    Phase,
    PracticeDocument,
    PracticeLink,
    PracticePage,
    RelatedPractice,
    TargetGroup,
    TargetGroupCode,
)
from via_platform.library.workflow import ensure_review_workflow
from via_platform.organisations.models import Organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DOCUMENT_COLLECTION = "Kennisbank"
DEMO_NOTE = (
    "<p><i>Demo-inhoud: een illustratief voorbeeld. De cijfers en de contactpersoon zijn "
    "verzonnen.</i></p>"
)
DEMO_FOOTER = "VIA Leernetwerken · demo-document met illustratieve inhoud"

PROVEN, PROMISING, PRACTICE = (
    EvidenceLevel.PROVEN,
    EvidenceLevel.PROMISING,
    EvidenceLevel.PRACTICE,
)
DIVERSITY, FIRST_JOB, GUIDANCE = Theme.DIVERSITEIT, Theme.EERSTE_BAAN, Theme.BEGELEIDING


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _ol(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


# Documents ---------------------------------------------------------------------------
# A section is a heading and its blocks: a string is a paragraph, a list is a bulleted
# list, a tuple is a checklist (a table with an empty box to tick per line).


@dataclass(frozen=True)
class DemoDocument:
    key: str
    title: str
    filename: str
    subtitle: str
    sections: tuple[tuple[str, tuple], ...]


DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        key="handreiking-intensieve-begeleiding",
        title="Handreiking intensieve begeleiding",
        filename="handreiking-intensieve-begeleiding.pdf",
        subtitle=(
            "Mensen met een migratieachtergrond vanuit de bijstand naar duurzaam werk: "
            "lessen uit de VIA-pilots en het lerend netwerk Intensieve begeleiding."
        ),
        sections=(
            (
                "Waarom intensieve begeleiding?",
                (
                    "Mensen met een buiten-Europese migratieachtergrond zijn "
                    "oververtegenwoordigd in de bijstand: in september 2022 ontving 9,6 "
                    "procent van hen bijstand, tegenover 1,7 procent van de mensen zonder "
                    "migratieachtergrond (CBS, Kernindicatoren Integratie 2023).",
                    "Gemeenten richten zich in eerste instantie vaak op mensen die makkelijker "
                    "bemiddelbaar zijn, en de dienstverlening sluit niet altijd aan bij wat "
                    "deze groep nodig heeft. Uit VIA-pilots in verschillende gemeenten blijkt "
                    "dat een intensievere begeleiding met maatwerk helpt om mensen die "
                    "langdurig in de bijstand zitten richting de arbeidsmarkt te begeleiden.",
                ),
            ),
            (
                "De vijf bouwstenen",
                (
                    [
                        "Een kleine caseload: een klantmanager begeleidt 40 tot 50 "
                        "werkzoekenden in plaats van 150 of meer, en heeft tijd voor "
                        "regelmatig contact.",
                        "Maatwerk en vertrouwen: één vaste klantmanager, gesprekken op een "
                        "plek die de werkzoekende kiest, doelen die samen worden opgesteld.",
                        "Aandacht voor taal en culturele barrières: geen aanname dat iemand "
                        "'niet gemotiveerd' is als een brief of regel niet begrepen wordt.",
                        "Werkgevers als partner: werkgeversdienstverlening die vacatures, "
                        "werkproeven en leerwerkplekken aandraagt.",
                        "Nazorg na plaatsing: minstens zes maanden contact met werknemer en "
                        "werkgever, zodat werk ook duurzaam werk wordt.",
                    ],
                ),
            ),
            (
                "Aan de slag in uw gemeente",
                (
                    "Begin klein, met een team dat wil en met een groep die u goed kunt "
                    "volgen. Zo bouwt u bewijs op dat ook de rest van de organisatie "
                    "overtuigt.",
                    [
                        "Vul met het team de quickscan diversiteit in, op het niveau van "
                        "klantmanager, beleidsmedewerker en manager.",
                        "Kies een groep van 60 tot 100 mensen die langer dan twee jaar in de "
                        "bijstand zitten.",
                        "Maak ruimte in de caseload en leg vast hoe lang de pilot loopt.",
                        "Volg de training inclusief begeleiden van Movisie (online en "
                        "fysieke modules).",
                        "Spreek met twee of drie werkgevers af welke plekken zij bieden.",
                        "Meet uitstroom, werkbehoud na zes maanden en de ervaring van "
                        "deelnemers, en bespreek de uitkomsten in het lerend netwerk.",
                    ],
                ),
            ),
            (
                "Wat heeft de klantmanager nodig?",
                (
                    "Ruimte om af te wijken van het standaardproces, een leidinggevende die "
                    "meedenkt, en collega's om mee te leren. Intervisie over (onbewuste) "
                    "vooroordelen en werkbezoeken bij andere gemeenten helpen daarbij. In het "
                    "lerend netwerk delen klantmanagers best practices en bespreken ze "
                    "knelpunten.",
                ),
            ),
            (
                "Meer weten",
                (
                    [
                        "Onderzoek pilots programma Verdere Integratie op de Arbeidsmarkt: "
                        "rijksoverheid.nl",
                        "Quickscan diversiteit: quickscandiversiteit.nl",
                        "Training inclusief begeleiden: movisie.nl",
                        "Monitor Gelijkwaardige Kansen: monitorgelijkwaardigekansen.nl",
                    ],
                ),
            ),
        ),
    ),
    DemoDocument(
        key="handreiking-leerwerktrajecten-statushouders",
        title="Handreiking leerwerktrajecten voor statushouders",
        filename="handreiking-leerwerktrajecten-statushouders.pdf",
        subtitle="Taal, werk en opleiding tegelijk: zo zet u een leerwerktraject op.",
        sections=(
            (
                "Waarom taal, werk en opleiding combineren?",
                (
                    "Werk is de snelste route naar participatie en integratie. Toch blijft de "
                    "arbeidsparticipatie van statushouders door een veelvoud aan factoren "
                    "achter. Wie eerst jaren taalles volgt en pas daarna gaat werken, verliest "
                    "tijd, motivatie en werkritme. In een leerwerktraject leert iemand de "
                    "taal op de werkvloer, doet werkervaring op en haalt een erkend "
                    "certificaat.",
                ),
            ),
            (
                "Bouwstenen van een goed traject",
                (
                    [
                        "Een werkgever met een echte vacature of baanperspectief.",
                        "Taallessen op de werkvloer, met de woorden die het werk vraagt.",
                        "Een praktijkverklaring, mbo-certificaat of diploma als doel.",
                        "Een jobcoach of werkbegeleider die werknemer en leidinggevende "
                        "ondersteunt.",
                        "Afstemming met de inburgering, zodat lessen en werk elkaar niet "
                        "in de weg zitten.",
                    ],
                ),
            ),
            (
                "Samenwerking in de regio",
                (
                    "Gemeenten, UWV, opleiders, werkgevers en VluchtelingenWerk werken samen "
                    "in de arbeidsmarktregio, vaak met de Regionale Mobiliteitsteams. Spreek "
                    "vooraf af wie de werkgever benadert, wie de begeleiding betaalt en wie "
                    "de voortgang bewaakt.",
                ),
            ),
            (
                "Valkuilen",
                (
                    [
                        "Een traject zonder baanperspectief: deelnemers haken af.",
                        "Te hoge taaleisen aan het begin, terwijl het werk ze niet vraagt.",
                        "Geen nazorg na de eerste maanden, als de begeleiding stopt.",
                    ],
                ),
            ),
        ),
    ),
    DemoDocument(
        key="toolbox-objectief-werven-en-selecteren",
        title="Toolbox objectief werven en selecteren",
        filename="toolbox-objectief-werven-en-selecteren.pdf",
        subtitle=(
            "Voor werkgevers in het mkb: instrumenten van vacature tot doorgroei, "
            "die de invloed van (onbewuste) vooroordelen verkleinen."
        ),
        sections=(
            (
                "Waarom objectief werven en selecteren?",
                (
                    "De meeste werkgevers (74%) vinden het tegengaan van discriminatie "
                    "belangrijk. Tegelijk selecteert 70% van de werkgevers nog op basis van de "
                    "eerste indruk of 'klik' (TNO, Werkgevers Enquête Arbeidsmarkt 2021). Wie "
                    "op de klik selecteert, kiest (onbewust) mensen die op hem of haar lijken.",
                    "Objectief werven en selecteren vermindert de invloed van vooroordelen. "
                    "Dat blijkt uit de wetenschappelijke consensus over objectief selecteren "
                    "en uit een grootschalige praktijkpilot met werkgevers. Ook een beperkt "
                    "gebruik van de elementen heeft al effect.",
                ),
            ),
            (
                "Werving",
                (
                    [
                        "Schrijf een vacaturetekst met alleen de eisen die het werk echt vraagt.",
                        "Werf via meer kanalen: gemeente, UWV, VluchtelingenWerk, scholen.",
                        "Vermeld dat u objectief selecteert en hoe de procedure verloopt.",
                    ],
                ),
            ),
            (
                "Selectie",
                (
                    [
                        "Beoordeel de eerste ronde anoniem: zonder naam, foto en leeftijd.",
                        "Stel vooraf vast waarop u beoordeelt en leg dat vast in een "
                        "beoordelingsformulier.",
                        "Voer een gestructureerd interview: dezelfde vragen, in dezelfde "
                        "volgorde, met een vaste beoordelingsschaal.",
                        "Laat kandidaten een werkproef doen in plaats van alleen te praten.",
                        "Beslis met minstens twee beoordelaars, en pas na het scoren.",
                    ],
                ),
            ),
            (
                "Onboarding en doorstroom",
                (
                    [
                        "Geef iedere nieuwe collega een buddy of mentor.",
                        "Maak afspraken over taal op de werkvloer en over een inwerkplan.",
                        "Voer jaarlijks een doorgroeigesprek met heldere criteria.",
                        "Stel doelen voor diversiteit en bespreek ze in het managementteam.",
                    ],
                ),
            ),
            (
                "Zo begint u morgen",
                (
                    "Kies één vacature. Schrijf de criteria op voordat u cv's bekijkt, stel "
                    "alle kandidaten dezelfde vijf vragen en scoor ieder antwoord direct. "
                    "Bespreek daarna met een collega wat u opviel. Deel uw ervaring in de "
                    "community of practice voor het mkb in uw sector of regio.",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="checklist-stagediscriminatie",
        title="Checklist stagediscriminatie",
        filename="checklist-stagediscriminatie.pdf",
        subtitle=(
            "Voor mbo-scholen, hogescholen en leerbedrijven. Geïnspireerd op de afspraken in "
            "het Stagepact MBO 2023-2027 en de toolbox van KIS en Inholland."
        ),
        sections=(
            (
                "Voor de school",
                (
                    (
                        "Het bestuur heeft stagediscriminatie expliciet benoemd als iets "
                        "dat de school niet accepteert.",
                        "Er is een meldpunt dat studenten kennen en vertrouwen, en studenten "
                        "horen wat er met hun melding gebeurt.",
                        "Stagebegeleiders zijn getraind om discriminatie te herkennen en te "
                        "bespreken.",
                        "De school spreekt leerbedrijven aan die studenten weigeren om hun "
                        "afkomst, naam of uiterlijk.",
                        "Studenten bereiden zich voor op hun stage zonder dat de school "
                        "hen vraagt zich 'aan te passen'.",
                    ),
                ),
            ),
            (
                "Voor het leerbedrijf",
                (
                    (
                        "De selectie van stagiairs gebeurt op vooraf vastgestelde criteria.",
                        "Er is een vaste procedure voor het gesprek met een stagiair.",
                        "De praktijkopleider kent de gedragscode van het bedrijf en van SBB.",
                        "Het bedrijf weet waar het terecht kan met vragen over discriminatie.",
                    ),
                ),
            ),
            (
                "Voor de student",
                (
                    (
                        "Ik weet waar ik stagediscriminatie kan melden, ook anoniem.",
                        "Ik weet dat de school mij helpt aan een andere stageplek.",
                        "Ik bewaar berichten en mails van het bedrijf.",
                    ),
                ),
            ),
            (
                "Na een melding",
                (
                    "Neem iedere melding serieus, bevestig de ontvangst binnen twee "
                    "werkdagen en spreek met de student af wat er gebeurt. Registreer "
                    "meldingen, zodat de school patronen ziet en leerbedrijven gericht kan "
                    "aanspreken.",
                ),
            ),
        ),
    ),
    DemoDocument(
        key="handreiking-melden-stagediscriminatie",
        title="Handreiking melden van stagediscriminatie",
        filename="handreiking-melden-stagediscriminatie.pdf",
        subtitle="Een meldroute die mbo-studenten vertrouwen, in vijf stappen.",
        sections=(
            (
                "Wat studenten nodig hebben",
                (
                    "Studenten melden stagediscriminatie pas als ze weten waar ze terecht "
                    "kunnen, erop vertrouwen dat hun melding vertrouwelijk blijft en zien dat "
                    "er iets mee gebeurt. Onderzoek van het Verwey-Jonker Instituut naar hoe "
                    "mbo-studenten stagediscriminatie willen melden geeft scholen handvatten "
                    "om invulling te geven aan de afspraken uit het Stagepact.",
                ),
            ),
            (
                "Een meldroute in vijf stappen",
                (
                    [
                        "Kies één herkenbaar aanspreekpunt per opleiding, naast de "
                        "vertrouwenspersoon.",
                        "Maak melden mogelijk op verschillende manieren: persoonlijk, per "
                        "formulier en anoniem.",
                        "Bevestig elke melding snel en vertel wat de volgende stap is.",
                        "Zorg dat de student niet zelf opnieuw hoeft te solliciteren: de "
                        "school helpt aan een andere stageplek.",
                        "Koppel terug wat er met de melding is gedaan, ook als het bedrijf "
                        "niet meewerkt.",
                    ],
                ),
            ),
            (
                "Wat doet de school met een melding?",
                (
                    "De school gaat in gesprek met het leerbedrijf, meldt het zo nodig bij "
                    "SBB en registreert de melding. Jaarlijks bespreekt de school de "
                    "meldingen met studenten en praktijkopleiders.",
                ),
            ),
        ),
    ),
)


def _pdf(document: DemoDocument) -> bytes:
    """A real PDF with headings, paragraphs, lists and checklists. Invariant, so the same
    content gives the same bytes (and file hash) on every run."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, DEMO_FOOTER)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Pagina {doc.page}")
        canvas.restoreState()

    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=document.title,
        author="Programma VIA (demo)",
        subject=document.subtitle,
        lang="nl-NL",
        invariant=1,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    story = [
        Paragraph(document.title, styles["Title"]),
        Paragraph(document.subtitle, styles["Italic"]),
        Spacer(1, 0.6 * cm),
    ]
    for heading, blocks in document.sections:
        story.append(Paragraph(heading, styles["Heading2"]))
        for block in blocks:
            if isinstance(block, str):
                story.append(Paragraph(block, styles["BodyText"]))
            elif isinstance(block, list):
                story.append(
                    ListFlowable(
                        [ListItem(Paragraph(item, styles["BodyText"])) for item in block],
                        bulletType="bullet",
                        leftIndent=14,
                    )
                )
            else:
                rows = [["", Paragraph(item, styles["BodyText"])] for item in block]
                table = Table(rows, colWidths=[0.8 * cm, 15.2 * cm])
                table.setStyle(
                    TableStyle(
                        [("BOX", (0, i), (0, i), 0.8, colors.black) for i in range(len(rows))]
                        + [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ]
                    )
                )
                story.append(table)
            story.append(Spacer(1, 0.2 * cm))
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# Practices ---------------------------------------------------------------------------

PILOTS_VIA = (
    "Onderzoek pilots programma Verdere Integratie op de Arbeidsmarkt (Rijksoverheid)",
    "https://www.rijksoverheid.nl/documenten/publicaties/2021/11/17/"
    "onderzoek-pilots-programma-verdere-integratie-op-de-arbeidsmarkt-via",
)
NULMETING = (
    "Voortgang van de Werkagenda VIA: rapport nulmeting (Rijksoverheid)",
    "https://www.rijksoverheid.nl/documenten/rapporten/2023/06/28/"
    "voortgang-van-de-werkagenda-via-rapport-nulmeting",
)
TOOLBOX_STAGE = (
    "Toolbox aanpak stagediscriminatie (Rijksoverheid)",
    "https://www.rijksoverheid.nl/documenten/rapporten/2023/05/25/"
    "toolbox-aanpak-stagediscriminatie",
)
MANIFEST_HO = (
    "Manifest tegen stagediscriminatie in het hoger onderwijs",
    "https://echo-net.nl/wp-content/uploads/2023/07/"
    "Manifest-tegen-stagediscriminatie-hoger-onderwijs.pdf",
)
MONITOR = ("Monitor Gelijkwaardige Kansen", "https://www.monitorgelijkwaardigekansen.nl/")
QUICKSCAN = ("Quickscan diversiteit voor gemeenten", "https://www.quickscandiversiteit.nl/")
RIJKSOVERHEID = ("Rijksoverheid", "https://www.rijksoverheid.nl/")
DIVOSA = ("Divosa", "https://www.divosa.nl/")
MOVISIE = ("Movisie", "https://www.movisie.nl/")
KIS = ("Kennisplatform Inclusief Samenleven (KIS)", "https://www.kis.nl/")
SCP = ("Sociaal en Cultureel Planbureau", "https://www.scp.nl/")
TNO = ("TNO", "https://www.tno.nl/")
VERWEY_JONKER = ("Verwey-Jonker Instituut", "https://www.verwey-jonker.nl/")
UWV = ("UWV", "https://www.uwv.nl/")
SBB = ("Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)", "https://www.s-bb.nl/")
DIB = ("Diversiteit in Bedrijf", "https://www.diversiteitinbedrijf.nl/")
VLUCHTELINGENWERK = ("VluchtelingenWerk Nederland", "https://www.vluchtelingenwerk.nl/")
UAF = ("Stichting voor Vluchteling-Studenten UAF", "https://www.uaf.nl/")
CBS = ("Centraal Bureau voor de Statistiek", "https://www.cbs.nl/")
SEO = ("SEO Economisch Onderzoek", "https://www.seo.nl/")
MKB = ("MKB-Nederland", "https://www.mkb.nl/")
AWVN = ("AWVN", "https://www.awvn.nl/")
VNG = ("Vereniging van Nederlandse Gemeenten", "https://vng.nl/")
MBO_RAAD = ("MBO Raad", "https://www.mboraad.nl/")
NRO = ("Nationaal Regieorgaan Onderwijsonderzoek", "https://www.nro.nl/")

# Organisation names as seeded by via_platform.organisations.demo.
ROTTERDAM, UTRECHT, AMSTERDAM_GEM = "Gemeente Rotterdam", "Gemeente Utrecht", "Gemeente Amsterdam"
ZWOLLE, TILBURG, GRONINGEN = "Gemeente Zwolle", "Gemeente Tilburg", "Gemeente Groningen"
VAN_DIJK, DE_LINDE = "Installatiebedrijf Van Dijk", "Zorggroep De Linde"
WAALHAVEN, YILMAZ = "Logistiek Centrum Waalhaven", "Bakkerij Yilmaz & Zn."
ROC_MN, DIB_ORG, KIS_ORG = (
    "ROC Midden Nederland",
    "Diversiteit in Bedrijf",
    "Kennisplatform Inclusief Samenleven (KIS)",
)


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    title: str
    theme: str
    evidence: str
    target_groups: tuple[str, ...]
    region: str | None
    organisation: str
    summary: str
    problem: str
    approach: str
    results: str
    contact: tuple[str, str]
    duration: str
    cost: str
    published: date
    links: tuple[tuple[str, str], ...] = ()
    documents: tuple[tuple[str, str], ...] = ()  # (document key, description)
    communities: tuple[str, ...] = ()
    members_only: bool = False
    related: tuple[str, ...] = ()
    applied_by: tuple[str, ...] = ()


PRACTICES: tuple[DemoPractice, ...] = (
    # Theme 3: guidance to work from social assistance or unemployment benefit ------------
    DemoPractice(
        slug="intensieve-begeleiding-kleine-caseload",
        title="Intensieve begeleiding met een kleine caseload",
        theme=GUIDANCE,
        evidence=PROVEN,
        target_groups=("bijstand", "professionals"),
        region="Rijnmond",
        organisation=ROTTERDAM,
        summary=(
            "Klantmanagers begeleiden maximaal 45 mensen met een migratieachtergrond die "
            "langer dan twee jaar in de bijstand zitten. Met meer tijd, maatwerk en nazorg "
            "vinden meer deelnemers werk, en houden ze het ook vaker vast."
        ),
        problem=_p(
            "Met caseloads van 150 tot 200 mensen hebben klantmanagers vooral tijd voor "
            "wie makkelijk bemiddelbaar is. Mensen met een migratieachtergrond die lang in "
            "de bijstand zitten, krijgen daardoor weinig persoonlijke aandacht, terwijl taal, "
            "een klein netwerk en onbekendheid met de Nederlandse arbeidsmarkt juist "
            "begeleiding vragen."
        ),
        approach=_p(
            "Een team van zes klantmanagers kreeg een caseload van maximaal 45 deelnemers "
            "en de ruimte om af te wijken van het standaardproces."
        )
        + _ul(
            "Een eerste gesprek van een uur, op een plek die de deelnemer kiest.",
            "Samen opgestelde doelen, met tussenstappen zoals vrijwilligerswerk of een werkproef.",
            "Vaste contacten met vijftien werkgevers via de werkgeversdienstverlening.",
            "Zes maanden nazorg na plaatsing, voor werknemer én werkgever.",
        ),
        results=_p(
            "Na achttien maanden had 31% van de deelnemers betaald werk, tegenover 18% in "
            "een vergelijkingsgroep met reguliere begeleiding. Van wie werk vond, werkte "
            "80% na zes maanden nog bij dezelfde werkgever."
        ),
        contact=("Samira el Amrani", "s.elamrani@voorbeeld.nl"),
        duration="18 maanden per deelnemer, inclusief 6 maanden nazorg",
        cost="Circa € 3.200 per deelnemer (vooral extra formatie klantmanagers)",
        published=date(2022, 11, 8),
        links=(PILOTS_VIA, DIVOSA, MONITOR),
        documents=(
            (
                "handreiking-intensieve-begeleiding",
                "De bouwstenen en stappen om intensieve begeleiding op te zetten",
            ),
        ),
        communities=("intensieve-begeleiding", "regio-rotterdam"),
        related=(
            "vaste-klantmanager-maatwerk",
            "training-inclusief-begeleiden",
            "eerste-gesprek-aan-de-keukentafel",
        ),
        applied_by=(UTRECHT, AMSTERDAM_GEM, ZWOLLE, TILBURG, GRONINGEN),
    ),
    DemoPractice(
        slug="vaste-klantmanager-maatwerk",
        title="Eén vaste klantmanager: maatwerk en vertrouwen",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("bijstand", "statushouders"),
        region="Midden-Utrecht",
        organisation=UTRECHT,
        summary=(
            "Iedere werkzoekende houdt gedurende het hele traject dezelfde klantmanager. "
            "Die bouwt vertrouwen op, kent de situatie thuis en stemt werk, taal en zorg "
            "op elkaar af."
        ),
        problem=_p(
            "Werkzoekenden vertelden dat ze hun verhaal steeds opnieuw moesten doen bij "
            "wisselende consulenten. Wie de regels niet goed begrijpt of een slechte ervaring "
            "met instanties heeft, haakt dan af, en wordt soms ten onrechte als 'niet "
            "gemotiveerd' gezien."
        ),
        approach=_p(
            "De gemeente koppelde elke deelnemer aan één klantmanager voor werk, inkomen "
            "en doorverwijzing naar zorg. Klantmanagers krijgen budget voor maatwerk, "
            "bijvoorbeeld voor een rijbewijs, kinderopvang of een NT2-cursus, zonder "
            "aparte aanvraagprocedure."
        ),
        results=_p(
            "Deelnemers waarderen de begeleiding met een 8,1. Het aantal afgebroken "
            "trajecten halveerde in het eerste jaar, en 24% van de 140 deelnemers stroomde "
            "uit naar werk of opleiding."
        ),
        contact=("Jeroen Visser", "j.visser@voorbeeld.nl"),
        duration="Doorlopend; gemiddeld 14 maanden per deelnemer",
        cost="€ 500 maatwerkbudget per deelnemer per jaar",
        published=date(2023, 2, 21),
        links=(DIVOSA, MOVISIE),
        communities=("intensieve-begeleiding",),
        related=("intensieve-begeleiding-kleine-caseload",),
        applied_by=(ZWOLLE, GRONINGEN),
    ),
    DemoPractice(
        slug="eerste-gesprek-aan-de-keukentafel",
        title="Het eerste gesprek aan de keukentafel",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("bijstand",),
        region="Groot Amsterdam",
        organisation=AMSTERDAM_GEM,
        summary=(
            "Klantmanagers voeren het eerste gesprek bij mensen thuis of in de buurt, met "
            "een tolk als dat nodig is. Zo zien ze de hele situatie en beginnen ze met "
            "vertrouwen in plaats van met regels."
        ),
        problem=_p(
            "Het eerste gesprek op het stadsloket voelt voor veel mensen als een controle. "
            "Ze vertellen weinig over wat hen tegenhoudt, zoals schulden, mantelzorg of "
            "gezondheid, waardoor het plan niet past."
        ),
        approach=_p(
            "Klantmanagers plannen het eerste gesprek bij de werkzoekende thuis of in een "
            "buurthuis, nemen er anderhalf uur voor en vragen eerst naar wat iemand kan en "
            "wil. Een tolk of sleutelpersoon uit de eigen gemeenschap kan aanschuiven."
        ),
        results=_p(
            "Klantmanagers zien sneller welke ondersteuning nodig is. Binnen drie maanden "
            "had 70% van de deelnemers een activiteit gericht op werk, tegenover 45% "
            "eerder."
        ),
        contact=("Lotte de Graaf", "l.degraaf@voorbeeld.nl"),
        duration="Eerste drie maanden van het traject",
        cost="Circa 2 uur extra tijd per deelnemer; tolk € 60 per gesprek",
        published=date(2023, 9, 12),
        links=(DIVOSA,),
        communities=("intensieve-begeleiding",),
        members_only=True,
        related=("intensieve-begeleiding-kleine-caseload",),
        applied_by=(ROTTERDAM,),
    ),
    DemoPractice(
        slug="training-inclusief-begeleiden",
        title="Training inclusief begeleiden voor klantmanagers",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("professionals",),
        region=None,
        organisation="Movisie",
        summary=(
            "Een training met online en fysieke modules die uitvoerende professionals en "
            "klantmanagers helpt om cliënten met een migratieachtergrond op een meer "
            "inclusieve manier te begeleiden. Gratis beschikbaar voor gemeenten."
        ),
        problem=_p(
            "Klantmanagers willen iedereen gelijk behandelen, maar (onbewuste) aannames "
            "over motivatie, taal of cultuur beïnvloeden welke begeleiding iemand krijgt. "
            "Er was weinig scholing die daar in de praktijk bij helpt."
        ),
        approach=_p("De training bestaat uit vier online modules en twee fysieke dagdelen:")
        + _ul(
            "Eigen referentiekader en (onbewuste) vooroordelen.",
            "Gespreksvoering met mensen die de taal nog niet goed spreken.",
            "Wat werkt: lessen uit de VIA-pilots.",
            "Casuïstiek en intervisie met collega's.",
        ),
        results=_p(
            "In de eerste evaluatie zegt 85% van de 260 deelnemers dat ze hun gesprekken "
            "anders voeren. Teamleiders zien meer maatwerkafspraken in de dossiers."
        ),
        contact=("Ingrid Mulder", "i.mulder@voorbeeld.nl"),
        duration="Vier online modules van 1 uur en twee fysieke dagdelen",
        cost="Gratis voor gemeenten",
        published=date(2023, 12, 5),
        links=(MOVISIE, RIJKSOVERHEID),
        communities=("intensieve-begeleiding",),
        related=("intervisie-vooroordelen-klantmanagers", "quickscan-diversiteit-teamgesprek"),
        applied_by=(ROTTERDAM, UTRECHT, TILBURG, GRONINGEN),
    ),
    DemoPractice(
        slug="quickscan-diversiteit-teamgesprek",
        title="Quickscan diversiteit als start van het teamgesprek",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("professionals", "bijstand"),
        region="Regio Zwolle",
        organisation=ZWOLLE,
        summary=(
            "Klantmanagers, beleidsmedewerkers en managers vullen ieder de quickscan "
            "diversiteit in en bespreken de verschillen. Het advies uit de scan wordt een "
            "werkplan voor een inclusievere dienstverlening."
        ),
        problem=_p(
            "De gemeente wist niet hoe inclusief haar dienstverlening aan mensen met een "
            "migratieachtergrond in de bijstand was. Beleid en uitvoering hadden daar "
            "verschillende beelden bij."
        ),
        approach=_p(
            "Twaalf medewerkers vulden de quickscan in op hun eigen niveau. In een "
            "teamsessie van een dagdeel legde het team de scores naast elkaar en koos het "
            "drie verbeterpunten: begrijpelijke brieven, een tolk bij het eerste gesprek "
            "en vaste afspraken met werkgevers."
        ),
        results=_p(
            "Binnen een halfjaar waren de standaardbrieven herschreven op B1-niveau en "
            "werd bij 40 gesprekken een tolk ingezet. De scan wordt jaarlijks herhaald."
        ),
        contact=("Mark Hendriks", "m.hendriks@voorbeeld.nl"),
        duration="Een dagdeel voor de scan en de teamsessie; verbeterplan van 6 maanden",
        cost="Geen kosten voor de scan; eigen uren",
        published=date(2024, 2, 13),
        links=(QUICKSCAN, VERWEY_JONKER, DIVOSA),
        communities=("intensieve-begeleiding",),
        related=("training-inclusief-begeleiden",),
        applied_by=(TILBURG,),
    ),
    DemoPractice(
        slug="ww-extra-gesprekken-eerste-maanden",
        title="Van WW naar werk: extra gesprekken in de eerste drie maanden",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("ww",),
        region="Twente",
        organisation="Uitvoeringsinstituut Werknemersverzekeringen (UWV)",
        summary=(
            "Werkzoekenden met een WW-uitkering krijgen in de eerste drie maanden twee extra "
            "persoonlijke gesprekken met een adviseur. Zo wordt een klein netwerk of "
            "onbekendheid met sollicitatieprocedures vroeg zichtbaar."
        ),
        problem=_p(
            "Mensen met een buiten-Europese migratieachtergrond vinden minder snel een "
            "nieuwe baan vanuit de WW: de eerste generatie 20% minder vaak dan mensen zonder "
            "migratieachtergrond. Online dienstverlening alleen sluit niet bij iedereen aan."
        ),
        approach=_p(
            "Adviseurs werk nodigen werkzoekenden uit voor een gesprek in week 4 en week 10. "
            "Ze bespreken het cv, het netwerk en de zoekstrategie, en verwijzen door naar "
            "een netwerktraining of werkgeversbijeenkomst in de regio."
        ),
        results=_p(
            "Deelnemers vonden gemiddeld drie weken eerder werk dan een vergelijkbare groep "
            "zonder extra gesprekken. Het verschil was het grootst bij mensen zonder "
            "Nederlands diploma."
        ),
        contact=("Bas Kuipers", "b.kuipers@voorbeeld.nl"),
        duration="3 maanden",
        cost="Circa € 250 per werkzoekende",
        published=date(2023, 5, 30),
        links=(UWV, MONITOR),
        related=("mobiliteitsteam-snel-in-beeld",),
        applied_by=(),
    ),
    DemoPractice(
        slug="werkgeversdienstverlening-een-loket",
        title="Werkgeversdienstverlening: één loket voor werkgevers in de regio",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("werkgevers", "bijstand"),
        region="Groningen",
        organisation=GRONINGEN,
        summary=(
            "Gemeenten en UWV in de arbeidsmarktregio werken met één team "
            "werkgeversdienstverlening. Werkgevers hebben één aanspreekpunt, en "
            "werkzoekenden uit de bijstand komen sneller in beeld bij echte vacatures."
        ),
        problem=_p(
            "Werkgevers werden benaderd door verschillende gemeenten, UWV en "
            "re-integratiebedrijven tegelijk. Ze raakten het overzicht kwijt en haakten af, "
            "juist in sectoren met grote tekorten."
        ),
        approach=_p(
            "Accountmanagers van gemeenten en UWV verdeelden de werkgevers per sector. Eén "
            "accountmanager bespreekt met de werkgever welke functies er zijn, of een "
            "werkproef of leerwerkplek kan, en welke begeleiding nodig is."
        ),
        results=_p(
            "In het eerste jaar leverde de samenwerking 180 plaatsingen op, waarvan een "
            "derde van mensen met een migratieachtergrond. Werkgevers geven het loket een "
            "7,8."
        ),
        contact=("Marieke Dijkstra", "m.dijkstra@voorbeeld.nl"),
        duration="Doorlopend",
        cost="Inzet accountmanagers uit bestaande formatie",
        published=date(2023, 3, 28),
        links=(UWV, VNG),
        related=("baangarantie-orderpicker",),
        applied_by=(ZWOLLE, WAALHAVEN),
    ),
    DemoPractice(
        slug="job-carving-ouderenzorg",
        title="Job carving in de ouderenzorg",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("werkgevers", "bijstand", "statushouders"),
        region="Midden-Utrecht",
        organisation=DE_LINDE,
        summary=(
            "Een zorgorganisatie haalt eenvoudige taken uit de functies van verzorgenden "
            "en maakt daar nieuwe banen van, zoals gastvrouw of woonkamerassistent. Die "
            "banen gaan naar werkzoekenden uit de bijstand, onder wie statushouders."
        ),
        problem=_p(
            "Door de vergrijzing zijn er steeds meer handen aan het bed nodig, maar "
            "verzorgenden besteden veel tijd aan taken waarvoor geen zorgopleiding nodig "
            "is. Tegelijk staan mensen met talent langs de zijlijn."
        ),
        approach=_p(
            "Samen met teams op drie locaties zijn de werkzaamheden in kaart gebracht. "
            "Taken als maaltijden rondbrengen, gezelschap bieden en linnen verzorgen zijn "
            "gebundeld in twee nieuwe functies. Nieuwe medewerkers krijgen een jobcoach en "
            "kunnen doorgroeien naar de opleiding helpende zorg en welzijn."
        ),
        results=_p(
            "Er ontstonden 22 nieuwe banen. Verzorgenden winnen gemiddeld vijf uur per week "
            "voor zorgtaken. Zes medewerkers zijn inmiddels aan de opleiding begonnen."
        ),
        contact=("Hanneke Bos", "h.bos@voorbeeld.nl"),
        duration="Voorbereiding 4 maanden, daarna doorlopend",
        cost="Jobcoaching circa € 2.000 per medewerker; loonkostensubsidie waar mogelijk",
        published=date(2023, 6, 20),
        links=(UWV, MOVISIE),
        communities=("mkb-zorg-en-welzijn",),
        related=("duaal-traject-helpende-zorg", "anonieme-eerste-selectie-zorg"),
        applied_by=(UTRECHT,),
    ),
    DemoPractice(
        slug="baangarantie-orderpicker",
        title="Baangarantie na de opleiding orderpicker",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("bijstand", "ww", "werkgevers"),
        region="Rijnmond",
        organisation=WAALHAVEN,
        summary=(
            "Werkzoekenden uit de bijstand en WW volgen een opleiding van acht weken tot "
            "orderpicker met heftruckcertificaat. Wie de opleiding afrondt, krijgt een "
            "arbeidscontract voor minimaal een jaar."
        ),
        problem=_p(
            "Het logistiek centrum had structureel vacatures, maar kandidaten zonder "
            "ervaring of certificaten vielen af bij de eerste selectie. Opleidingen zonder "
            "zicht op een baan leverden weinig gemotiveerde deelnemers op."
        ),
        approach=_p(
            "De gemeente selecteert samen met de werkgever op motivatie en een werkproef, "
            "niet op cv. De opleiding combineert praktijk in het magazijn met les in "
            "veiligheid en vaktaal. Een leidinggevende is vast aanspreekpunt."
        ),
        results=_p(
            "Van de eerste vier groepen (64 deelnemers) rondde 81% de opleiding af en kreeg "
            "een contract. Na een jaar was 70% nog in dienst, 12 van hen met een vast "
            "contract."
        ),
        contact=("Dennis van Leeuwen", "d.vanleeuwen@voorbeeld.nl"),
        duration="8 weken opleiding, daarna contract van minimaal 12 maanden",
        cost="€ 1.800 per deelnemer, gedeeld door gemeente en werkgever",
        published=date(2024, 4, 9),
        links=(UWV, DIVOSA),
        communities=("regio-rotterdam",),
        related=("werkproef-in-plaats-van-gesprek", "werkgeversdienstverlening-een-loket"),
        applied_by=(ROTTERDAM, GRONINGEN, "Randstad Groep Nederland"),
    ),
    DemoPractice(
        slug="leerwerktraject-monteur-zonnepanelen",
        title="Leerwerktraject monteur zonnepanelen voor statushouders",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("statushouders", "werkgevers"),
        region="Regio Zwolle",
        organisation=VAN_DIJK,
        summary=(
            "Statushouders werken vier dagen per week als leerling-monteur en leren één dag "
            "vaktaal en techniek. Na een jaar hebben ze een mbo-certificaat en een baan in "
            "de energietransitie."
        ),
        problem=_p(
            "Zijn er straks nog genoeg monteurs om alle zonnepanelen op de daken te leggen? "
            "Installatiebedrijven vinden moeilijk personeel, terwijl statushouders met "
            "technische ervaring jaren wachten op werk omdat hun diploma niet erkend is."
        ),
        approach=_p(
            "Gemeente, opleider en installatiebedrijf selecteren kandidaten met een "
            "praktijktest. Het traject combineert:"
        )
        + _ul(
            "vier dagen werken in een vast koppel met een ervaren monteur;",
            "één dag les in techniek, veiligheid (VCA) en vaktaal Nederlands;",
            "een jobcoach die ook de collega's ondersteunt;",
            "afstemming met de inburgering, zodat lessen en werk elkaar niet in de weg zitten.",
        ),
        results=_p(
            "Van de eerste twaalf deelnemers haalden er tien hun certificaat; negen werken "
            "nog bij het bedrijf. Hun taalniveau steeg gemiddeld een half niveau sneller dan "
            "in een gewoon inburgeringstraject."
        ),
        contact=("Erik Mensink", "e.mensink@voorbeeld.nl"),
        duration="12 maanden",
        cost="Circa € 6.500 per deelnemer (opleiding en jobcoach), deels gemeentelijk budget",
        published=date(2024, 3, 5),
        links=(VLUCHTELINGENWERK, RIJKSOVERHEID),
        documents=(
            (
                "handreiking-leerwerktrajecten-statushouders",
                "Bouwstenen, samenwerking in de regio en valkuilen",
            ),
        ),
        communities=("leerwerktrajecten-statushouders", "mkb-techniek-en-installatie"),
        related=("taal-op-de-werkvloer", "werkproef-in-plaats-van-gesprek"),
        applied_by=(ZWOLLE, GRONINGEN, TILBURG),
    ),
    DemoPractice(
        slug="taal-op-de-werkvloer",
        title="Taal op de werkvloer: NT2 gekoppeld aan de werkplek",
        theme=GUIDANCE,
        evidence=PROVEN,
        target_groups=("statushouders",),
        region="Midden-Brabant",
        organisation=TILBURG,
        summary=(
            "Statushouders leren Nederlands op en voor hun werkplek: de docent komt in het "
            "bedrijf, gebruikt de situaties en woorden van het werk en traint ook de "
            "collega's in duidelijk taalgebruik."
        ),
        problem=_p(
            "Statushouders die klassikaal Nederlands leren, kunnen op het werk vaak nog "
            "weinig met de taal. Werkgevers noemen taal als belangrijkste reden om niet met "
            "statushouders te beginnen."
        ),
        approach=_p(
            "Een NT2-docent geeft wekelijks twee uur les op de werkplek, in groepjes van "
            "vier. Lesmateriaal komt uit het werk: werkinstructies, veiligheidsregels, "
            "gesprekken met klanten. Leidinggevenden krijgen een training 'taalbewust "
            "begeleiden'."
        ),
        results=_p(
            "In een evaluatie met een vergelijkingsgroep bereikten deelnemers na zes maanden "
            "vaker taalniveau A2 op spreken (68% tegen 41%) en bleven ze vaker in dienst."
        ),
        contact=("Fatma Yildiz", "f.yildiz@voorbeeld.nl"),
        duration="6 tot 12 maanden, 2 uur per week",
        cost="€ 1.400 per deelnemer per half jaar",
        published=date(2022, 12, 13),
        links=(VLUCHTELINGENWERK, MOVISIE),
        documents=(
            (
                "handreiking-leerwerktrajecten-statushouders",
                "Zo zet u een leerwerktraject met taal op de werkvloer op",
            ),
        ),
        communities=("leerwerktrajecten-statushouders",),
        related=("leerwerktraject-monteur-zonnepanelen",),
        applied_by=(YILMAZ, WAALHAVEN, VAN_DIJK, UTRECHT),
    ),
    DemoPractice(
        slug="duaal-traject-helpende-zorg",
        title="Duaal traject helpende zorg en welzijn voor statushouders",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("statushouders",),
        region="Midden-Utrecht",
        organisation=ROC_MN,
        summary=(
            "Statushouders volgen de mbo-opleiding helpende zorg en welzijn (niveau 2) in "
            "combinatie met inburgering en een betaalde leerbaan bij een zorgorganisatie. "
            "Taalondersteuning zit in het hele programma."
        ),
        problem=_p(
            "Veel statushouders willen in de zorg werken, maar de reguliere opleiding "
            "vraagt een taalniveau dat ze aan het begin nog niet hebben. De inburgering en "
            "de opleiding liepen los van elkaar."
        ),
        approach=_p(
            "Het ROC bouwde een schakeljaar waarin inburgering, vaktaal en praktijk samen "
            "opgaan. Deelnemers werken drie dagen per week in de ouderenzorg. Een "
            "taalcoach en een praktijkopleider bespreken elke maand de voortgang."
        ),
        results=_p(
            "In de eerste lichting rondden 17 van de 22 deelnemers de opleiding af; 15 "
            "kregen een contract bij hun leerbedrijf."
        ),
        contact=("Anouk Verbeek", "a.verbeek@voorbeeld.nl"),
        duration="2 jaar (schakeljaar en opleidingsjaar)",
        cost="Reguliere bekostiging, aangevuld met € 2.500 per deelnemer voor taalcoaching",
        published=date(2024, 6, 18),
        links=(MBO_RAAD, VLUCHTELINGENWERK),
        communities=("leerwerktrajecten-statushouders",),
        members_only=True,
        related=("job-carving-ouderenzorg",),
        applied_by=(DE_LINDE,),
    ),
    DemoPractice(
        slug="van-inburgering-naar-werk",
        title="Van inburgering naar werk: trajectbegeleiding vanaf dag één",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("statushouders",),
        region="Haaglanden",
        organisation="VluchtelingenWerk Nederland",
        summary=(
            "Een trajectbegeleider maakt direct na huisvesting samen met de statushouder een "
            "werkplan. Vrijwilligerswerk, taal en werkervaring lopen vanaf het begin "
            "parallel, in plaats van na elkaar."
        ),
        problem=_p(
            "De arbeidsparticipatie van statushouders blijft achter. Na huisvesting gaat "
            "vaak maanden voorbij voordat er aandacht is voor werk, terwijl motivatie en "
            "ervaring uit het land van herkomst wegzakken."
        ),
        approach=_p(
            "In de eerste maand brengt een trajectbegeleider opleiding, ervaring en wensen "
            "in kaart. Binnen drie maanden start iedere deelnemer met een activiteit die "
            "past bij het werkplan: een werkervaringsplek, vrijwilligerswerk of een korte "
            "vakopleiding."
        ),
        results=_p(
            "Na een jaar had 38% van de 90 deelnemers betaald werk of een opleiding, "
            "tegenover 21% in de jaren ervoor."
        ),
        contact=("Hamid Rahimi", "h.rahimi@voorbeeld.nl"),
        duration="Eerste 24 maanden na huisvesting",
        cost="Circa € 2.800 per deelnemer",
        published=date(2023, 10, 17),
        links=(VLUCHTELINGENWERK, RIJKSOVERHEID),
        communities=("leerwerktrajecten-statushouders",),
        related=("leerwerktraject-monteur-zonnepanelen", "taal-op-de-werkvloer"),
        applied_by=(AMSTERDAM_GEM, TILBURG),
    ),
    DemoPractice(
        slug="diplomawaardering-hoger-opgeleide-statushouders",
        title="Hoger opgeleide statushouders: diplomawaardering en werkervaringsplek",
        theme=GUIDANCE,
        evidence=PROMISING,
        target_groups=("statushouders", "jongeren"),
        region="Holland Rijnland",
        organisation="Stichting voor Vluchteling-Studenten UAF",
        summary=(
            "Hoger opgeleide statushouders laten hun diploma waarderen en krijgen een "
            "werkervaringsplek van zes maanden op hun eigen niveau, met een mentor uit "
            "hetzelfde vakgebied."
        ),
        problem=_p(
            "Artsen, ingenieurs en docenten met een vluchtelingenachtergrond werken vaak ver "
            "onder hun niveau. Werkgevers kunnen buitenlandse diploma's moeilijk plaatsen en "
            "kandidaten missen een Nederlands netwerk."
        ),
        approach=_p(
            "Deelnemers krijgen hulp bij diplomawaardering en een taaltraject tot B2. Via "
            "het werkgeversnetwerk vinden ze een werkervaringsplek met een mentor; "
            "daarnaast volgen ze een sollicitatietraining."
        ),
        results=_p("Van de 45 deelnemers werkt 56% binnen een jaar op hbo- of wo-niveau."),
        contact=("Nadia Haddad", "n.haddad@voorbeeld.nl"),
        duration="12 maanden",
        cost="€ 4.000 per deelnemer",
        published=date(2024, 1, 16),
        links=(UAF,),
        related=("mentorprogramma-doorstroom",),
        applied_by=(UTRECHT,),
    ),
    DemoPractice(
        slug="leerwerkplek-ambachtelijke-bakkerij",
        title="Leerwerkplek in de ambachtelijke bakkerij",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("statushouders", "werkgevers"),
        region="Midden-Brabant",
        organisation=YILMAZ,
        summary=(
            "Een familiebakkerij biedt ieder jaar twee statushouders een leerwerkplek als "
            "bakkersassistent, met een BBL-opleiding en begeleiding door de eigenaar zelf."
        ),
        problem=_p(
            "Kleine werkgevers willen wel, maar weten niet hoe ze een leerwerktraject "
            "regelen en zien op tegen de papierwinkel rond subsidies en inburgering."
        ),
        approach=_p(
            "De gemeente regelt de administratie en de afstemming met de inburgering. De "
            "bakkerij zorgt voor een vaste werkbegeleider en een rooster dat past bij de "
            "taallessen. Na het eerste halfjaar start de BBL-opleiding."
        ),
        results=_p(
            "In drie jaar begonnen zes statushouders; vier werken nog in de bakkerij of "
            "bij een andere bakker in de regio."
        ),
        contact=("Emre Yilmaz", "e.yilmaz@voorbeeld.nl"),
        duration="2 jaar (BBL niveau 2)",
        cost="Praktijkleren-subsidie en loonkostensubsidie dekken het grootste deel",
        published=date(2024, 9, 3),
        links=(SBB,),
        communities=("leerwerktrajecten-statushouders",),
        members_only=True,
        related=("taal-op-de-werkvloer",),
        applied_by=(),
    ),
    DemoPractice(
        slug="mobiliteitsteam-snel-in-beeld",
        title="Regionaal Mobiliteitsteam: werkzoekenden met WW snel in beeld",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("ww", "professionals"),
        region="Zuidoost-Brabant",
        organisation="Uitvoeringsinstituut Werknemersverzekeringen (UWV)",
        summary=(
            "Het Regionaal Mobiliteitsteam benadert mensen die hun baan dreigen te verliezen "
            "al vóór de WW ingaat, en koppelt hen aan werkgevers in sectoren met tekorten."
        ),
        problem=_p(
            "Mensen met een migratieachtergrond verliezen vaker hun baan, vooral bij "
            "flexibele contracten, en vinden minder snel nieuw werk. Hulp komt vaak pas als "
            "iemand al werkloos is."
        ),
        approach=_p(
            "Uitzendbureaus, UWV, gemeenten en vakbonden melden dreigend baanverlies bij het "
            "mobiliteitsteam. Een loopbaanadviseur maakt binnen twee weken een plan met "
            "scholing, een werkproef of directe bemiddeling."
        ),
        results=_p(
            "Van de 320 mensen die in het eerste jaar werden benaderd, vond 62% werk zonder "
            "of met een korte WW-periode."
        ),
        contact=("Sanne van den Broek", "s.vandenbroek@voorbeeld.nl"),
        duration="Gemiddeld 4 maanden per persoon",
        cost="Regionaal budget van het mobiliteitsteam",
        published=date(2024, 5, 14),
        links=(UWV, ("Algemene Bond Uitzendondernemingen (ABU)", "https://www.abu.nl/")),
        related=("ww-extra-gesprekken-eerste-maanden",),
        applied_by=("Algemene Bond Uitzendondernemingen (ABU)",),
    ),
    DemoPractice(
        slug="werkbezoeken-lerend-netwerk",
        title="Werkbezoeken in het lerend netwerk",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("professionals",),
        region="Groot Amsterdam",
        organisation="Divosa",
        summary=(
            "Klantmanagers uit verschillende gemeenten bezoeken samen een veelbelovend "
            "project, spreken deelnemers en werkgevers en nemen één concrete verbetering mee "
            "terug naar hun eigen team."
        ),
        problem=_p(
            "Het is voor gemeenten niet altijd bekend welke methoden effectief zijn om "
            "mensen met een migratieachtergrond naar werk te begeleiden. Verslagen en "
            "rapporten alleen leiden zelden tot verandering in de uitvoering."
        ),
        approach=_p(
            "Vier keer per jaar organiseert het lerend netwerk een werkbezoek van een "
            "dagdeel. Het format:"
        )
        + _ol(
            "Het gastteam vertelt wat werkt en waar het vastloopt.",
            "Deelnemers spreken in kleine groepen met werkzoekenden en werkgevers.",
            "Iedere bezoeker schrijft één verbetering op voor het eigen team.",
            "Drie maanden later delen deelnemers in het forum wat ervan terechtkwam.",
        ),
        results=_p(
            "Deelnemers geven aan veel te leren van elkaars ervaringen. Na vier werkbezoeken "
            "hadden 25 van de 40 deelnemers een verbetering in hun team ingevoerd."
        ),
        contact=("Coby Coördinator", "coordinator@voorbeeld.nl"),
        duration="Een dagdeel per werkbezoek, vier keer per jaar",
        cost="Reiskosten; het netwerk is gratis voor deelnemers",
        published=date(2023, 4, 25),
        links=(DIVOSA, NULMETING),
        communities=("intensieve-begeleiding", "leerwerktrajecten-statushouders"),
        related=("intensieve-begeleiding-kleine-caseload",),
        applied_by=(ROTTERDAM, UTRECHT, ZWOLLE),
    ),
    DemoPractice(
        slug="intervisie-vooroordelen-klantmanagers",
        title="Intervisie voor klantmanagers over (onbewuste) vooroordelen",
        theme=GUIDANCE,
        evidence=PRACTICE,
        target_groups=("professionals",),
        region="Drechtsteden",
        organisation=(
            "SAM, beroepsvereniging voor uitvoerend professionals in het publiek sociaal domein"
        ),
        summary=(
            "Klantmanagers bespreken maandelijks een eigen casus waarin afkomst, taal of "
            "cultuur een rol speelde. Een vaste methode helpt om aannames te herkennen "
            "zonder elkaar te veroordelen."
        ),
        problem=_p(
            "Klantmanagers hebben weinig ruimte om stil te staan bij hun eigen beslissingen. "
            "Aannames over wat iemand 'wil' of 'kan' sluipen zo ongemerkt in adviezen en "
            "plannen."
        ),
        approach=_p(
            "Groepen van zes klantmanagers komen elke maand anderhalf uur bij elkaar onder "
            "leiding van een getrainde collega. Ze gebruiken de incidentmethode en sluiten "
            "af met een concrete afspraak."
        ),
        results=_p(
            "Deelnemers zeggen vaker door te vragen voordat ze een conclusie trekken. Het "
            "team heeft nu een vaste vraag in het intakeformulier over wat iemand eerder "
            "deed in het land van herkomst."
        ),
        contact=("Youssef Amrani", "y.amrani@voorbeeld.nl"),
        duration="Maandelijks 1,5 uur, minimaal een jaar",
        cost="Eigen uren; training gespreksleider circa € 750",
        published=date(2024, 7, 2),
        links=(MOVISIE,),
        communities=("intensieve-begeleiding",),
        related=("training-inclusief-begeleiden",),
        applied_by=(GRONINGEN,),
    ),
    # Theme 1: more (cultural) diversity at work ------------------------------------------
    DemoPractice(
        slug="anonieme-eerste-selectie-zorg",
        title="Anonieme eerste selectie bij een zorgorganisatie",
        theme=DIVERSITY,
        evidence=PROMISING,
        target_groups=("werkgevers",),
        region="Midden-Utrecht",
        organisation=DE_LINDE,
        summary=(
            "In de eerste selectieronde ziet de commissie geen naam, foto, leeftijd of "
            "adres. Kandidaten worden beoordeeld op vooraf vastgestelde criteria door een "
            "vaste commissie van drie personen."
        ),
        problem=_p(
            "De instroom van nieuwe medewerkers was weinig divers, terwijl de cliënten dat "
            "wel waren. Bij nader inzien nodigden teams vooral kandidaten uit die leken op "
            "het zittende team."
        ),
        approach=_p(
            "Het sollicitatiesysteem verbergt persoonsgegevens tot na de eerste ronde. HR en "
            "teamleiders stelden per functie vijf criteria op. Na de anonieme ronde volgt "
            "een gestructureerd interview."
        ),
        results=_p(
            "Het aandeel uitgenodigde kandidaten met een niet-Nederlands klinkende naam steeg "
            "van 18% naar 31%. Het verloop in het eerste jaar daalde met een kwart."
        ),
        contact=("Petra Smit", "p.smit@voorbeeld.nl"),
        duration="Invoering in 3 maanden",
        cost="Aanpassing sollicitatiesysteem circa € 3.000; training commissies",
        published=date(2023, 7, 11),
        links=(TNO, AWVN),
        documents=(
            (
                "toolbox-objectief-werven-en-selecteren",
                "Instrumenten voor werving, selectie, onboarding en doorstroom",
            ),
        ),
        communities=("mkb-zorg-en-welzijn",),
        related=("gestructureerd-interview", "job-carving-ouderenzorg"),
        applied_by=(UTRECHT, WAALHAVEN),
    ),
    DemoPractice(
        slug="werkproef-in-plaats-van-gesprek",
        title="Werkproef in plaats van sollicitatiegesprek",
        theme=DIVERSITY,
        evidence=PRACTICE,
        target_groups=("werkgevers",),
        region="Regio Zwolle",
        organisation=VAN_DIJK,
        summary=(
            "Een installatiebedrijf vervangt het klassieke sollicitatiegesprek door een "
            "werkproef van een halve dag met vaste opdrachten en een scoreformulier. "
            "Monteurs worden aangenomen op wat ze kunnen, niet op hun naam of cv."
        ),
        problem=_p(
            "Goede vakmensen vielen af in het gesprek, vaak omdat ze zich minder goed "
            "konden presenteren of omdat de klik ontbrak. Tegelijk bleven vacatures voor "
            "monteurs maanden open staan."
        ),
        approach=_p(
            "Kandidaten doen drie praktijkopdrachten, zoals een groep aansluiten en een "
            "storing zoeken. Twee monteurs scoren ieder onderdeel op een vaste schaal. Pas "
            "daarna volgt een kort gesprek over arbeidsvoorwaarden."
        ),
        results=_p(
            "In een jaar werden 9 monteurs aangenomen, van wie 4 met een "
            "migratieachtergrond. Alle negen zijn na een jaar nog in dienst."
        ),
        contact=("Wendy Werkgever", "werkgever@voorbeeld.nl"),
        duration="Een halve dag per kandidaat",
        cost="Circa 4 uur van twee monteurs per kandidaat",
        published=date(2024, 10, 8),
        links=(MKB, TNO),
        documents=(
            (
                "toolbox-objectief-werven-en-selecteren",
                "Zo richt u een werkproef en een scoreformulier in",
            ),
        ),
        communities=("mkb-techniek-en-installatie",),
        related=("gestructureerd-interview", "leerwerktraject-monteur-zonnepanelen"),
        applied_by=(YILMAZ, WAALHAVEN),
    ),
    DemoPractice(
        slug="gestructureerd-interview",
        title="Gestructureerd interview met vaste vragen en beoordelingsschaal",
        theme=DIVERSITY,
        evidence=PROVEN,
        target_groups=("werkgevers", "professionals"),
        region="Haaglanden",
        organisation="Algemene Werkgeversvereniging Nederland (AWVN)",
        summary=(
            "Alle kandidaten krijgen dezelfde vragen in dezelfde volgorde, en iedere "
            "beoordelaar scoort elk antwoord direct op een vaste schaal. Zo weegt de eerste "
            "indruk of 'klik' minder zwaar."
        ),
        problem=_p(
            "70% van de werkgevers selecteert nog op basis van de eerste indruk. Mensen zijn "
            "geneigd mensen te selecteren die op hen lijken, waardoor kandidaten met een "
            "migratieachtergrond bij gelijke kwalificaties minder kans maken."
        ),
        approach=_p("Werkgevers in het netwerk voeren het gestructureerde interview in stappen in:")
        + _ol(
            "Functieanalyse: welke vier tot zes competenties zijn echt nodig?",
            "Per competentie twee vragen naar concreet gedrag in het verleden.",
            "Een scoreschaal met voorbeelden van zwakke en sterke antwoorden.",
            "Iedere beoordelaar scoort eerst zelf; pas daarna volgt het gesprek.",
        ),
        results=_p(
            "Een labstudie met HR-professionals liet zien dat structurering de invloed van "
            "persoonlijke voorkeuren verkleint. Bij de deelnemende werkgevers steeg het "
            "aandeel aangenomen kandidaten met een migratieachtergrond van 14% naar 22%."
        ),
        contact=("Robert Jansen", "r.jansen@voorbeeld.nl"),
        duration="Invoering in 2 maanden; training beoordelaars een dagdeel",
        cost="Training circa € 450 per beoordelaar",
        published=date(2022, 10, 4),
        links=(AWVN, TNO, RIJKSOVERHEID),
        documents=(
            (
                "toolbox-objectief-werven-en-selecteren",
                "Met een voorbeeld van een scoreformulier",
            ),
        ),
        communities=("mkb-techniek-en-installatie", "mkb-zorg-en-welzijn"),
        related=("werkproef-in-plaats-van-gesprek", "anonieme-eerste-selectie-zorg"),
        applied_by=(VAN_DIJK, DE_LINDE, WAALHAVEN, YILMAZ, UTRECHT, ROTTERDAM),
    ),
    DemoPractice(
        slug="inclusieve-vacaturetekst",
        title="Inclusieve vacaturetekst: schrap eisen die het werk niet vraagt",
        theme=DIVERSITY,
        evidence=PROMISING,
        target_groups=("werkgevers",),
        region="Zuid-Limburg",
        organisation="VNO-NCW en MKB-Nederland",
        summary=(
            "Mkb-werkgevers herschrijven hun vacatureteksten samen met een adviseur: minder "
            "eisen, eenvoudige taal, en een zin dat het bedrijf objectief selecteert. Meer "
            "en andere kandidaten reageren."
        ),
        problem=_p(
            "Vacatureteksten vragen vaak om 'perfecte beheersing van het Nederlands' of een "
            "rijbewijs, ook als het werk dat niet nodig maakt. Kandidaten met een "
            "migratieachtergrond haken daardoor al af voordat ze solliciteren."
        ),
        approach=_p(
            "In regionale workshops van twee uur nemen werkgevers hun eigen vacature mee. "
            "Met een checklist schrappen ze overbodige eisen, herschrijven ze op B1-niveau "
            "en beschrijven ze hoe de selectie verloopt."
        ),
        results=_p(
            "De 35 deelnemende bedrijven kregen gemiddeld 40% meer reacties op hun "
            "herschreven vacatures."
        ),
        contact=("Kim Schreurs", "k.schreurs@voorbeeld.nl"),
        duration="Workshop van 2 uur; toepassen bij elke nieuwe vacature",
        cost="Gratis voor leden van regionale werkgeversorganisaties",
        published=date(2023, 11, 21),
        links=(MKB, DIB),
        communities=("mkb-techniek-en-installatie",),
        related=("gestructureerd-interview",),
        applied_by=(VAN_DIJK, YILMAZ, DE_LINDE),
    ),
    DemoPractice(
        slug="nudging-werving-en-selectie",
        title="Nudging in werving en selectie",
        theme=DIVERSITY,
        evidence=PROVEN,
        target_groups=("werkgevers", "professionals"),
        region="Amersfoort",
        organisation="Randstad Groep Nederland",
        summary=(
            "Kleine duwtjes op de beslismomenten in het wervingsproces, zoals een "
            "herinnering aan de criteria vlak voor het beoordelen van cv's, verminderen de "
            "invloed van vooroordelen zonder het proces zwaarder te maken."
        ),
        problem=_p(
            "Recruiters nemen in korte tijd veel beslissingen. Trainingen over vooroordelen "
            "alleen veranderen weinig aan wat er op het moment van kiezen gebeurt."
        ),
        approach=_p(
            "In de pilot kregen recruiters op vaste momenten een nudge: een pop-up met de "
            "criteria bij het openen van een cv, een verplichte motivering bij afwijzing en "
            "een overzicht van de diversiteit van de shortlist."
        ),
        results=_p(
            "De praktijkpilot met werkgevers liet een positief effect zien op de kansen van "
            "kandidaten met een migratieachtergrond in de eerste selectieronde."
        ),
        contact=("Linda Kramer", "l.kramer@voorbeeld.nl"),
        duration="Pilot van 6 maanden; daarna vast onderdeel van het proces",
        cost="Aanpassing van het wervingssysteem; geen extra tijd per vacature",
        published=date(2023, 1, 17),
        links=(TNO, RIJKSOVERHEID),
        related=("gestructureerd-interview",),
        applied_by=("Algemene Bond Uitzendondernemingen (ABU)",),
    ),
    DemoPractice(
        slug="regionaal-werkgeversnetwerk-rolmodellen",
        title="Regionaal werkgeversnetwerk: mkb leert van rolmodellen",
        theme=DIVERSITY,
        evidence=PRACTICE,
        target_groups=("werkgevers",),
        region="Rijnmond",
        organisation=DIB_ORG,
        summary=(
            "In een regionaal werkgeversnetwerk zoals 010-Inclusief vertellen werkgevers "
            "die objectief werven en selecteren al toepassen hoe ze dat deden. Andere "
            "mkb-bedrijven gaan met één instrument aan de slag."
        ),
        problem=_p(
            "Er is een voorhoede van werkgevers die doen wat werkt, maar de grotere groep "
            "mkb-bedrijven doet nog niet mee. Kleine bedrijven hebben geen HR-afdeling en "
            "herkennen zich niet in voorbeelden van grote organisaties."
        ),
        approach=_p(
            "Zes keer per jaar ontvangt een rolmodel andere werkgevers in het eigen bedrijf. "
            "Elke deelnemer kiest na afloop één instrument, zoals een gestructureerd "
            "interview of een werkproef, en vertelt de volgende keer hoe het ging."
        ),
        results=_p(
            "In twee jaar sloten 48 mkb-bedrijven aan; 30 van hen gebruiken inmiddels minimaal "
            "één instrument voor objectief werven en selecteren."
        ),
        contact=("Zeynep Aydın", "z.aydin@voorbeeld.nl"),
        duration="Doorlopend; zes bijeenkomsten per jaar",
        cost="Lidmaatschap van het netwerk; gratis eerste jaar voor mkb",
        published=date(2024, 2, 27),
        links=(DIB, MKB),
        communities=("regio-rotterdam", "mkb-techniek-en-installatie"),
        related=("werkproef-in-plaats-van-gesprek", "gestructureerd-interview"),
        applied_by=(WAALHAVEN, ROTTERDAM),
    ),
    DemoPractice(
        slug="buddy-voor-nieuwe-collegas",
        title="Buddy's voor nieuwe collega's in de logistiek",
        theme=DIVERSITY,
        evidence=PRACTICE,
        target_groups=("werkgevers", "statushouders"),
        region="Rijnmond",
        organisation=WAALHAVEN,
        summary=(
            "Iedere nieuwe medewerker krijgt de eerste drie maanden een buddy: een ervaren "
            "collega die wegwijs maakt, vragen beantwoordt en helpt bij de vaktaal."
        ),
        problem=_p(
            "Nieuwe medewerkers, vooral statushouders en mensen die lang niet gewerkt hadden, "
            "vertrokken vaak in de eerste maanden. Ze durfden leidinggevenden niet alles te "
            "vragen en voelden zich geen deel van het team."
        ),
        approach=_p(
            "Buddy's krijgen een korte training en een uur per week voor hun rol. Er is een "
            "inwerkplan met drie vaste gesprekken, en buddy's spreken elkaar maandelijks."
        ),
        results=_p(
            "Het verloop in de eerste drie maanden daalde van 28% naar 12%. Buddy's noemen "
            "de rol een waardering van hun eigen ervaring."
        ),
        contact=("Ricardo Martis", "r.martis@voorbeeld.nl"),
        duration="3 maanden per nieuwe medewerker",
        cost="1 uur per week van de buddy; training een dagdeel",
        published=date(2024, 11, 12),
        links=(DIB,),
        communities=("regio-rotterdam",),
        related=("baangarantie-orderpicker",),
        applied_by=(VAN_DIJK, DE_LINDE),
    ),
    DemoPractice(
        slug="transparante-doorgroeigesprekken",
        title="Transparante doorgroeigesprekken en loopbaanpaden",
        theme=DIVERSITY,
        evidence=PROMISING,
        target_groups=("werkgevers", "professionals"),
        region="Groningen",
        organisation=GRONINGEN,
        summary=(
            "De gemeente als werkgever publiceert voor elke functie de criteria om door te "
            "groeien en voert jaarlijks een doorgroeigesprek met iedere medewerker, niet "
            "alleen met wie er zelf om vraagt."
        ),
        problem=_p(
            "Ook na instroom hebben medewerkers met een migratieachtergrond minder kans om "
            "door te groeien. Het proces om door te stromen naar een hogere functie was niet "
            "transparant en hing af van wie de leidinggevende kende."
        ),
        approach=_p(
            "Loopbaanpaden per functiefamilie zijn openbaar op intranet. Leidinggevenden "
            "volgen een training talentontwikkeling, en HR controleert jaarlijks wie is "
            "doorgestroomd."
        ),
        results=_p(
            "Het aandeel medewerkers met een migratieachtergrond dat doorstroomde naar een "
            "hogere schaal steeg in twee jaar van 4% naar 7%."
        ),
        contact=("Jolien Wiersma", "j.wiersma@voorbeeld.nl"),
        duration="Jaarcyclus; invoering in een jaar",
        cost="Training leidinggevenden circa € 600 per persoon",
        published=date(2024, 8, 20),
        links=(SCP, MONITOR),
        related=("mentorprogramma-doorstroom", "diversiteitsdoelen-mkb"),
        applied_by=(UTRECHT,),
    ),
    DemoPractice(
        slug="diversiteitsdoelen-mkb",
        title="Diversiteitsdoelen op één A4 voor het mkb",
        theme=DIVERSITY,
        evidence=PRACTICE,
        target_groups=("werkgevers",),
        region="Noordoost-Brabant",
        organisation="VNO-NCW en MKB-Nederland",
        summary=(
            "Mkb-bedrijven stellen met een eenvoudig format drie doelen op voor diversiteit "
            "en inclusie, bespreken ze twee keer per jaar en delen hun voortgang in de "
            "regionale community."
        ),
        problem=_p(
            "Maar 1 op de 5 werkgevers heeft doelen voor diversiteit opgesteld. Zonder "
            "doelen blijft het bij goede bedoelingen, en trainingen worden niet verankerd."
        ),
        approach=_p(
            "Een format van één A4 met drie vragen: waar staan we, wat willen we over een "
            "jaar bereiken, en welk instrument zetten we in? Een adviseur van de regionale "
            "werkgeversorganisatie helpt bij het eerste gesprek."
        ),
        results=_p("Van de 25 deelnemende bedrijven haalde 60% minstens twee van de drie doelen."),
        contact=("Thijs van Gerwen", "t.vangerwen@voorbeeld.nl"),
        duration="Eén gesprek van 2 uur, daarna halfjaarlijks",
        cost="Gratis",
        published=date(2025, 1, 14),
        links=(MKB,),
        related=("transparante-doorgroeigesprekken",),
        applied_by=(VAN_DIJK,),
    ),
    DemoPractice(
        slug="leergang-objectieve-selectie-di-professionals",
        title="Leergang objectieve selectie voor D&I-professionals",
        theme=DIVERSITY,
        evidence=PROMISING,
        target_groups=("professionals",),
        region="Groot Amsterdam",
        organisation=DIB_ORG,
        summary=(
            "Een leergang van vijf bijeenkomsten voor professionals in HRM en diversiteit "
            "en inclusie: zij leren werkgevers ondersteunen bij de overstap naar objectief "
            "werven en selecteren."
        ),
        problem=_p(
            "HR- en D&I-professionals moeten werkgevers helpen bij de transitie naar een "
            "inclusieve arbeidsmarkt, maar objectieve werving en selectie zit nog weinig in "
            "opleidingen voor HRM en recruitment."
        ),
        approach=_p(
            "Vijf bijeenkomsten over de wetenschap achter objectief selecteren, het "
            "ontwerpen van een selectieprocedure, de wet Toezicht gelijke kansen bij werving "
            "en selectie en het begeleiden van verandering. Deelnemers werken aan een casus "
            "uit de eigen organisatie."
        ),
        results=_p(
            "Alle 30 deelnemers van de eerste lichting voerden in hun organisatie minstens "
            "één verandering door; twaalf werden mentor voor een volgende groep."
        ),
        contact=("Priya Ramdin", "p.ramdin@voorbeeld.nl"),
        duration="5 bijeenkomsten verspreid over 4 maanden",
        cost="€ 950 per deelnemer",
        published=date(2023, 8, 29),
        links=(DIB, AWVN),
        related=("gestructureerd-interview",),
        applied_by=("Algemene Werkgeversvereniging Nederland (AWVN)",),
    ),
    DemoPractice(
        slug="mentorprogramma-doorstroom",
        title="Mentorprogramma voor doorstroom naar leidinggevende functies",
        theme=DIVERSITY,
        evidence=PROMISING,
        target_groups=("werkgevers", "professionals"),
        region="Flevoland",
        organisation="Randstad Groep Nederland",
        summary=(
            "Medewerkers met ambitie krijgen een jaar lang een mentor uit het management "
            "van een andere afdeling. Mentor en mentee werken samen aan een ontwikkelplan en "
            "zichtbaarheid in de organisatie."
        ),
        problem=_p(
            "Mensen met een buiten-Europese migratieachtergrond stromen minder vaak door "
            "naar een vaste baan en een hogere functie. Ze missen vaak het informele netwerk "
            "waarlangs doorgroeikansen lopen."
        ),
        approach=_p(
            "Elk jaar doen twintig duo's mee. Ze spreken elkaar maandelijks, en de mentee "
            "loopt twee dagen mee met een leidinggevende. Mentoren krijgen een training "
            "over (onbewuste) vooroordelen in beoordelingen."
        ),
        results=_p(
            "Van de eerste 40 mentees kreeg 35% binnen anderhalf jaar een hogere functie. "
            "Mentoren zeggen zelf anders te kijken naar talent in hun eigen team."
        ),
        contact=("Kofi Mensah", "k.mensah@voorbeeld.nl"),
        duration="12 maanden per duo",
        cost="Circa € 1.200 per duo (training en bijeenkomsten)",
        published=date(2024, 4, 30),
        links=(DIB, MONITOR),
        related=("transparante-doorgroeigesprekken",),
        applied_by=(GRONINGEN, DE_LINDE),
    ),
    # Theme 2: a first job or internship for young people ----------------------------------
    DemoPractice(
        slug="checklist-stagediscriminatie-in-de-bpv",
        title="Checklist stagediscriminatie in de beroepspraktijkvorming",
        theme=FIRST_JOB,
        evidence=PROMISING,
        target_groups=("jongeren", "professionals"),
        region="Midden-Utrecht",
        organisation=ROC_MN,
        summary=(
            "Een mbo-school gebruikt de checklist stagediscriminatie om bpv-coördinatoren, "
            "stagebegeleiders en leerbedrijven aan één tafel te krijgen: wat doen we al, en "
            "wat ontbreekt nog?"
        ),
        problem=_p(
            "Jongeren met een migratieachtergrond moeten twee tot drie keer vaker "
            "solliciteren om een stageplek te vinden. De school had wel beleid, maar "
            "stagebegeleiders wisten niet wat ze moesten doen bij een signaal."
        ),
        approach=_p(
            "Elk opleidingsteam loopt de checklist door in een teamoverleg en kiest twee "
            "verbeterpunten. Leerbedrijven doen hetzelfde met hun eigen deel van de "
            "checklist tijdens de jaarlijkse bijeenkomst."
        ),
        results=_p(
            "Alle 14 teams hebben nu een vast aanspreekpunt. Het aantal meldingen steeg in "
            "het eerste jaar van 3 naar 21, wat de school ziet als teken van vertrouwen."
        ),
        contact=("Sarah Boukhari", "s.boukhari@voorbeeld.nl"),
        duration="Een teamoverleg per opleiding; jaarlijks herhalen",
        cost="Geen; eigen uren",
        published=date(2023, 9, 26),
        links=(TOOLBOX_STAGE, KIS, MBO_RAAD),
        documents=(
            ("checklist-stagediscriminatie", "De checklist voor school, leerbedrijf en student"),
        ),
        communities=("tegen-stagediscriminatie",),
        related=("meldpunt-stagediscriminatie", "toolbox-aanpak-stagediscriminatie"),
        applied_by=("MBO Raad", "Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)"),
    ),
    DemoPractice(
        slug="meldpunt-stagediscriminatie",
        title="Laagdrempelig meldpunt stagediscriminatie",
        theme=FIRST_JOB,
        evidence=PROMISING,
        target_groups=("jongeren",),
        region="West-Brabant",
        organisation="MBO Raad",
        summary=(
            "Studenten melden stagediscriminatie bij een vaste contactpersoon per opleiding, "
            "via een formulier of anoniem. Binnen twee werkdagen horen ze wat er gebeurt, en "
            "de school helpt aan een andere stageplek."
        ),
        problem=_p(
            "Studenten melden stagediscriminatie zelden: ze weten niet waar, verwachten dat "
            "er niets gebeurt of zijn bang voor gevolgen. Scholen zien daardoor niet hoe "
            "vaak het voorkomt."
        ),
        approach=_p(
            "Op basis van onderzoek naar hoe mbo-studenten stagediscriminatie willen melden "
            "richtten vier scholen een meldroute in:"
        )
        + _ul(
            "een herkenbaar aanspreekpunt per opleiding naast de vertrouwenspersoon;",
            "persoonlijk, digitaal of anoniem melden;",
            "terugkoppeling aan de student binnen twee werkdagen;",
            "een gesprek met het leerbedrijf en zo nodig een melding bij SBB.",
        ),
        results=_p(
            "In het eerste schooljaar kwamen 46 meldingen binnen. In 30 gevallen is met het "
            "leerbedrijf gesproken; 4 bedrijven verloren hun erkenning als leerbedrijf."
        ),
        contact=("Daan Koster", "d.koster@voorbeeld.nl"),
        duration="Inrichting in 3 maanden; doorlopend",
        cost="Circa 0,2 fte per school voor coördinatie",
        published=date(2024, 1, 30),
        links=(VERWEY_JONKER, MBO_RAAD, SBB),
        documents=(
            (
                "handreiking-melden-stagediscriminatie",
                "Een meldroute die studenten vertrouwen, in vijf stappen",
            ),
        ),
        communities=("tegen-stagediscriminatie",),
        related=("checklist-stagediscriminatie-in-de-bpv",),
        applied_by=(ROC_MN,),
    ),
    DemoPractice(
        slug="toolbox-aanpak-stagediscriminatie",
        title="Toolbox aanpak stagediscriminatie voor scholen",
        theme=FIRST_JOB,
        evidence=PRACTICE,
        target_groups=("jongeren", "professionals"),
        region=None,
        organisation=KIS_ORG,
        summary=(
            "Een toolbox met interventies die onderwijsinstellingen kunnen inzetten tegen "
            "stagediscriminatie: van beleid en training voor stagebegeleiders tot afspraken "
            "met leerbedrijven. Veel scholen gebruiken hem al."
        ),
        problem=_p(
            "Scholen willen stagediscriminatie tegengaan en hebben daar in het Stagepact MBO "
            "2023-2027 afspraken over gemaakt, maar weten niet welke interventies werken en "
            "waar ze moeten beginnen."
        ),
        approach=_p(
            "De toolbox ordent interventies naar wie ze uitvoert (bestuur, docent, "
            "stagebegeleider, leerbedrijf) en geeft per interventie aan wat bekend is over "
            "de werking. Scholen kiezen met de bijbehorende checklist hun startpunt."
        ),
        results=_p(
            "Organisaties als het kennispunt GKDI, het BPV-netwerk en ECHO gebruiken de "
            "inzichten bij de ondersteuning van onderwijsinstellingen."
        ),
        contact=("Esther Vos", "e.vos@voorbeeld.nl"),
        duration="Naar keuze; de meeste scholen starten met een schooljaar",
        cost="Gratis te downloaden",
        published=date(2023, 5, 23),
        links=(TOOLBOX_STAGE, KIS, MANIFEST_HO),
        documents=(
            ("checklist-stagediscriminatie", "De checklist bij de toolbox"),
            ("handreiking-melden-stagediscriminatie", "Zo richt u een meldroute in"),
        ),
        communities=("tegen-stagediscriminatie",),
        related=("checklist-stagediscriminatie-in-de-bpv", "meldpunt-stagediscriminatie"),
        applied_by=(ROC_MN, "MBO Raad", "Vereniging Hogescholen (VH)"),
    ),
    DemoPractice(
        slug="objectieve-selectie-stagiairs",
        title="Objectieve selectie van stagiairs bij leerbedrijven",
        theme=FIRST_JOB,
        evidence=PROMISING,
        target_groups=("jongeren", "werkgevers"),
        region="Midden-Gelderland",
        organisation="Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)",
        summary=(
            "Leerbedrijven selecteren stagiairs met drie vaste vragen en een kort "
            "scoreformulier. Ook een beperkt gebruik van objectief selecteren geeft "
            "jongeren met een migratieachtergrond gelijkere kansen."
        ),
        problem=_p(
            "Bij stages kiezen leerbedrijven vaak op gevoel of via het eigen netwerk. "
            "Studenten met een migratieachtergrond worden minder vaak uitgenodigd, ook bij "
            "gelijke cijfers en motivatie."
        ),
        approach=_p(
            "Adviseurs praktijkleren bespreken bij het erkenningsbezoek het selectieproces. "
            "Leerbedrijven krijgen een kaart met drie gespreksvragen, een scoreformulier en "
            "de afspraak om afwijzingen te motiveren."
        ),
        results=_p(
            "Onderzoek onder stagebedrijven laat zien dat ook een beperkt gebruik van "
            "elementen uit objectief werven en selecteren een positief effect heeft. Van de "
            "120 bedrijven in de regio gebruikt 45% de kaart."
        ),
        contact=("Bram Peters", "b.peters@voorbeeld.nl"),
        duration="Onderdeel van het erkenningsbezoek",
        cost="Geen extra kosten",
        published=date(2024, 3, 19),
        links=(SBB, SEO),
        documents=(
            (
                "toolbox-objectief-werven-en-selecteren",
                "De instrumenten voor selectie, ook bruikbaar voor stagiairs",
            ),
        ),
        communities=("tegen-stagediscriminatie",),
        related=("gestructureerd-interview", "checklist-stagediscriminatie-in-de-bpv"),
        applied_by=(VAN_DIJK, DE_LINDE, WAALHAVEN),
    ),
    DemoPractice(
        slug="lob-internationale-schakelklas",
        title="Loopbaanoriëntatie in de internationale schakelklas",
        theme=FIRST_JOB,
        evidence=PROMISING,
        target_groups=("jongeren", "statushouders"),
        region="Midden-Brabant",
        organisation=TILBURG,
        summary=(
            "Een professionele leergemeenschap van docenten uit de internationale "
            "schakelklas en het vmbo ontwikkelt lessen loopbaanoriëntatie met goede "
            "arbeidsmarktinformatie, bedrijfsbezoeken en rolmodellen."
        ),
        problem=_p(
            "Jongeren met een migratieachtergrond kiezen vaker studies met minder kans op "
            "een baan. De bestaande loopbaanoriëntatie en -begeleiding is voor hen niet "
            "voldoende effectief; vooral goede arbeidsmarktinformatie ontbreekt."
        ),
        approach=_p(
            "Acht docenten van drie scholen komen maandelijks bij elkaar. Ze ontwikkelen "
            "lessen over beroepen met kansen, organiseren bedrijfsbezoeken en nodigen "
            "oud-leerlingen uit als rolmodel. Ook ouders worden betrokken."
        ),
        results=_p(
            "Leerlingen noemen na het programma gemiddeld vier beroepen die bij hen passen "
            "(eerst anderhalf) en zeggen meer vertrouwen te hebben in het eigen kunnen."
        ),
        contact=("Marloes van Dam", "m.vandam@voorbeeld.nl"),
        duration="Een schooljaar",
        cost="Circa € 8.000 per school (uren docenten en bedrijfsbezoeken)",
        published=date(2024, 10, 29),
        links=(NRO, RIJKSOVERHEID),
        related=("rolmodellen-gastlessen-vmbo",),
        applied_by=(),
    ),
    DemoPractice(
        slug="rolmodellen-gastlessen-vmbo",
        title="Rolmodellen geven gastlessen in het vmbo",
        theme=FIRST_JOB,
        evidence=PRACTICE,
        target_groups=("jongeren",),
        region="Noord-Holland Noord",
        organisation="CNV Jongeren",
        summary=(
            "Jonge werkenden met een migratieachtergrond vertellen in het vmbo over hun "
            "beroep, hun studiekeuze en hoe ze hun eerste baan vonden. Leerlingen krijgen "
            "een realistisch beeld van wat ze kunnen bereiken."
        ),
        problem=_p(
            "Leerlingen hebben weinig zicht op beroepen buiten hun eigen omgeving en op wat "
            "er van hen verwacht wordt. Dat maakt een onderbouwde studiekeuze moeilijk."
        ),
        approach=_p(
            "Vrijwillige rolmodellen uit techniek, zorg, logistiek en ICT volgen een korte "
            "training en geven per jaar twee gastlessen van een lesuur. Ze vertellen ook "
            "over tegenslag, zoals afwijzingen bij het zoeken naar een stage."
        ),
        results=_p(
            "In twee schooljaren gaven 35 rolmodellen 120 gastlessen. Leerlingen beoordelen "
            "de lessen met een 8,3."
        ),
        contact=("Jesse Bakker", "j.bakker@voorbeeld.nl"),
        duration="Een lesuur per gastles",
        cost="Reiskosten rolmodellen en training; circa € 150 per gastles",
        published=date(2023, 3, 7),
        links=(SEO,),
        related=("lob-internationale-schakelklas",),
        applied_by=(ROC_MN,),
    ),
    DemoPractice(
        slug="stagebureau-met-garantie",
        title="Stagebureau met garantie: elke student een stageplek",
        theme=FIRST_JOB,
        evidence=PROMISING,
        target_groups=("jongeren", "werkgevers"),
        region="Rijk van Nijmegen",
        organisation="Vereniging Hogescholen (VH)",
        summary=(
            "Een stagebureau van de hogeschool zoekt actief mee als een student na vijf "
            "sollicitaties nog geen stageplek heeft. Samenwerkende bedrijven spreken af "
            "stagiairs objectief te selecteren."
        ),
        problem=_p(
            "Hbo-studenten met een migratieachtergrond hebben meer moeite een stage te "
            "vinden. Wie vaak wordt afgewezen, raakt achter in de studie of kiest een stage "
            "onder het eigen niveau."
        ),
        approach=_p(
            "Studenten melden zich na vijf afwijzingen bij het stagebureau. Een "
            "stagecoördinator bespreekt de sollicitaties en benadert bedrijven uit een pool "
            "van 60 partners die het manifest tegen stagediscriminatie ondertekenden."
        ),
        results=_p(
            "Alle 85 studenten die zich meldden, vonden binnen zes weken een stage. "
            "Afwijzingen zonder reden worden besproken met het bedrijf."
        ),
        contact=("Noor Hoekstra", "n.hoekstra@voorbeeld.nl"),
        duration="Doorlopend",
        cost="0,5 fte stagecoördinator",
        published=date(2024, 6, 4),
        links=(MANIFEST_HO, SEO),
        communities=("tegen-stagediscriminatie",),
        related=("objectieve-selectie-stagiairs", "meldpunt-stagediscriminatie"),
        applied_by=(ROC_MN,),
    ),
    DemoPractice(
        slug="eerste-baan-traineeship-starters",
        title="Traineeship eerste baan voor mbo- en hbo-starters",
        theme=FIRST_JOB,
        evidence=PRACTICE,
        target_groups=("jongeren", "werkgevers"),
        region="Zeeland",
        organisation="G40-stedennetwerk",
        summary=(
            "Gemeenten en regionale werkgevers bieden samen een traineeship van een jaar "
            "voor starters: drie werkplekken van vier maanden, een vaste coach en een "
            "baangarantie bij een van de werkgevers."
        ),
        problem=_p(
            "Jonge starters met een migratieachtergrond moeten vaker en langer solliciteren "
            "voor een eerste baan, en missen vaak het netwerk om bij regionale werkgevers "
            "binnen te komen. Tegelijk trekken jongeren weg uit de regio."
        ),
        approach=_p(
            "Werkgevers selecteren trainees samen, met een werkproef en een gestructureerd "
            "interview. Trainees rouleren langs drie organisaties en volgen een gezamenlijk "
            "opleidingsprogramma."
        ),
        results=_p(
            "In drie lichtingen deden 36 trainees mee; 31 werken na het traineeship bij een "
            "van de deelnemende werkgevers."
        ),
        contact=("Lieke de Jonge", "l.dejonge@voorbeeld.nl"),
        duration="12 maanden",
        cost="Salaris trainee door werkgevers; € 3.500 per trainee voor coaching en opleiding",
        published=date(2024, 12, 10),
        links=(VNG, SEO),
        related=("werkproef-in-plaats-van-gesprek", "gestructureerd-interview"),
        applied_by=(ZWOLLE,),
    ),
)


# Menukaart and collections -----------------------------------------------------------

MENUKAART_INTRO = (
    "Wat kunt u als werkgever doen om objectief te werven en te selecteren? De menukaart "
    "zet interventies op een rij, van vacature tot doorgroei. Kies wat bij uw organisatie "
    "past en lees in de praktijkvoorbeelden hoe andere werkgevers het aanpakten."
)

# phase, title, description, practice slugs
INTERVENTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        Phase.WERVING,
        "Inclusieve vacaturetekst",
        "Vraag alleen wat het werk echt vraagt, schrijf in eenvoudige taal en vertel hoe de "
        "selectie verloopt.",
        ("inclusieve-vacaturetekst",),
    ),
    (
        Phase.WERVING,
        "Werven via nieuwe kanalen",
        "Werk samen met de werkgeversdienstverlening van gemeente en UWV, scholen en "
        "VluchtelingenWerk, zodat u kandidaten buiten uw eigen netwerk bereikt.",
        ("werkgeversdienstverlening-een-loket", "baangarantie-orderpicker"),
    ),
    (
        Phase.WERVING,
        "Job carving: functies opnieuw indelen",
        "Haal taken waarvoor geen opleiding nodig is uit bestaande functies en maak er "
        "nieuwe banen van.",
        ("job-carving-ouderenzorg",),
    ),
    (
        Phase.SELECTIE,
        "Anoniem solliciteren",
        "Beoordeel de eerste ronde zonder naam, foto, leeftijd en adres.",
        ("anonieme-eerste-selectie-zorg",),
    ),
    (
        Phase.SELECTIE,
        "Gestructureerd interview",
        "Dezelfde vragen in dezelfde volgorde, en een vaste beoordelingsschaal die iedere "
        "beoordelaar eerst zelf invult.",
        ("gestructureerd-interview", "objectieve-selectie-stagiairs"),
    ),
    (
        Phase.SELECTIE,
        "Werkproef",
        "Laat kandidaten zien wat ze kunnen, met vaste opdrachten en een scoreformulier.",
        ("werkproef-in-plaats-van-gesprek", "baangarantie-orderpicker"),
    ),
    (
        Phase.SELECTIE,
        "Nudges op beslismomenten",
        "Herinner beoordelaars aan de criteria op het moment dat ze kiezen.",
        ("nudging-werving-en-selectie",),
    ),
    (
        Phase.ONBOARDING,
        "Buddy of mentor",
        "Een ervaren collega maakt nieuwe medewerkers de eerste maanden wegwijs.",
        ("buddy-voor-nieuwe-collegas",),
    ),
    (
        Phase.ONBOARDING,
        "Taal op de werkvloer",
        "Nederlands leren met de woorden en situaties van het eigen werk, en collega's die "
        "duidelijk communiceren.",
        ("taal-op-de-werkvloer", "leerwerktraject-monteur-zonnepanelen"),
    ),
    (
        Phase.ONBOARDING,
        "Inclusieve onboarding met jobcoach",
        "Een inwerkplan met vaste gesprekken en, waar nodig, een jobcoach die ook de "
        "leidinggevende ondersteunt.",
        ("job-carving-ouderenzorg", "leerwerktraject-monteur-zonnepanelen"),
    ),
    (
        Phase.DOORSTROOM,
        "Doorgroeigesprekken met heldere criteria",
        "Jaarlijks een doorgroeigesprek met iedere medewerker, en openbare criteria per functie.",
        ("transparante-doorgroeigesprekken",),
    ),
    (
        Phase.DOORSTROOM,
        "Mentorprogramma",
        "Een mentor uit het management helpt talent zichtbaar te worden.",
        ("mentorprogramma-doorstroom",),
    ),
    (
        Phase.DOORSTROOM,
        "Doelen voor diversiteit",
        "Drie doelen op één A4, twee keer per jaar besproken in het managementteam.",
        ("diversiteitsdoelen-mkb",),
    ),
)


@dataclass(frozen=True)
class DemoCollection:
    slug: str
    title: str
    intro: str
    body: tuple[tuple[str, object], ...]  # ("paragraph", html) or ("document", (key, title))
    items: tuple[tuple[str, str], ...]  # (practice slug, note)
    published: date


COLLECTIONS: tuple[DemoCollection, ...] = (
    DemoCollection(
        slug="toolbox-stagediscriminatie",
        title="Toolbox stagediscriminatie",
        intro=(
            "Bij het tegengaan van stagediscriminatie spelen onderwijsinstellingen en "
            "leerbedrijven een belangrijke rol. Deze toolbox bundelt interventies, "
            "handreikingen en praktijkvoorbeelden voor scholen en leerbedrijven."
        ),
        body=(
            (
                "paragraph",
                "<h2>Waarom deze toolbox?</h2>"
                + _p(
                    "Jongeren met een migratieachtergrond moeten twee tot drie keer vaker "
                    "solliciteren om een stage of baan te vinden. In het Stagepact MBO "
                    "2023-2027 hebben de partners in het mbo en de ministeries van OCW en SZW "
                    "afgesproken dat stagediscriminatie wordt uitgebannen en dat alle "
                    "studenten een stage of leerbaan krijgen. In het hoger onderwijs is een "
                    "manifest tegen stagediscriminatie opgesteld.",
                    "Kennisplatform Inclusief Samenleven (KIS) en Inholland ontwikkelden een "
                    'toolbox en een checklist stagediscriminatie; de <a href="'
                    + TOOLBOX_STAGE[1]
                    + '">officiële toolbox</a> staat op rijksoverheid.nl. Hieronder vindt u '
                    "de handreikingen van deze kennisbank en de praktijkvoorbeelden die "
                    "erbij horen.",
                ),
            ),
            ("document", ("checklist-stagediscriminatie", "Checklist stagediscriminatie (PDF)")),
            (
                "document",
                (
                    "handreiking-melden-stagediscriminatie",
                    "Handreiking melden van stagediscriminatie (PDF)",
                ),
            ),
            (
                "paragraph",
                "<h2>Zo gebruikt u de toolbox</h2>"
                + _ol(
                    "Loop met uw team de checklist door en kies twee verbeterpunten.",
                    "Richt een meldroute in die studenten vertrouwen.",
                    "Maak afspraken met leerbedrijven over objectieve selectie van stagiairs.",
                    "Deel in het netwerk tegen stagediscriminatie wat werkte.",
                ),
            ),
        ),
        items=(
            (
                "toolbox-aanpak-stagediscriminatie",
                "De interventies op een rij, geordend naar wie ze uitvoert",
            ),
            ("checklist-stagediscriminatie-in-de-bpv", "Zo gebruikt een ROC de checklist"),
            ("meldpunt-stagediscriminatie", "Een meldroute die studenten vertrouwen"),
            ("objectieve-selectie-stagiairs", "Wat leerbedrijven kunnen doen"),
            ("stagebureau-met-garantie", "Een voorbeeld uit het hoger onderwijs"),
            ("lob-internationale-schakelklas", "Voorbereiding begint al op school"),
        ),
        published=date(2023, 6, 6),
    ),
    DemoCollection(
        slug="checklist-stagediscriminatie",
        title="Checklist stagediscriminatie",
        intro=(
            "Doet uw school of leerbedrijf genoeg tegen stagediscriminatie? Loop de checklist "
            "door met uw team en kies waar u begint."
        ),
        body=(
            (
                "paragraph",
                "<h2>Voor de school</h2>"
                + _ul(
                    "Het bestuur heeft uitgesproken dat de school stagediscriminatie niet "
                    "accepteert.",
                    "Er is een meldpunt dat studenten kennen en vertrouwen.",
                    "Studenten horen binnen twee werkdagen wat er met hun melding gebeurt.",
                    "Stagebegeleiders zijn getraind om discriminatie te herkennen en "
                    "bespreekbaar te maken.",
                    "De school spreekt leerbedrijven aan die studenten weigeren om afkomst, "
                    "naam of uiterlijk.",
                )
                + "<h2>Voor het leerbedrijf</h2>"
                + _ul(
                    "Stagiairs worden geselecteerd op vooraf vastgestelde criteria.",
                    "Er is een vaste procedure voor het kennismakingsgesprek.",
                    "Afwijzingen worden gemotiveerd.",
                    "De praktijkopleider weet waar hij of zij terecht kan met vragen.",
                )
                + "<h2>Voor de student</h2>"
                + _ul(
                    "Ik weet waar ik stagediscriminatie kan melden, ook anoniem.",
                    "Ik weet dat de school mij helpt aan een andere stageplek.",
                    "Ik bewaar berichten en mails van het bedrijf.",
                ),
            ),
            ("document", ("checklist-stagediscriminatie", "Checklist om af te drukken (PDF)")),
        ),
        items=(
            (
                "checklist-stagediscriminatie-in-de-bpv",
                "Een ROC dat de checklist met alle teams doorliep",
            ),
            ("meldpunt-stagediscriminatie", "Invulling van het meldpunt uit de checklist"),
            ("objectieve-selectie-stagiairs", "Het deel voor leerbedrijven in de praktijk"),
        ),
        published=date(2023, 10, 3),
    ),
)


# Seeding -----------------------------------------------------------------------------


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=AMSTERDAM)


def _add_live(parent: Page, page: Page, day: date, user=None) -> None:
    """Add `page` under `parent` as published on `day` (so that "newest first" means
    something). `_record_publication` gives it its revision once its relations are
    complete."""
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = _at(day)
    page.owner = user
    parent.add_child(instance=page)


def _record_publication(page: Page) -> None:
    """Leave what `save_revision().publish()` leaves: a revision holding the page's
    content as its latest and live revision, its entries in Wagtail's reference index
    (the usage of documents and practices), and a search index entry made after its
    relations were saved.

    Done by hand because the demo loads for every test that uses it: the Wagtail calls
    save each page twice more and update the reference index on every save, which made
    loading the kennisbank several times slower. It also sends no `page_published`
    signal, so loading the demo notifies nobody."""
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=page.owner,
        content=page.serializable_data(),
        object_str=str(page),
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=page.first_published_at)
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=page.first_published_at,
        draft_title=page.title,
        has_unpublished_changes=False,
    )
    ReferenceIndex.create_or_update_for_object(page)
    search_index.insert_or_update_object(page)


def _read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def _documents() -> tuple[dict[str, object], int]:
    """The demo PDFs in the "Kennisbank" collection, by key; and how many were added."""
    Document = get_document_model()
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=DOCUMENT_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=DOCUMENT_COLLECTION)
    documents, added = {}, 0
    for spec in DOCUMENTS:
        document = Document.objects.filter(collection=collection, title=spec.title).first()
        if document is None:
            data = _pdf(spec)
            document = Document(
                title=spec.title,
                collection=collection,
                file_size=len(data),
                file_hash=hash_filelike(io.BytesIO(data)),
            )
            name = f"documents/{spec.filename}"
            storage = document.file.storage
            if (
                storage.exists(name)
                and not Document.objects.filter(file=name).exists()
                and _read(storage, name) == data
            ):
                # The very file an earlier run left behind (a test database rolled back,
                # a demo database reset): use it rather than pile up copies.
                document.file.name = name
            else:
                document.file.save(spec.filename, ContentFile(data), save=False)
            document.save()
            if ReferenceIndex.is_indexed(Document):
                ReferenceIndex.create_or_update_for_object(document)
            added += 1
        documents[spec.key] = document
    return documents, added


def _owners() -> dict[int | None, object]:
    """Organisation id → the demo account working there, to own its practices and mark
    them applied; None → the editor, who owns the rest."""
    owners = {
        profile.organisation_id: profile.user
        for profile in Profile.objects.filter(
            user__email__endswith="@voorbeeld.nl", organisation__isnull=False
        ).select_related("user")
    }
    owners[None] = get_user_model().objects.filter(email="redacteur@voorbeeld.nl").first()
    return owners


def _practices(
    index: LibraryIndexPage,
    documents: dict[str, object],
    organisations: dict[str, Organisation],
) -> tuple[dict[str, PracticePage], int]:
    """The demo practices by slug (existing ones included); and how many were added."""
    regions = {region.name: region for region in LabourMarketRegion.objects.all()}
    # A flushed database (transactional tests) has lost the rows the migration loaded.
    target_groups = {
        code: TargetGroup.objects.get_or_create(code=code)[0] for code in TargetGroupCode.values
    }
    communities = {c.slug: c for c in CommunityPage.objects.all()}
    owners = _owners()
    practices = {p.slug: p for p in PracticePage.objects.child_of(index)}
    created: list[tuple[DemoPractice, PracticePage]] = []
    for spec in PRACTICES:
        if spec.slug in practices:
            continue
        organisation = organisations[spec.organisation]
        page = PracticePage(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            problem=spec.problem,
            approach=spec.approach,
            results=spec.results + DEMO_NOTE,
            evidence_level=spec.evidence,
            theme=spec.theme,
            region=regions[spec.region] if spec.region else None,
            organisation=organisation,
            contact_name=spec.contact[0],
            contact_email=spec.contact[1],
            duration=spec.duration,
            cost=spec.cost,
            members_only=spec.members_only,
        )
        page.target_groups = [target_groups[code] for code in spec.target_groups]
        page.communities = [communities[slug] for slug in spec.communities]
        page.documents = [
            PracticeDocument(document=documents[key], description=description, sort_order=i)
            for i, (key, description) in enumerate(spec.documents)
        ]
        page.links = [
            PracticeLink(title=title, url=url, sort_order=i)
            for i, (title, url) in enumerate(spec.links)
        ]
        page.related = [
            RelatedPractice(practice=practices[slug], sort_order=i)
            for i, slug in enumerate(spec.related)
            if slug in practices
        ]
        owner = owners.get(organisation.pk) or owners[None]
        _add_live(index, page, spec.published, owner)
        practices[spec.slug] = page
        created.append((spec, page))
    # Related practices point either way: links to practices made later in this run
    # are added once those exist.
    for spec, page in created:
        linked = {r.practice_id: r.sort_order for r in page.related.all()}
        for position, slug in enumerate(spec.related):
            if slug in practices and practices[slug].pk not in linked:
                RelatedPractice.objects.create(
                    page=page, practice=practices[slug], sort_order=position
                )
        _record_publication(page)
        for name in spec.applied_by:
            organisation = organisations[name]
            Application.objects.get_or_create(
                practice=page,
                organisation=organisation,
                defaults={"marked_by": owners.get(organisation.pk)},
            )
    return practices, len(created)


def _menukaart(index: LibraryIndexPage, practices: dict[str, PracticePage]) -> bool:
    if index.get_children().filter(slug="menukaart").exists():
        return False
    page = MenukaartPage(slug="menukaart", title="Menukaart voor werkgevers", intro=MENUKAART_INTRO)
    interventions = []
    for position, (phase, title, description, slugs) in enumerate(INTERVENTIONS):
        intervention = Intervention(
            phase=phase, title=title, description=description, sort_order=position
        )
        intervention.practices = [practices[slug] for slug in slugs if slug in practices]
        interventions.append(intervention)
    page.interventions = interventions
    _add_live(index, page, date(2023, 4, 4))
    # Intervention is a plain Orderable, not a ClusterableModel, so saving the page
    # saves the interventions but not the practices they link to: commit those here.
    # (A no-op once Intervention is clusterable and saving the page commits them.)
    for intervention in interventions:
        intervention.practices.commit()
    _record_publication(page)
    return True


def _collections(
    index: LibraryIndexPage, practices: dict[str, PracticePage], documents: dict[str, object]
) -> int:
    added = 0
    for spec in COLLECTIONS:
        if index.get_children().filter(slug=spec.slug).exists():
            continue
        body = []
        for kind, value in spec.body:
            if kind == "document":
                key, title = value
                body.append(("document", {"document": documents[key], "title": title}))
            else:
                body.append((kind, value))
        page = CollectionPage(slug=spec.slug, title=spec.title, intro=spec.intro, body=body)
        page.items = [
            CollectionItem(practice=practices[slug], note=note, sort_order=i)
            for i, (slug, note) in enumerate(spec.items)
            if slug in practices
        ]
        _add_live(index, page, spec.published)
        _record_publication(page)
        added += 1
    return added


def seed_library(
    index: LibraryIndexPage,
    organisations: dict[str, Organisation],
    write: Callable[[str], None] = lambda line: None,
) -> dict[str, PracticePage]:
    """Fill /kennisbank/ with the demo practices, documents, menukaart and collections,
    and make sure it has its review workflow. Adds only what is missing; `write` gets
    one line saying what was added, if anything."""
    ensure_review_workflow(index)
    # Each page updates its reference index entries once, in _record_publication.
    with disable_reference_index_auto_update():
        documents, new_documents = _documents()
        practices, new_practices = _practices(index, documents, organisations)
        new_menukaart = _menukaart(index, practices)
        new_collections = _collections(index, practices, documents)
    added = [
        f"{count} {noun}"
        for count, noun in (
            (new_practices, "practices"),
            (new_documents, "documents"),
            (int(new_menukaart), "menukaart"),
            (new_collections, "collections"),
        )
        if count
    ]
    if added:
        write(f"  kennisbank: {', '.join(added)}")
    return practices
