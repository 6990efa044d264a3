"""Load the demo content. Safe to run again: it only adds what is missing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    Locale,
    Page,
    Site,
)

from cms.models import (
    ContentPage,
    FooterLink,
    HomePage,
    MainMenuItem,
    NavigationSettings,
    SectionIndexPage,
)
from via_platform.accounts.models import LabourMarketRegion, Profile, Visibility
from via_platform.accounts.roles import ensure_site_roles
from via_platform.accounts.services import ensure_reference_data, welcome
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    Membership,
    MembershipState,
    Role,
    RoleModel,
)
from via_platform.communities.services import sync_editor_group
from via_platform.demo import content
from via_platform.events.demo import seed_events
from via_platform.events.models import AgendaIndexPage
from via_platform.forums.demo import seed_forums
from via_platform.learning.demo import seed_learning
from via_platform.learning.models import LearningIndexPage
from via_platform.library.demo import seed_library
from via_platform.library.models import LibraryIndexPage
from via_platform.organisations.demo import seed_organisations
from via_platform.organisations.models import Organisation


def _stream(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [
        ("paragraph", html if html.startswith("<") else f"<p>{html}</p>") for html in paragraphs
    ]


# Sections whose domain brought its own index page type.
SECTION_PAGE_TYPES = {
    "netwerken": CommunityIndexPage,
    "kennisbank": LibraryIndexPage,
    "agenda": AgendaIndexPage,
    "leren": LearningIndexPage,
}


class Command(BaseCommand):
    help = "Create the demo accounts and pages (refuses to run with DJANGO_ENV=production)."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production)."
            )
        with transaction.atomic():
            self.ensure_wagtail_roots()
            ensure_reference_data()
            ensure_site_roles()
            organisations = seed_organisations()
            self.seed_accounts(organisations)
            home = self.seed_home()
            pages = self.seed_pages(home)
            self.seed_navigation(pages)
            self.seed_communities(pages["netwerken"])
            seed_library(pages["kennisbank"], organisations, write=self.stdout.write)
            seed_events(pages["agenda"], write=self.stdout.write)
            seed_forums(write=self.stdout.write)
            seed_learning(pages["leren"], organisations, write=self.stdout.write)
            self.seed_notifications()
        self.print_accounts()

    @staticmethod
    def ensure_wagtail_roots() -> None:
        """Wagtail's migrations create these; a flushed database (as in transactional
        tests) has lost them, and the demo must load on it all the same."""
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if Page.get_first_root_node() is None:
            Page.add_root(title="Root", slug="root")
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")

    # Accounts ---------------------------------------------------------------
    def seed_accounts(self, organisations: dict[str, Organisation]) -> None:
        User = get_user_model()
        regions = {region.name: region for region in LabourMarketRegion.objects.all()}
        for email, first, last, role in content.DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_password(content.DEMO_PASSWORD)
            if role == "superuser":
                user.is_staff = user.is_superuser = True
            user.save()
            self.mark_email_verified(user)
            group, function, sector, region, organisation, bio, public = content.DEMO_PROFILES[
                email
            ]
            if group:
                user.groups.add(Group.objects.get(name=group))
            Profile.objects.get_or_create(
                user=user,
                defaults={
                    "function": function,
                    "sector": sector,
                    "region": regions[region],
                    "organisation": organisations[organisation],
                    "bio": bio,
                    **{f"{field}_visibility": Visibility.EVERYONE for field in public},
                },
            )

    @staticmethod
    def seed_notifications() -> None:
        """Every demo account finds a welcome in its notification centre."""
        for email, *_rest in content.DEMO_ACCOUNTS:
            welcome(get_user_model().objects.get(email=email))

    @staticmethod
    def mark_email_verified(user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

    # Pages ------------------------------------------------------------------
    def seed_home(self) -> HomePage:
        home = HomePage.objects.first()
        root = Page.get_first_root_node()
        if home is None:
            home = HomePage(
                title=content.HOME["title"],
                slug="home-via",
                intro=content.HOME["intro"],
                body=_stream(content.HOME["body"]),
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="VIA Leernetwerken",
            )
        elif site.root_page_id != home.id:
            site.root_page = home
            site.site_name = "VIA Leernetwerken"
            site.save()
        # Wagtail's install creates a placeholder "Welcome" page; the demo has no use for it.
        Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
        return home

    def seed_pages(self, home: HomePage) -> dict[str, Page]:
        pages: dict[str, Page] = {}
        for slug, title, intro in content.SECTIONS:
            model = SECTION_PAGE_TYPES.get(slug, SectionIndexPage)
            existing = home.get_children().filter(slug=slug).first()
            if existing is not None and existing.specific_class is not model:
                # A section that got its own page type since the last run (e.g. /netwerken/).
                if existing.get_children().exists():
                    raise CommandError(f"/{slug}/ has children; convert it by hand")
                existing.delete()
            pages[slug] = self.child(
                home, model, slug, title=title, intro=intro, show_in_menus=True
            )
        for slug, title, intro, body in content.CONTENT_PAGES:
            pages[slug] = self.child(
                home, ContentPage, slug, title=title, intro=intro, body=_stream(body)
            )
        return pages

    def seed_communities(self, index: CommunityIndexPage) -> None:
        User = get_user_model()
        regions = {region.name: region for region in LabourMarketRegion.objects.all()}
        for (
            slug, title, kind, theme, sector, region, join_policy, visibility, hidden,
            intro, welcome_message, coordinators, members, role_models,
        ) in content.COMMUNITIES:  # fmt: skip
            existing = index.get_children().filter(slug=slug).first()
            if existing is not None:
                continue
            community = CommunityPage(
                slug=slug,
                title=title,
                kind=kind,
                theme=theme,
                sector=sector,
                region=regions.get(region),
                join_policy=join_policy,
                content_visibility=visibility,
                hidden=hidden,
                intro=intro,
                welcome_message=welcome_message,
                role_models=[
                    RoleModel(name=name, organisation=org, story=story)
                    for name, org, story in role_models
                ],
            )
            index.add_child(instance=community)
            community.save_revision().publish()
            for email in coordinators:
                Membership.objects.create(
                    community=community, user=User.objects.get(email=email),
                    role=Role.COORDINATOR, state=MembershipState.ACTIVE, joined_at=timezone.now(),
                )  # fmt: skip
            for email, role in members:
                Membership.objects.create(
                    community=community, user=User.objects.get(email=email),
                    role=role, state=MembershipState.ACTIVE, joined_at=timezone.now(),
                )  # fmt: skip
            sync_editor_group(community)
            self.stdout.write(f"  community {community.url}")

    def child(self, parent: Page, model, slug: str, **fields) -> Page:
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"  page /{slug}/")
        return page

    def seed_navigation(self, pages: dict[str, Page]) -> None:
        nav = NavigationSettings.load()
        if nav.main_menu_items.exists() or nav.footer_links.exists():
            return
        nav.footer_text = content.FOOTER_TEXT
        nav.main_menu_items = [
            MainMenuItem(
                label=pages[slug].title if slug != "over-via" else "Over VIA", link_page=pages[slug]
            )
            for slug in content.MAIN_MENU
        ]
        nav.footer_links = [
            FooterLink(label=pages[slug].title, link_page=pages[slug])
            for slug in content.FOOTER_LINKS
        ]
        nav.save()

    def print_accounts(self) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready. Demo accounts (password: {content.DEMO_PASSWORD}):"
            )
        )
        for email, _first, _last, role in content.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role}")
