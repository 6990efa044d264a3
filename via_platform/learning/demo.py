"""Demo courses, drawn from the VIA progress letter (Tweede Kamer 29 544, nr. 1226):

- *Objectief werven en selecteren*, the e-learning for mkb employers ("een digitale
  handreiking (e-learning) over objectief werven en selecteren voor werkgevers met
  specifieke aandacht voor werkgevers in het mkb"): five lessons, two quizzes;
- *Inclusief begeleiden*, Movisie's training for klantmanagers "uit online en fysieke
  modules": three online lessons and two in-person sessions from the agenda;
- *Leergang objectieve selectie*, a short course for D&I professionals, to which the
  coordinator enrols people.

Learners' records are written directly (the services would mail people), so loading
the demo notifies nobody. `seed_learning` adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, Page

from via_platform.accounts.roles import COORDINATOREN
from via_platform.events.models import EventPage
from via_platform.learning.certificates import certificate_pdf
from via_platform.learning.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentState,
    LearningIndexPage,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    SessionStepPage,
)
from via_platform.library.demo import _add_live, _record_publication

DEMO_NOTE = "<p><i>Demo-inhoud, geschreven op basis van de voortgangsbrief VIA.</i></p>"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _question(text: str, kind: str, *answers: tuple[str, bool, str]) -> dict:
    return {
        "kind": kind,
        "question": text,
        "answers": [{"text": t, "correct": c, "feedback": f} for t, c, f in answers],
    }


def _quiz(
    title: str, intro: str, pass_mark: int, max_attempts: int, *questions, must_pass=True
) -> tuple:
    return (
        "quiz",
        {
            "title": title,
            "intro": intro,
            "pass_mark": pass_mark,
            "must_pass": must_pass,
            "max_attempts": max_attempts,
            "questions": list(questions),
        },
    )


@dataclass(frozen=True)
class DemoLesson:
    slug: str
    title: str
    intro: str
    minutes: int
    blocks: tuple


@dataclass(frozen=True)
class DemoSession:
    slug: str
    title: str
    event_slug: str
    description: str


@dataclass(frozen=True)
class DemoCourse:
    slug: str
    title: str
    summary: str
    audience: str
    goals: str
    hours: str
    enrolment: str
    issuer: str
    steps: tuple
    prerequisites: tuple[str, ...] = ()


WERVEN = DemoCourse(
    slug="objectief-werven-en-selecteren",
    title="Objectief werven en selecteren",
    summary=(
        "Een e-learning voor werkgevers, met specifieke aandacht voor het mkb. U leert "
        "hoe u vacatures schrijft en kandidaten selecteert op wat het werk vraagt, zodat "
        "de eerste indruk of de «klik» minder zwaar weegt en u meer talent vindt."
    ),
    audience="Werkgevers en leidinggevenden in het mkb",
    goals=_ul(
        "U weet waarom selecteren op de eerste indruk ongelijke kansen geeft.",
        "U schrijft een vacature zonder onnodige drempels.",
        "U voert een gestructureerd selectiegesprek met vaste vragen en criteria.",
        "U maakt een plan om objectief werven en selecteren in te voeren.",
    ),
    hours="2",
    enrolment=EnrolmentPolicy.OPEN,
    issuer="VNO-NCW en MKB-Nederland",
    steps=(
        DemoLesson(
            "waarom-objectief-selecteren",
            "Waarom objectief werven en selecteren?",
            "De meeste werkgevers vinden het tegengaan van discriminatie belangrijk, en "
            "toch selecteren velen nog op de eerste indruk.",
            15,
            (
                (
                    "text",
                    _p(
                        "De meeste werkgevers (74%) vinden het tegengaan van discriminatie "
                        "belangrijk. Tegelijkertijd selecteert 70% van de werkgevers nog op "
                        "basis van de eerste indruk of de «klik». Zo werkt selecteren (onbewust) "
                        "ongelijke kansen in de hand: mensen zijn geneigd mensen te kiezen die "
                        "op hen lijken.",
                        "Objectief werven en selecteren vermindert de invloed van (onbewuste) "
                        "vooroordelen. Dat blijkt uit de wetenschappelijke consensus over "
                        "objectief selecteren en uit een grootschalige praktijkpilot met "
                        "werkgevers. Het levert ook meer diverse teams op, die beter presteren.",
                    ),
                ),
                (
                    "reflection",
                    {
                        "question": "Denk aan de laatste keer dat u iemand aannam. Wat gaf "
                        "uiteindelijk de doorslag?",
                        "help": "Was het iets wat u vooraf als eis had opgeschreven?",
                    },
                ),
            ),
        ),
        DemoLesson(
            "een-vacature-zonder-drempels",
            "Een vacature zonder drempels",
            "Wie u werft, begint bij de vacaturetekst en de kanalen die u kiest.",
            20,
            (
                (
                    "text",
                    _p(
                        "Schrijf op wat het werk echt vraagt, en laat eisen weg die er niet toe "
                        "doen: een diploma dat niet nodig is, «perfecte beheersing van de "
                        "Nederlandse taal» voor werk dat dat niet vraagt, of een leeftijd.",
                    )
                    + _ul(
                        "Beschrijf taken en resultaten, niet de ideale persoon.",
                        "Maak onderscheid tussen eisen en wensen; houd de eisen kort.",
                        "Werf ook via andere kanalen: gemeenten, het UWV en regionale "
                        "werkgeversnetwerken.",
                    ),
                ),
                (
                    "worksheet",
                    {
                        "document": "Toolbox objectief werven en selecteren",
                        "description": "Loop uw laatste vacaturetekst na met de checklist "
                        "uit de toolbox.",
                    },
                ),
            ),
        ),
        DemoLesson(
            "gestructureerd-selecteren",
            "Gestructureerd selecteren",
            "Vaste criteria, vooraf bepaald, en voor iedere kandidaat hetzelfde.",
            25,
            (
                (
                    "text",
                    _p(
                        "Bepaal vóór de eerste brief welke criteria tellen en hoe zwaar. Beoordeel "
                        "cv's en brieven op die criteria, het liefst geanonimiseerd en met z'n "
                        "tweeën. Een labonderzoek onder HR-professionals liet zien dat "
                        "structureren de persoonlijke voorkeuren van recruiters vermindert.",
                    ),
                ),
                _quiz(
                    "Toets: gestructureerd selecteren",
                    "Vier vragen over de stof tot nu toe. U slaagt met drie goede antwoorden.",
                    75,
                    3,
                    _question(
                        "Waarop selecteert 70% van de werkgevers nog vaak?",
                        "single",
                        (
                            "Op de eerste indruk of de «klik»",
                            True,
                            "Klopt: dat blijkt uit de Werkgevers Enquête Arbeidsmarkt.",
                        ),
                        (
                            "Op een vaste lijst criteria",
                            False,
                            "Nee, dat doet juist een minderheid.",
                        ),
                        ("Op een werkproef", False, "Nee, dat is nog weinig gebruikelijk."),
                    ),
                    _question(
                        "Wanneer bepaalt u de selectiecriteria?",
                        "single",
                        (
                            "Voordat u de eerste sollicitatie leest",
                            True,
                            "Ja: dan kunnen sollicitanten de criteria niet meer kleuren.",
                        ),
                        (
                            "Na het eerste gesprek",
                            False,
                            "Dan beïnvloedt de eerste kandidaat uw criteria.",
                        ),
                    ),
                    _question(
                        "Welke maatregelen maken selecteren objectiever?",
                        "multiple",
                        (
                            "Cv's met z'n tweeën beoordelen",
                            True,
                            "Ja, dat dempt persoonlijke voorkeuren.",
                        ),
                        ("Criteria vooraf wegen", True, "Ja."),
                        (
                            "Vragen naar hobby's om de klik te testen",
                            False,
                            "Nee, dat zegt niets over het werk.",
                        ),
                    ),
                    _question(
                        "Een vaste vragenlijst in het gesprek vermindert de invloed van "
                        "vooroordelen.",
                        "true_false",
                        ("Waar", True, "Klopt: iedere kandidaat krijgt dezelfde kans."),
                        ("Niet waar", False, "Onderzoek laat het tegendeel zien."),
                    ),
                ),
            ),
        ),
        DemoLesson(
            "het-selectiegesprek",
            "Het selectiegesprek",
            "Dezelfde vragen, in dezelfde volgorde, met een scoreformulier.",
            20,
            (
                (
                    "text",
                    _p(
                        "Stel iedere kandidaat dezelfde vragen over gedrag in eerdere situaties "
                        "(«vertel eens over een keer dat …»), en scoor de antwoorden meteen op de "
                        "criteria. Bespreek pas daarna met elkaar wie u het beste vindt.",
                        "Ook een beperkt gebruik van deze elementen helpt: onderzoek onder "
                        "stagebedrijven laat zien dat het al een positief effect heeft op "
                        "gelijke kansen voor jongeren met een migratieachtergrond.",
                    ),
                ),
                (
                    "reflection",
                    {
                        "question": "Welke vraag stelt u nu in elk gesprek, en past die bij "
                        "uw criteria?",
                        "help": "",
                    },
                ),
            ),
        ),
        DemoLesson(
            "aan-de-slag-in-uw-bedrijf",
            "Aan de slag in uw bedrijf",
            "Een plan voor uw volgende vacature, en wie u daarbij kan helpen.",
            20,
            (
                (
                    "text",
                    _p(
                        "Kies één vacature om het mee te proberen. Spreek af wie de criteria "
                        "opstelt, wie meebeoordeelt en hoe u na afloop terugkijkt. De communities "
                        "of practice voor het mkb helpen met voorbeelden van rolmodellen uit uw "
                        "sector.",
                    ),
                ),
                _quiz(
                    "Eindtoets",
                    "Drie vragen. U slaagt met twee goede antwoorden.",
                    60,
                    0,
                    _question(
                        "U hoeft niet alles tegelijk in te voeren: ook een deel van de "
                        "aanpak helpt.",
                        "true_false",
                        ("Waar", True, "Klopt."),
                        ("Niet waar", False, "Ook een beperkt gebruik heeft effect."),
                    ),
                    _question(
                        "Wat hoort in een vacaturetekst?",
                        "multiple",
                        ("De taken en wat het werk vraagt", True, "Ja."),
                        ("Een leeftijdsgrens", False, "Nee, dat is discriminatie."),
                        ("Het verschil tussen eisen en wensen", True, "Ja."),
                    ),
                    _question(
                        "Wie kan u helpen geschikte kandidaten te vinden?",
                        "single",
                        ("Gemeenten en regionale werkgeversnetwerken", True, "Ja."),
                        (
                            "Niemand: dat moet u alleen doen",
                            False,
                            "Gemeenten en netwerken helpen u graag.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

BEGELEIDEN = DemoCourse(
    slug="inclusief-begeleiden",
    title="Inclusief begeleiden",
    summary=(
        "De training van Movisie voor klantmanagers en uitvoerende professionals: cliënten "
        "op een meer inclusieve manier begeleiden naar werk. Online modules en twee fysieke "
        "bijeenkomsten om te oefenen."
    ),
    audience="Klantmanagers en uitvoerende professionals van gemeenten",
    goals=_ul(
        "U herkent aannames en barrières in het gesprek met cliënten.",
        "U stemt de begeleiding af op de persoon, niet op de groep.",
        "U werkt samen met werkgevers aan een duurzame plaatsing.",
    ),
    hours="12",
    enrolment=EnrolmentPolicy.OPEN,
    issuer="Movisie",
    steps=(
        DemoLesson(
            "wat-is-inclusief-begeleiden",
            "Wat is inclusief begeleiden?",
            "Begeleiding die past bij de persoon, met oog voor taal en cultuur.",
            30,
            (
                (
                    "text",
                    _p(
                        "Mensen met een migratieachtergrond vinden minder vaak werk vanuit de "
                        "bijstand. Intensieve, persoonlijke begeleiding met een kleinere caseload "
                        "helpt, zo bleek in de pilots van het programma VIA.",
                    ),
                ),
                (
                    "reflection",
                    {
                        "question": "Bij welke cliënt merkte u dat uw aanpak niet aansloot? "
                        "Wat deed u toen?",
                        "help": "",
                    },
                ),
            ),
        ),
        DemoLesson(
            "het-eerste-gesprek",
            "Het eerste gesprek",
            "Vragen naar talenten en wensen, niet alleen naar belemmeringen.",
            45,
            (
                (
                    "text",
                    _p(
                        "Begin bij wat iemand kan en wil. Vraag door op werkervaring in het land "
                        "van herkomst, en controleer of u elkaar goed begrijpt.",
                    ),
                ),
                (
                    "worksheet",
                    {
                        "document": "Handreiking intensieve begeleiding",
                        "description": "Bereid met de handreiking een eerste gesprek voor.",
                    },
                ),
                _quiz(
                    "Oefentoets: het eerste gesprek",
                    "Twee vragen om jezelf te toetsen; elke poging telt.",
                    50,
                    0,
                    _question(
                        "Een tolk inzetten in het eerste gesprek kan helpen.",
                        "true_false",
                        ("Waar", True, "Ja, als de taal een barrière is."),
                        ("Niet waar", False, "Een tolk helpt wel als de taal een barrière is."),
                    ),
                    _question(
                        "Waar begint u het gesprek mee?",
                        "single",
                        ("Wat de cliënt kan en wil", True, "Ja."),
                        ("De lijst met verplichtingen", False, "Die komt later."),
                    ),
                    must_pass=False,
                ),
            ),
        ),
        DemoSession(
            "fysieke-module",
            "Fysieke module: oefenen met gesprekken",
            "training-inclusief-begeleiden-fysieke-module",
            _p("Oefenen met een acteur, en casuïstiek uit de eigen gemeente."),
        ),
        DemoLesson(
            "samenwerken-met-werkgevers",
            "Samenwerken met werkgevers",
            "Een duurzame plaatsing vraagt nazorg, voor de werknemer en de werkgever.",
            40,
            (
                (
                    "text",
                    _p(
                        "Spreek met de werkgever af wie wat doet in de eerste maanden. Nazorg van "
                        "zes maanden blijkt in de lerende netwerken het verschil te maken.",
                    ),
                ),
            ),
        ),
        DemoSession(
            "terugkomdag",
            "Terugkomdag",
            "training-inclusief-begeleiden-terugkomdag",
            _p("Terugkijken op de praktijk, een half jaar na de start."),
        ),
    ),
)

LEERGANG = DemoCourse(
    slug="leergang-objectieve-selectie",
    title="Leergang objectieve selectie voor D&I-professionals",
    summary=(
        "Een korte leergang voor professionals in HRM en Diversiteit en Inclusie, die "
        "werkgevers ondersteunen bij objectieve werving en selectie."
    ),
    audience="D&I- en HR-professionals",
    goals=_ul(
        "U adviseert werkgevers over objectief werven en selecteren.",
        "U kent het wetsvoorstel Toezicht gelijke kansen bij werving en selectie.",
    ),
    hours="1.5",
    enrolment=EnrolmentPolicy.COORDINATOR,
    issuer="Diversiteit in Bedrijf",
    steps=(
        DemoLesson(
            "wetgeving-als-basis",
            "Wetgeving als basis",
            "Het wetsvoorstel Toezicht gelijke kansen bij werving en selectie.",
            30,
            (
                (
                    "text",
                    _p(
                        "De Tweede Kamer nam in maart 2023 het wetsvoorstel Toezicht gelijke "
                        "kansen bij werving en selectie aan. Werkgevers moeten straks een "
                        "werkwijze hebben die discriminatie bij werving en selectie voorkomt.",
                    ),
                ),
            ),
        ),
        DemoLesson(
            "adviseren-over-objectieve-selectie",
            "Adviseren over objectieve selectie",
            "Hoe u een werkgever helpt de eerste stap te zetten.",
            45,
            (
                (
                    "text",
                    _p(
                        "Begin klein: één vacature, vaste criteria, twee beoordelaars. Laat de "
                        "werkgever zelf ervaren wat het oplevert.",
                    ),
                ),
                _quiz(
                    "Toets",
                    "Eén vraag.",
                    100,
                    2,
                    _question(
                        "Wat is een goede eerste stap voor een werkgever?",
                        "single",
                        ("Eén vacature objectief invullen", True, "Ja: klein beginnen werkt."),
                        ("Alle processen tegelijk herzien", False, "Dat is vaak te veel."),
                    ),
                ),
            ),
        ),
    ),
    prerequisites=(),
)

COURSES = (WERVEN, BEGELEIDEN, LEERGANG)

# email -> course slug -> (lessons done, failed attempts on the next quiz, completed)
ENROLMENTS = {
    "werkgever@voorbeeld.nl": {WERVEN.slug: (2, 1, False)},
    "klantmanager@voorbeeld.nl": {BEGELEIDEN.slug: (2, 0, False)},
    "coordinator@voorbeeld.nl": {LEERGANG.slug: (2, 0, True)},
    "i.postma@voorbeeld.nl": {WERVEN.slug: (5, 1, True)},
    "t.willems@voorbeeld.nl": {WERVEN.slug: (3, 0, False)},
    "a.demir@voorbeeld.nl": {WERVEN.slug: (0, 0, False)},
    "b.koning@voorbeeld.nl": {WERVEN.slug: (2, 2, False)},
    "a.deboer@voorbeeld.nl": {BEGELEIDEN.slug: (1, 0, False)},
    "m.kaya@voorbeeld.nl": {BEGELEIDEN.slug: (2, 0, False)},
}


def grant_coordinators(index: LearningIndexPage) -> None:
    """The site's coordinators write and publish courses under /leren/."""
    group = Group.objects.filter(name=COORDINATOREN).first()
    if group is None:
        return
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=index, permission__codename=codename,
            defaults={"permission_id": _permission_id(codename)},
        )  # fmt: skip


def _permission_id(codename: str) -> int:
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename).pk


def _blocks(blocks: tuple) -> list:
    """Worksheet blocks name their document by title; the rest is as written."""
    Document = get_document_model()
    out = []
    for kind, value in blocks:
        if kind == "worksheet":
            document = Document.objects.filter(title=value["document"]).first()
            if document is None:
                continue
            value = {**value, "document": document}
        out.append((kind, value))
    return out


def _create(spec: DemoCourse, index: LearningIndexPage, organisations, today) -> CoursePage:
    course = CoursePage(
        slug=spec.slug, title=spec.title, summary=spec.summary, audience=spec.audience,
        learning_goals=spec.goals, hours=Decimal(spec.hours), enrolment=spec.enrolment,
        issuer=organisations.get(spec.issuer),
    )  # fmt: skip
    _add_live(index, course, today)
    _record_publication(course)
    for step in spec.steps:
        if isinstance(step, DemoLesson):
            page = LessonPage(slug=step.slug, title=step.title, intro=step.intro,
                              minutes=step.minutes, body=_blocks(step.blocks))  # fmt: skip
        else:
            event = EventPage.objects.filter(slug=step.event_slug).first()
            if event is None:
                continue
            page = SessionStepPage(slug=step.slug, title=step.title, event=event,
                                   description=step.description)  # fmt: skip
        _add_live(course, page, today)
        _record_publication(page)
    return course


def _enrol(user, course: CoursePage, done: int, failed: int, completed: bool, now) -> None:
    steps = list(course.get_children().live().order_by("path").specific())
    lessons = [step for step in steps if isinstance(step, LessonPage)]
    started = now - timedelta(days=20)
    enrolment = Enrolment.objects.create(
        user=user, course=course, enrolled_at=started, last_activity_at=now - timedelta(days=3),
        state=EnrolmentState.ACTIVE,
    )  # fmt: skip
    last = None
    for position, lesson in enumerate(lessons[:done]):
        at = started + timedelta(days=position + 1)
        for quiz in lesson.quizzes():
            for number in range(1, failed + 2):
                QuizAttempt.objects.create(
                    user=user, lesson=lesson, quiz_id=quiz.id,
                    fingerprint=lesson.requirement_fingerprint(), number=number,
                    answers={}, right=[number > failed] * len(quiz.value["questions"]),
                    score=100 if number > failed else 0, passed=number > failed, created_at=at,
                )  # fmt: skip
        LessonProgress.objects.create(
            user=user, lesson=lesson, started_at=at, completed_at=at,
            fingerprint=lesson.requirement_fingerprint(),
        )  # fmt: skip
        last = lesson
    following = lessons[done] if done < len(lessons) else None
    if following is not None and not completed:
        LessonProgress.objects.create(user=user, lesson=following, started_at=now)
        for quiz in following.quizzes()[:1]:
            for number in range(1, failed + 1):
                QuizAttempt.objects.create(
                    user=user, lesson=following, quiz_id=quiz.id,
                    fingerprint=following.requirement_fingerprint(), number=number,
                    answers={}, right=[False] * len(quiz.value["questions"]), score=0,
                    passed=False, created_at=now - timedelta(days=3),
                )  # fmt: skip
        last = following
    done_steps = sum(1 for step in steps if step in lessons[:done])
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=last, progress=100 if completed else round(100 * done_steps / len(steps))
    )
    if completed:
        Enrolment.objects.filter(pk=enrolment.pk).update(
            state=EnrolmentState.COMPLETED, completed_at=now - timedelta(days=2)
        )
        enrolment.refresh_from_db()
        certificate = Certificate.objects.create(
            enrolment=enrolment, learner_name=user.get_full_name() or user.email,
            course_title=course.title, hours=course.hours,
            organisation_name=course.issuer.name if course.issuer else "Programma VIA",
            completed_on=timezone.localdate(enrolment.completed_at),
            issued_at=enrolment.completed_at,
        )  # fmt: skip
        certificate.pdf = certificate_pdf(certificate)
        certificate.generated_at = now
        certificate.save(update_fields=["pdf", "generated_at"])


def seed_learning(
    index: Page, organisations: dict, write: Callable[[str], None] = lambda line: None
) -> dict[str, CoursePage]:
    from via_platform.events.demo import _today

    index = index.specific
    grant_coordinators(index)
    today, now = _today(), timezone.now()
    courses, added = {}, 0
    for spec in COURSES:
        existing = CoursePage.objects.child_of(index).filter(slug=spec.slug).first()
        if existing is not None:
            courses[spec.slug] = existing.specific
            continue
        courses[spec.slug] = _create(spec, index, organisations, today)
        added += 1
    if not added:
        return courses
    User = get_user_model()
    for email, plan in ENROLMENTS.items():
        user = User.objects.filter(email=email).first()
        for slug, (done, failed, completed) in plan.items():
            if (
                user is not None
                and not Enrolment.objects.filter(user=user, course=courses[slug]).exists()
            ):
                _enrol(user, courses[slug], done, failed, completed, now)
    write(f"  leren: {added} courses")
    return courses
