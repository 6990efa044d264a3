"""Scale data for benchmarks: fill a PostgreSQL database to national size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python -m bench.generate --scale national

Scales (`--scale`): national (100,000 members, 500 communities, 1,000,000 forum posts,
20,000 practices, 10,000 events, 200,000 course enrolments), regional (≈ 1/10), small
(≈ 1/100) and tiny (for the test suite). `--seed` makes the content repeatable (dates
are relative to the moment of the run).

What it does, in order: refuse anything but PostgreSQL; `migrate`; stop if a previous
run left its members behind (their addresses end in @bench.via.test: drop the database
to generate again); `seed_demo`, so the site tree and the demo accounts exist; then, in
one transaction, the bulk data under the demo's index pages:

- members: users (one password hash for all: `leernetwerk-demo`), verified email
  addresses, profiles, organisations;
- communities under /netwerken/ with Zipf-like sizes (the largest has ~12% of all
  members: over 10,000 at national scale), memberships (mostly active; coordinators
  and moderators), editor groups as communities.services.sync_editor_group makes them;
- practices under /kennisbank/ (themes, target groups, regions, organisations,
  applications), events under /agenda/ and in communities (past and future, one
  occurrence each, registrations), courses with lessons (under /leren/ and in the
  largest communities) with enrolments, lesson progress and certificates;
- forums: topics (a few of 1,000-3,000 posts, most of 1-20) and posts numbered per
  topic with the denormalised fields the forum keeps, tags, watches and read state,
  discussions under practices; notifications (happenings, notification centre rows,
  post recipients) for replies and event registrations;
- search index entries for all of it, computed by PostgreSQL in one INSERT … SELECT per
  model, exactly as the modelsearch backend would write them.

Big tables are written with COPY; Wagtail pages are written straight into the tree
(materialised paths, url_path, …) because bulk_create cannot do multi-table
inheritance. While loading, the bulk tables keep only their primary keys: their foreign
keys, unique constraints and other indexes are dropped and made again at the end,
which checks every row in one pass (so other sessions wait for those tables until the
transaction commits). Afterwards: parents' numchild, sequences, ANALYZE, a new
page-cache generation, and a check that the tree is sound, index entries equal what the
backend writes, generated pages render and searches find generated content.

With SEARCH_URL set (OpenSearch/Elasticsearch) no index entries are written: run
`manage.py update_index` afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
import zoneinfo
from array import array
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace

import django

EMAIL_DOMAIN = "bench.via.test"
PASSWORD = "leernetwerk-demo"  # noqa: S105 (the demo password, as in seed_demo)
BIG_COMMUNITY_SLUG = "landelijk-netwerk-inclusief-werkgeven"
REFUSAL = (
    "bench.generate needs PostgreSQL (DATABASE_URL=postgres://…): it loads with COPY and "
    "indexes with PostgreSQL's Dutch full-text search. This database is {vendor}; "
    "nothing was changed."
)


@dataclass(frozen=True)
class Scale:
    name: str
    members: int
    communities: int
    posts: int
    practices: int
    events: int
    enrolments: int
    courses: int
    organisations: int
    long_topics: tuple[int, ...]  # post counts of the few very long topics
    largest_share: float = 0.12  # of all members, in the largest community


SCALES = {
    "national": Scale(
        "national",
        members=100_000,
        communities=500,
        posts=1_000_000,
        practices=20_000,
        events=10_000,
        enrolments=200_000,
        courses=40,
        organisations=2_000,
        long_topics=(3_000, 2_600, 2_200, 2_000, 2_000, 1_500, 1_200, 1_000),
    ),
    "regional": Scale(
        "regional",
        members=10_000,
        communities=50,
        posts=100_000,
        practices=2_000,
        events=1_000,
        enrolments=20_000,
        courses=16,
        organisations=300,
        long_topics=(2_000, 1_200, 600),
    ),
    "small": Scale(
        "small",
        members=1_000,
        communities=10,
        posts=10_000,
        practices=200,
        events=100,
        enrolments=2_000,
        courses=6,
        organisations=40,
        long_topics=(1_000, 300),
    ),
    "tiny": Scale(
        "tiny",
        members=60,
        communities=4,
        posts=300,
        practices=12,
        events=8,
        enrolments=40,
        courses=2,
        organisations=6,
        long_topics=(45,),
        largest_share=0.3,
    ),
}


class Refused(Exception):
    """The generator will not run here (not PostgreSQL)."""


# Progress ------------------------------------------------------------------------------


class Report:
    def __init__(self, out):
        self.out = out
        self.stages: list[tuple[str, dict[str, int], float]] = []
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        counts: dict[str, int] = {}
        self.say(f"→ {name} …")
        yield counts
        seconds = time.perf_counter() - started
        self.stages.append((name, counts, seconds))
        done = ", ".join(f"{value:,} {key}" for key, value in counts.items())
        self.say(f"  {name}: {done or 'done'} ({seconds:.1f} s)")

    @contextmanager
    def step(self, label: str):
        """A timed part of a stage, printed on its own line."""
        started = time.perf_counter()
        details: dict = {}
        yield details
        extra = "".join(
            f", {key} {value:.1f} s" for key, value in details.items() if isinstance(value, float)
        )
        self.say(f"    {label}: {time.perf_counter() - started:.1f} s{extra}")

    def table(self) -> str:
        lines = [f"{'stage':<24}{'seconds':>9}  rows", "-" * 72]
        for name, counts, seconds in self.stages:
            rows = ", ".join(f"{value:,} {key}" for key, value in counts.items())
            lines.append(f"{name:<24}{seconds:>9.1f}  {rows}")
        lines.append("-" * 72)
        lines.append(f"{'total':<24}{time.perf_counter() - self.started:>9.1f}")
        return "\n".join(lines)


# State shared by the stages ------------------------------------------------------------


@dataclass
class Community:
    id: int
    title: str
    url: str
    parent: object  # _gen_db.Parent for its own children (events, courses)
    public: bool = True  # anyone may read its content (not members-only, not hidden)
    join_policy: str = "open"
    members: list[int] = field(default_factory=list)  # active, coordinators first
    coordinators: list[int] = field(default_factory=list)


@dataclass
class Course:
    id: int
    title: str
    url: str
    hours: Decimal
    issuer_name: str
    steps: int
    lessons: list[tuple[int, str]]  # (lesson id, requirement fingerprint), in order
    generated: bool
    community: Community | None = None
    members_only: bool = False
    published: datetime | None = None


@dataclass
class World:
    rng: random.Random
    text: object
    now: datetime
    scale: Scale
    locale_id: int = 0
    root_url_path: str = "/"
    first_user: int = 0
    user_count: int = 0
    joined: list[datetime] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    demo: dict[str, int] = field(default_factory=dict)  # email -> user id
    orgs: dict[str, list[int]] = field(default_factory=dict)  # kind -> ids
    org_names: dict[int, str] = field(default_factory=dict)
    regions: list[int] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    practices: list[tuple[int, str, str, datetime]] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    generated_pages: dict[str, tuple[int, int]] = field(default_factory=dict)  # model: ids
    first_ids: dict[str, int] = field(default_factory=dict)
    last_ids: dict = field(default_factory=dict)  # model: last generated id
    happenings: list[tuple] = field(default_factory=list)
    long_topic: tuple[int, str, int] | None = None  # id, url, posts

    def user(self, index: int) -> int:
        return self.first_user + index

    def random_user(self) -> int:
        return self.first_user + int(self.rng.random() * self.user_count)

    def url(self, url_path: str) -> str:
        """A page's URL on the default site, as Page.url gives it."""
        return "/" + url_path[len(self.root_url_path) :]

    def since(self, start: datetime) -> datetime:
        """A moment between `start` and now, more often recent."""
        seconds = max((self.now - start).total_seconds(), 60)
        return start + timedelta(seconds=seconds * (1 - self.rng.random() ** 2))

    def days_ago(self, low: float, high: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low, high))


def zipf_sizes(total_first: int, count: int, exponent: float, minimum: int) -> list[int]:
    return [max(minimum, round(total_first / (rank**exponent))) for rank in range(1, count + 1)]


def weighted_picker(rng: random.Random, weights: list[float]):
    cumulative = list(accumulate(weights))
    total = cumulative[-1]

    def pick() -> int:
        return min(bisect(cumulative, rng.random() * total), len(weights) - 1)

    return pick


def local_time(day: datetime, hour: int, minute: int, zone: zoneinfo.ZoneInfo) -> datetime:
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return local.astimezone(zoneinfo.ZoneInfo("UTC"))


# Stages ---------------------------------------------------------------------------------


def load_organisations(world: World, report: Report) -> None:
    from django.db.models.functions import Lower
    from django.utils.text import slugify

    from bench._gen_text import CITIES, LAST_NAMES
    from via_platform.organisations.models import Organisation, OrganisationKind

    rng, scale = world.rng, world.scale
    with report.stage("organisations") as counts:
        taken = set(Organisation.objects.values_list(Lower("name"), flat=True))
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        patterns = [
            (OrganisationKind.GEMEENTE, 0.25, ["Gemeente {city}"]),
            (
                OrganisationKind.WERKGEVER,
                0.5,
                [
                    "Installatiebedrijf {name}",
                    "Bouwbedrijf {name}",
                    "Zorggroep {city}",
                    "Transport {name} {city}",
                    "Bakkerij {name}",
                    "{name} Techniek",
                    "Schoonmaakbedrijf {name}",
                    "Hotel {city}",
                    "{name} Logistiek",
                    "Thuiszorg {city}",
                    "{name} ICT-diensten",
                    "Metaalbedrijf {name}",
                    "Supermarkt {name} {city}",
                    "Kinderopvang {city}",
                    "{name} Accountants",
                ],
            ),
            (
                OrganisationKind.ONDERWIJS,
                0.1,
                ["ROC {city}", "{city} College", "Hogeschool {city}"],
            ),
            (
                OrganisationKind.MAATSCHAPPELIJK,
                0.13,
                ["Stichting Werk {city}", "VluchtelingenWerk {city}", "Buurtwerk {city}"],
            ),
            (OrganisationKind.PARTNER, 0.02, ["Werkgeversservicepunt {city}"]),
        ]
        new = []
        for kind, share, templates in patterns:
            wanted = max(1, round(scale.organisations * share))
            attempts = 0
            made = 0
            while made < wanted and attempts < wanted * 30:
                attempts += 1
                name = rng.choice(templates).format(
                    city=rng.choice(CITIES), name=rng.choice(LAST_NAMES)
                )
                if name.lower() in taken:
                    continue
                taken.add(name.lower())
                base = slugify(name)[:190] or "organisatie"
                slug, n = base, 2
                while slug in slugs:
                    slug, n = f"{base}-{n}", n + 1
                slugs.add(slug)
                new.append(
                    Organisation(
                        name=name,
                        slug=slug,
                        kind=kind,
                        approved=rng.random() < 0.97,
                        city=name.split()[-1],
                        description=world.text.sentences(1, 2),
                    )
                )
                made += 1
        Organisation.objects.bulk_create(new, batch_size=2000)
        for pk, kind, name in Organisation.objects.values_list("pk", "kind", "name"):
            world.orgs.setdefault(kind, []).append(pk)
            world.org_names[pk] = name
        counts["organisations"] = len(new)


def load_members(world: World, report: Report) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils.text import slugify

    from bench._gen_db import copy_rows, next_id
    from bench._gen_text import FIRST_NAMES, LAST_NAMES
    from via_platform.accounts.models import Function, LabourMarketRegion, Profile, Sector
    from via_platform.demo import content

    User = get_user_model()
    rng, now, n = world.rng, world.now, world.scale.members
    with report.stage("members") as counts:
        password = make_password(PASSWORD)  # one hash for everyone: hashing is slow on purpose
        handles = set(User.objects.exclude(handle=None).values_list("handle", flat=True))
        world.first_user = next_id(User)
        world.user_count = n
        world.regions = list(LabourMarketRegion.objects.values_list("pk", flat=True))
        for email, *_rest in content.DEMO_ACCOUNTS:
            user = User.objects.get(email=email)
            world.demo[email] = user.pk
            world.names[user.pk] = str(user)
        suffix: dict[str, int] = {}
        users, emails, profiles = [], [], []
        functions = [
            (Function.KLANTMANAGER, 30),
            (Function.WERKGEVER, 25),
            (Function.BELEIDSMEDEWERKER, 12),
            (Function.MANAGER, 10),
            (Function.DOCENT, 8),
            (Function.COORDINATOR, 3),
            (Function.ANDERS, 12),
        ]
        pick_function = weighted_picker(rng, [w for _f, w in functions])
        org_for = {
            Function.KLANTMANAGER: "gemeente",
            Function.BELEIDSMEDEWERKER: "gemeente",
            Function.WERKGEVER: "werkgever",
            Function.MANAGER: "werkgever",
            Function.DOCENT: "onderwijs",
            Function.COORDINATOR: "partner",
            Function.ANDERS: "maatschappelijk",
        }
        sectors = [s for s, _label in Sector.choices]
        four_years = 4 * 365 * 86400
        for i in range(n):
            uid = world.first_user + i
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            base = slugify(f"{first} {last}")[:34] or "lid"
            number = suffix.get(base, 1)
            handle = base if number == 1 else f"{base}-{number}"
            while handle in handles:
                number += 1
                handle = f"{base}-{number}"
            suffix[base] = number + 1
            handles.add(handle)
            email = f"{handle}@{EMAIL_DOMAIN}"
            joined = now - timedelta(seconds=four_years * rng.random() ** 1.3 + 3600)
            last_login = world.since(joined) if rng.random() < 0.75 else None
            world.joined.append(joined)
            world.names[uid] = f"{first} {last}"
            users.append(
                (
                    uid,
                    password,
                    last_login,
                    False,
                    first,
                    last,
                    email,
                    False,
                    rng.random() > 0.005,
                    joined,
                    "en" if rng.random() < 0.06 else "nl",
                    "Europe/Amsterdam",
                    handle,
                )
            )
            emails.append((email, True, True, uid))
            function = functions[pick_function()][0]
            kind_ids = world.orgs.get(org_for[function]) or world.orgs.get("werkgever") or [None]
            public = rng.random() < 0.25
            profiles.append(
                (
                    uid,
                    function,
                    rng.choice(sectors)
                    if function in (Function.WERKGEVER, Function.MANAGER)
                    else ("overheid" if org_for[function] == "gemeente" else ""),
                    rng.choice(world.regions) if rng.random() < 0.85 else None,
                    rng.choice(kind_ids) if rng.random() < 0.8 else None,
                    world.text.sentences(1, 2) if rng.random() < 0.3 else "",
                    "everyone" if public else "members",
                    "everyone" if public and rng.random() < 0.5 else "members",
                    "everyone" if public else "members",
                    now,
                )
            )
        counts["users"] = copy_rows(
            User,
            (
                "id password last_login is_superuser first_name last_name email is_staff is_active "
                "date_joined preferred_language time_zone handle"
            ).split(),
            users,
            now,
        )
        counts["email addresses"] = copy_rows(
            EmailAddress, ["email", "verified", "primary", "user_id"], emails, now
        )
        counts["profiles"] = copy_rows(
            Profile,
            (
                "user_id function sector region_id organisation_id bio name_visibility "
                "function_visibility organisation_visibility updated_at"
            ).split(),
            profiles,
            now,
        )


COMMUNITY_KINDS = [
    ("community_of_practice", "Community of practice mkb {sector} {city}"),
    ("community_of_practice", "Werkgeverscommunity {Theme} {city}"),
    ("lerend_netwerk", "Lerend netwerk {Theme}"),
    ("lerend_netwerk", "Lerend netwerk {Theme} regio {city}"),
    ("lerend_netwerk", "Regionaal netwerk {city} inclusief"),
]
SECTOR_WORDS = {
    "zorg": "Zorg en welzijn",
    "techniek": "Techniek en installatie",
    "bouw": "Bouw",
    "logistiek": "Transport en logistiek",
    "horeca": "Horeca",
    "handel": "Handel",
    "ict": "ICT",
    "overheid": "Overheid",
    "onderwijs": "Onderwijs",
    "zakelijk": "Zakelijke dienstverlening",
    "industrie": "Industrie",
    "uitzend": "Uitzendbranche",
}


def load_communities(world: World, report: Report) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.utils.text import slugify
    from wagtail.models import GroupPagePermission

    from bench._gen_db import PageWriter, Parent, copy_rows
    from bench._gen_text import CITIES, capitalise
    from via_platform.accounts.roles import COORDINATOREN
    from via_platform.communities.models import CommunityIndexPage, CommunityPage, Membership
    from via_platform.communities.services import EDIT_PERMISSIONS

    User = get_user_model()
    rng, now, scale = world.rng, world.now, world.scale
    index = CommunityIndexPage.objects.get()
    with report.stage("communities") as counts:
        parent = Parent.of(index)
        writer = PageWriter(CommunityPage, rng, world.locale_id)
        largest = max(8, round(scale.largest_share * scale.members))
        sizes = zipf_sizes(largest, scale.communities, 0.8, 4)
        titles: set[str] = set(CommunityPage.objects.values_list("title", flat=True))
        specs = []
        for rank, size in enumerate(sizes):
            if rank == 0:
                kind, title = "community_of_practice", "Landelijk netwerk Inclusief werkgeven"
                sector, slug = "", BIG_COMMUNITY_SLUG
            else:
                for _attempt in range(20):
                    kind, template = rng.choice(COMMUNITY_KINDS)
                    sector = rng.choice(list(SECTOR_WORDS))
                    title = world.text.fill(
                        template.replace("{sector}", SECTOR_WORDS[sector])
                    ).replace("{city}", rng.choice(CITIES))
                    title = capitalise(title)[:200]
                    if title not in titles:
                        break
                else:
                    title = f"{title} {rank}"
                slug = slugify(title)[:70]
            titles.add(title)
            specs.append((rank, size, kind, sector, title, slug))
        first_page = writer.next_id
        groups = Group.objects.bulk_create(
            [
                Group(name=f"Netwerk {first_page + rank}: {title}"[:150])
                for rank, _s, _k, _sec, title, _slug in specs
            ]
        )
        permissions = list(
            Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=EDIT_PERMISSIONS
            )
        )
        for (rank, _size, kind, sector, title, slug), group in zip(specs, groups, strict=True):
            published = world.days_ago(30, 5 * 365) if rank else world.days_ago(900, 1000)
            policy = (
                "open"
                if rank == 0
                else rng.choices(["open", "on_request", "invitation"], [60, 30, 10])[0]
            )
            visibility = "public" if rank == 0 or rng.random() < 0.75 else "members"
            hidden = rank > 0 and rng.random() < 0.03
            page_id, path, url_path = writer.add(
                parent,
                title=title,
                slug=slug,
                owner_id=None,
                published_at=published,
                kind=kind,
                theme=rng.choice(["1", "2", "3", "", ""]),
                sector=sector if kind == "community_of_practice" else "",
                region_id=rng.choice(world.regions) if rng.random() < 0.6 else None,
                intro=world.text.sentences(2, 3),
                body=json.dumps([]),
                welcome_message=world.text.html([world.text.sentences(1, 2)])
                if rng.random() < 0.5
                else "",
                join_policy=policy,
                content_visibility=visibility,
                hidden=hidden,
                editor_group_id=group.pk,
            )
            world.communities.append(
                Community(
                    page_id,
                    title,
                    world.url(url_path),
                    Parent(page_id, path, parent.depth + 1, url_path, 1),
                    public=visibility == "public" and not hidden,
                    join_policy=policy,
                )
            )
        counts["pages"] = writer.flush(now)
        world.generated_pages["CommunityPage"] = (first_page, writer.next_id - 1)

        # Memberships: a random sample of members per community, coordinators first.
        rows, group_rows = [], []
        site_role, _created = Group.objects.get_or_create(name=COORDINATOREN)
        demo_members = [
            (world.demo[email], role)
            for email, role in (
                ("coordinator@voorbeeld.nl", "coordinator"),
                ("klantmanager@voorbeeld.nl", "member"),
                ("werkgever@voorbeeld.nl", "member"),
            )
            if email in world.demo
        ]
        for community, (rank, size, *_rest), group in zip(
            world.communities, specs, groups, strict=True
        ):
            size = min(size, world.user_count)
            chosen = [world.user(i) for i in rng.sample(range(world.user_count), size)]
            coordinators = 1 + (size > 200) + (size > 2000)
            moderators = round(size * 0.01)
            published = now - timedelta(days=365)
            entries = [
                (
                    uid,
                    "coordinator"
                    if k < coordinators
                    else "moderator"
                    if k < coordinators + moderators
                    else "member",
                )
                for k, uid in enumerate(chosen)
            ]
            if rank == 0:  # the demo accounts belong to the largest community, prominently
                entries[coordinators:coordinators] = demo_members
            demo_ids = {uid for uid, _role in demo_members}
            for uid, role in entries:
                roll = rng.random()
                if role != "member" or roll < 0.9 or uid in demo_ids:
                    state = "active"
                elif roll < 0.95:  # waiting: a request where a coordinator decides
                    state = "requested" if community.join_policy == "on_request" else "invited"
                else:
                    state = "left"
                index_ = uid - world.first_user
                start = world.joined[index_] if 0 <= index_ < world.user_count else published
                joined = world.since(max(start, published)) if state in ("active", "left") else None
                created = joined or world.since(max(start, published))
                rows.append(
                    (
                        community.id,
                        uid,
                        role,
                        state,
                        world.text.sentences(1, 1) if state == "requested" else "",
                        created,
                        joined or created,
                        joined,
                    )
                )
                if state == "active":
                    community.members.append(uid)
                    if role == "coordinator":
                        community.coordinators.append(uid)
            for uid in community.coordinators:
                group_rows.append(User.groups.through(user_id=uid, group_id=group.pk))
                group_rows.append(User.groups.through(user_id=uid, group_id=site_role.pk))
        counts["memberships"] = copy_rows(
            Membership,
            (
                "community_id user_id role state request_message created_at updated_at joined_at"
            ).split(),
            rows,
            now,
        )
        User.groups.through.objects.bulk_create(group_rows, batch_size=5000, ignore_conflicts=True)
        GroupPagePermission.objects.bulk_create(
            [
                GroupPagePermission(group=group, page_id=community.id, permission=permission)
                for community, group in zip(world.communities, groups, strict=True)
                for permission in permissions
            ],
            batch_size=5000,
        )
        counts["editor groups"] = len(groups)
        counts["largest community members"] = len(world.communities[0].members)


def load_practices(world: World, report: Report) -> None:
    from bench._gen_db import PageWriter, Parent, copy_rows
    from via_platform.library.models import (
        Application,
        LibraryIndexPage,
        PracticePage,
        TargetGroup,
    )

    rng, now = world.rng, world.now
    text = world.text
    index = LibraryIndexPage.objects.get()
    with report.stage("practices") as counts:
        parent = Parent.of(index)
        writer = PageWriter(PracticePage, rng, world.locale_id)
        first = writer.next_id
        target_groups = list(TargetGroup.objects.values_list("pk", flat=True))
        all_orgs = [pk for ids in world.orgs.values() for pk in ids]
        community_pick = weighted_picker(
            rng, [max(1, len(c.members)) ** 0.7 for c in world.communities]
        )
        groups_rows, community_rows, applications = [], [], []
        evidence = ["praktijk", "veelbelovend", "bewezen"]
        for _i in range(world.scale.practices):
            title = text.practice_title()
            published = world.days_ago(1, 5 * 365)
            organisation = rng.choice(all_orgs) if rng.random() < 0.8 else None
            summary = text.sentences(2, 3)
            if len(summary) > 600:
                summary = summary[:597].rsplit(" ", 1)[0] + "…"
            approach = text.html(text.paragraphs(2, 3))
            if rng.random() < 0.4:
                approach += text.bullet_html(rng.randint(2, 4))
            page_id, _path, url_path = writer.add(
                parent,
                title=title,
                slug=title.lower(),
                owner_id=world.random_user(),
                published_at=published,
                summary=summary,
                problem=text.html(text.paragraphs(1, 2)),
                approach=approach,
                results=text.html(text.paragraphs(1, 2)) if rng.random() < 0.7 else "",
                evidence_level=rng.choices(evidence, [55, 30, 15])[0],
                theme=rng.choice(["1", "2", "3", "3", ""]),
                region_id=rng.choice(world.regions) if rng.random() < 0.6 else None,
                organisation_id=organisation,
                contact_name=world.names[world.random_user()] if rng.random() < 0.6 else "",
                contact_email="",
                duration=rng.choice(["", "drie maanden", "zes maanden", "een jaar", "doorlopend"]),
                cost=rng.choice(["", "", "€ 2.500 per deelnemer", "binnen het bestaande budget"]),
                members_only=False,
            )
            world.practices.append((page_id, title, world.url(url_path), published))
            for tg in rng.sample(target_groups, rng.randint(1, min(3, len(target_groups)))):
                groups_rows.append((page_id, tg))
            if rng.random() < 0.25:
                for c in {community_pick() for _ in range(rng.randint(1, 2))}:
                    community_rows.append((page_id, world.communities[c].id))
            if rng.random() < 0.4:
                for org in rng.sample(all_orgs, min(len(all_orgs), rng.randint(1, 6))):
                    applications.append((page_id, org, world.random_user(), world.since(published)))
        counts["pages"] = writer.flush(now)
        world.generated_pages["PracticePage"] = (first, writer.next_id - 1)
        through = PracticePage.target_groups.through
        counts["target groups"] = copy_rows(
            through, ["practicepage_id", "targetgroup_id"], groups_rows, now
        )
        counts["community links"] = copy_rows(
            PracticePage.communities.through,
            ["practicepage_id", "communitypage_id"],
            community_rows,
            now,
        )
        counts["applications"] = copy_rows(
            Application,
            ["practice_id", "organisation_id", "marked_by_id", "created_at"],
            applications,
            now,
        )


def load_events(world: World, report: Report) -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    from bench._gen_db import PageWriter, Parent, copy_rows, next_id
    from bench._gen_text import CITIES
    from via_platform.events.models import AgendaIndexPage, EventPage, Occurrence, Registration
    from via_platform.events.services import REGISTERED, WAITLISTED, place_fingerprint

    rng, now, text = world.rng, world.now, world.text
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
    agenda = Parent.of(AgendaIndexPage.objects.get())
    with report.stage("events") as counts:
        writer = PageWriter(EventPage, rng, world.locale_id)
        first = writer.next_id
        community_pick = weighted_picker(
            rng, [max(1, len(c.members)) ** 0.5 for c in world.communities]
        )
        types = ["bijeenkomst", "webinar", "werkbezoek", "training", "intervisie"]
        formats = ["fysiek", "online", "hybride"]
        planned = []
        for _i in range(world.scale.events):
            community = world.communities[community_pick()] if rng.random() < 0.6 else None
            parent = community.parent if community else agenda
            event_type = rng.choices(types, [30, 25, 15, 15, 15])[0]
            event_format = "online" if event_type == "webinar" else rng.choice(formats)
            if rng.random() < 0.55:
                day = now - timedelta(days=rng.uniform(1, 730))
            else:
                day = now + timedelta(days=365 * rng.random() ** 1.5 + 1)
            start = local_time(day, rng.randint(9, 19), rng.choice([0, 30]), zone)
            end = start + timedelta(minutes=rng.choice([60, 90, 120, 180, 240]))
            title = text.event_title(event_type)
            physical = event_format != "online"
            city = rng.choice(CITIES)
            fields = dict(  # noqa: C408 (keyword names are the model's fields)
                event_type=event_type,
                event_format=event_format,
                summary=text.sentences(1, 3)[:600],
                start=start,
                end=end,
                time_zone="Europe/Amsterdam",
                recurrence="",
                exceptions="",
                venue_name=f"Stadskantoor {city}" if physical else "",
                address=f"Marktplein 1\n{city}" if physical else "",
                accessibility="Rolstoeltoegankelijk, ringleiding aanwezig." if physical else "",
                online_link="https://meet.example.org/via-"
                + uuid.UUID(int=rng.getrandbits(128), version=4).hex[:12]
                if not physical
                else "",
                capacity=rng.choice([None, None, 20, 30, 50, 80, 150]),
                registration_opens=None,
                registration_closes=start - timedelta(days=1) if rng.random() < 0.5 else None,
                registration_required=rng.random() < 0.85,
                audience="members" if community and rng.random() < 0.4 else "public",
                ask_dietary=physical and rng.random() < 0.5,
                ask_accessibility=True,
                programme=text.html(text.paragraphs(1, 2)),
                report=text.html(text.paragraphs(1, 2)) if end < now and rng.random() < 0.3 else "",
                cancelled=rng.random() < 0.02,
                community_id=community.id if community else None,
            )
            page_id, _path, url_path = writer.add(
                parent,
                title=title,
                slug=title.lower(),
                owner_id=(community.coordinators or [None])[0] if community else None,
                published_at=min(now, start - timedelta(days=rng.uniform(14, 90))),
                **fields,
            )
            place = place_fingerprint(SimpleNamespace(**fields))
            planned.append((page_id, title, world.url(url_path), community, fields, place))
        counts["pages"] = writer.flush(now)
        world.generated_pages["EventPage"] = (first, writer.next_id - 1)

        occurrence_id = next_id(Occurrence)
        occurrences, registrations = [], []
        for page_id, title, url, community, fields, place in planned:
            start = fields["start"]
            occurrences.append(
                (occurrence_id, page_id, start, fields["end"], fields["cancelled"], 0, place)
            )
            public = fields["audience"] == "public" and (community is None or community.public)
            world.events.append((page_id, occurrence_id, title, url, start, public))
            if fields["registration_required"]:
                capacity = fields["capacity"]
                past = start < now
                wanted = (
                    int(rng.paretovariate(1.2) * 6)
                    if capacity is None
                    else int(capacity * rng.uniform(0.3, 1.3))
                )
                pool = community.members if community and community.members else None
                if pool:
                    people = rng.sample(pool, min(wanted, len(pool)))
                else:
                    people = list({world.random_user() for _ in range(wanted)})
                for k, uid in enumerate(people):
                    full = capacity is not None and k >= capacity
                    if full and past:
                        break
                    asked = start - timedelta(days=rng.uniform(1, 40))
                    asked = min(asked, now - timedelta(minutes=5))
                    attended = (rng.random() < 0.8) if past and rng.random() < 0.9 else None
                    registrations.append(
                        (
                            occurrence_id,
                            uid,
                            "waitlisted" if full else "registered",
                            asked,
                            attended,
                            asked,
                            asked,
                        )
                    )
            occurrence_id += 1
        counts["occurrences"] = copy_rows(
            Occurrence,
            ["id", "event_id", "start", "end", "cancelled", "sequence", "place"],
            occurrences,
            now,
        )
        counts["registrations"] = copy_rows(
            Registration,
            "occurrence_id user_id state requested_at attended created_at updated_at".split(),
            registrations,
            now,
        )
        # A notice for some registrations, as services.register sends them.
        by_occurrence = {e[1]: e for e in world.events}
        with translation.override("nl"):
            registered = gettext("You are registered for %(event)s on %(date)s")
            waitlisted = gettext("You are on the waitlist for %(event)s on %(date)s")
        for occ, uid, state, asked, *_rest in registrations:
            if rng.random() < 0.2:
                _pid, _occ, title, url, start, _public = by_occurrence[occ]
                names = {"event": title, "date": start.astimezone(zone).strftime("%d-%m-%Y %H:%M")}
                kind, template = (
                    (REGISTERED, registered) if state == "registered" else (WAITLISTED, waitlisted)
                )
                world.happenings.append(
                    (kind, None, "registration", (occ, uid), template % names, url, (uid,), asked)
                )


def lesson_body(world: World, number: int, quiz: bool) -> str:
    text, rng = world.text, world.rng

    def block(kind: str, value) -> dict:
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "type": kind,
            "value": value,
        }

    blocks = [block("text", text.html(text.paragraphs(2, 4)))]
    if rng.random() < 0.5:
        blocks.append(block("text", text.bullet_html(rng.randint(2, 4))))
    blocks.append(block("reflection", {"question": text.sentences(1, 1), "help": ""}))
    if quiz:
        questions = []
        for _q in range(rng.randint(2, 4)):
            right = rng.randint(0, 2)
            answers = [
                block(
                    "item",
                    {"text": text.sentences(1, 1)[:300], "correct": a == right, "feedback": ""},
                )
                for a in range(3)
            ]
            questions.append(
                block(
                    "item",
                    {"kind": "single", "question": text.sentences(1, 1), "answers": answers},
                )
            )
        blocks.append(
            block(
                "quiz",
                {
                    "title": f"Toets bij les {number}",
                    "intro": "",
                    "pass_mark": 70,
                    "must_pass": True,
                    "max_attempts": 0,
                    "questions": questions,
                },
            )
        )
    return json.dumps(blocks)


def load_courses(world: World, report: Report) -> None:
    from bench._gen_db import PageWriter, Parent
    from bench._gen_text import ROLES, capitalise
    from via_platform.learning.models import CoursePage, LearningIndexPage, LessonPage

    rng, now, text = world.rng, world.now, world.text
    leren = Parent.of(LearningIndexPage.objects.get())
    with report.stage("courses") as counts:
        for course in CoursePage.objects.all():  # the demo courses take learners too
            steps = course.steps()
            lessons = [
                (s.pk, s.requirement_fingerprint()) for s in steps if isinstance(s, LessonPage)
            ]
            issuer = world.org_names.get(course.issuer_id, "Programma VIA")
            world.courses.append(
                Course(
                    course.pk,
                    course.title,
                    course.url,
                    course.hours,
                    issuer,
                    len(steps),
                    lessons,
                    generated=False,
                    published=course.first_published_at,
                )
            )
        courses = PageWriter(CoursePage, rng, world.locale_id)
        issuers = world.orgs.get("partner", []) + world.orgs.get("gemeente", [])
        planned = []
        in_communities = world.communities[: max(1, round(world.scale.courses * 0.4))]
        for i in range(world.scale.courses):
            community = in_communities[i % len(in_communities)] if i % 5 in (1, 3) else None
            parent = community.parent if community else leren
            title = text.course_title()
            members_only = community is not None and rng.random() < 0.5
            hours = Decimal(rng.choice(["1.5", "2.0", "3.0", "4.0", "6.0", "8.0", "12.0"]))
            issuer = rng.choice(issuers) if issuers else None
            published = world.days_ago(60, 3 * 365)
            course_id, path, url_path = courses.add(
                parent,
                title=title,
                slug=title.lower(),
                owner_id=None,
                published_at=published,
                summary=text.sentences(2, 3)[:600],
                audience=capitalise(rng.choice(ROLES)),
                learning_goals=text.bullet_html(rng.randint(3, 5)),
                hours=hours,
                enrolment="members" if members_only else "open",
                issuer_id=issuer,
                community_id=community.id if community else None,
            )
            planned.append(
                (
                    course_id,
                    title,
                    world.url(url_path),
                    Parent(course_id, path, parent.depth + 1, url_path, 1),
                    hours,
                    issuer,
                    community,
                    members_only,
                    published,
                )
            )
        counts["courses"] = courses.flush(now)
        world.generated_pages["CoursePage"] = (
            courses.next_id - counts["courses"],
            courses.next_id - 1,
        )
        lessons = PageWriter(LessonPage, rng, world.locale_id)
        first_lesson = lessons.next_id
        lesson_ids: dict[int, list[int]] = {}
        for course_id, _title, _url, parent, *_rest in planned:
            count = rng.randint(3, 6)
            for number in range(1, count + 1):
                lesson_title = f"Les {number}: {text.fill('{theme}')}"
                lesson_id, _p, _u = lessons.add(
                    parent,
                    title=lesson_title,
                    slug=f"les-{number}",
                    owner_id=None,
                    published_at=now - timedelta(days=30),
                    intro=text.sentences(1, 2),
                    minutes=rng.choice([10, 15, 20, 30]),
                    body=lesson_body(world, number, quiz=number == count),
                )
                lesson_ids.setdefault(course_id, []).append(lesson_id)
        counts["lessons"] = lessons.flush(now)
        world.generated_pages["LessonPage"] = (first_lesson, lessons.next_id - 1)
        fingerprints = {
            lesson.pk: lesson.requirement_fingerprint()
            for lesson in LessonPage.objects.filter(pk__gte=first_lesson)
        }
        for course_id, title, url, _parent, hours, issuer, community, members_only, pub in planned:
            ids = lesson_ids[course_id]
            world.courses.append(
                Course(
                    course_id,
                    title,
                    url,
                    hours,
                    world.org_names.get(issuer, "Programma VIA"),
                    len(ids),
                    [(pk, fingerprints[pk]) for pk in ids],
                    generated=True,
                    community=community,
                    members_only=members_only,
                    published=pub,
                )
            )


def load_enrolments(world: World, report: Report) -> None:
    from bench._gen_db import copy_rows, next_id
    from via_platform.learning.models import Certificate, Enrolment, LessonProgress

    rng, now = world.rng, world.now
    with report.stage("enrolments") as counts:
        courses = list(world.courses)
        rng.shuffle(courses)
        weights = [1 / (rank**0.9) for rank in range(1, len(courses) + 1)]
        target = world.scale.enrolments
        caps = [
            len(c.community.members)
            if c.members_only and c.community
            else int(world.user_count * 0.6)
            for c in courses
        ]
        sizes = [0] * len(courses)
        remaining = target
        for _round in range(5):  # hand out, then give what a full course cannot take to others
            open_weight = sum(w for w, s, cap in zip(weights, sizes, caps, strict=True) if s < cap)
            if remaining <= 0 or open_weight == 0:
                break
            handed = 0
            for k in range(len(courses)):
                if sizes[k] >= caps[k]:
                    continue
                extra = min(caps[k] - sizes[k], round(remaining * weights[k] / open_weight))
                sizes[k] += extra
                handed += extra
            remaining -= handed
            if handed == 0:
                break
        enrolment_id = next_id(Enrolment)
        enrolments, progress, certificates = [], [], []
        codes: set[str] = set(Certificate.objects.values_list("code", flat=True))
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        for course, size in zip(courses, sizes, strict=True):
            if size <= 0:
                continue
            if course.members_only and course.community:
                learners = rng.sample(course.community.members, size)
            else:
                learners = [world.user(i) for i in rng.sample(range(world.user_count), size)]
            n_lessons = len(course.lessons)
            published = course.published or now - timedelta(days=365)
            for uid in learners:
                index_ = uid - world.first_user
                start = world.joined[index_] if 0 <= index_ < world.user_count else published
                enrolled = world.since(max(start, published))
                roll = rng.random()
                if course.generated and roll < 0.22:
                    state, done = "completed", n_lessons
                else:
                    # Never every step: completing is the platform's job (recompute).
                    state = "left" if roll < 0.27 else "active"
                    done = rng.randint(0, max(0, min(n_lessons, course.steps - 1)))
                moment = enrolled
                last_lesson = None
                for k in range(done):
                    lesson_id, fingerprint = course.lessons[k]
                    started = world.since(moment)
                    moment = world.since(started)
                    progress.append((uid, lesson_id, started, moment, fingerprint))
                    last_lesson = lesson_id
                if state == "active" and done < n_lessons and rng.random() < 0.5:
                    lesson_id, _fp = course.lessons[done]
                    moment = world.since(moment)
                    progress.append((uid, lesson_id, moment, None, ""))
                    last_lesson = lesson_id
                percent = round(100 * done / course.steps) if course.steps else 0
                completed_at = moment if state == "completed" else None
                enrolments.append(
                    (
                        enrolment_id,
                        uid,
                        course.id,
                        state,
                        enrolled,
                        percent,
                        last_lesson,
                        moment,
                        completed_at,
                    )
                )
                if completed_at is not None:
                    code = ""
                    while not code or code in codes:
                        raw = "".join(rng.choice(alphabet) for _ in range(12))
                        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
                    codes.add(code)
                    certificates.append(
                        (
                            enrolment_id,
                            code,
                            world.names[uid],
                            course.title,
                            course.hours,
                            course.issuer_name,
                            completed_at.date(),
                            completed_at,
                        )
                    )
                enrolment_id += 1
        counts["enrolments"] = copy_rows(
            Enrolment,
            (
                "id user_id course_id state enrolled_at progress last_lesson_id last_activity_at "
                "completed_at"
            ).split(),
            enrolments,
            now,
        )
        counts["lesson progress"] = copy_rows(
            LessonProgress,
            ["user_id", "lesson_id", "started_at", "completed_at", "fingerprint"],
            progress,
            now,
        )
        counts["certificates"] = copy_rows(
            Certificate,
            (
                "enrolment_id code learner_name course_title hours organisation_name completed_on "
                "issued_at"
            ).split(),
            certificates,
            now,
        )


@dataclass(slots=True)
class TopicPlan:
    """A topic decided before its posts are written, so that the topic row (with the
    fields the forum keeps of its last post) can go in first."""

    posts: int
    community: Community | None
    page: tuple[int, str, str, datetime] | None = None  # a practice: its discussion
    title: str = ""
    members: list[int] = field(default_factory=list)  # who may write in it
    created: datetime | None = None
    span: float = 0.0  # seconds from the first post to the last
    first_author: int = 0
    last_author: int = 0
    url: str = ""


def plan_topics(world: World) -> list[TopicPlan]:
    rng, now, scale = world.rng, world.now, world.scale
    plans: list[TopicPlan] = []
    budget = scale.posts
    # A few very long topics in the largest communities.
    for k, size in enumerate(scale.long_topics):
        size = min(size, budget)
        plans.append(TopicPlan(size, world.communities[k % min(3, len(world.communities))]))
        budget -= size
    # Discussions under some practices.
    for practice in world.practices:
        if budget > 0 and rng.random() < 0.05:
            size = min(budget, rng.randint(1, 8))
            plans.append(TopicPlan(size, None, practice, practice[1][:200]))
            budget -= size
    # Everything else: mostly 1-20 posts, a tail of longer ones, in communities by size.
    pick = weighted_picker(rng, [max(1, len(c.members)) ** 0.8 for c in world.communities])
    while budget > 0:
        size = min(budget, 1 + min(400, int(rng.lognormvariate(1.5, 0.95))))
        plans.append(TopicPlan(size, world.communities[pick()]))
        budget -= size
    rng.shuffle(plans)  # ids in a realistic mix, not the long topics first
    everyone = [world.user(i) for i in range(world.user_count)]
    for plan in plans:
        community = plan.community
        plan.members = community.members if community and community.members else everyone
        if community is not None and plan.posts > 500:
            plan.created = now - timedelta(days=rng.uniform(400, 700))
        elif plan.page is not None:
            plan.created = world.since(plan.page[3])
        else:
            plan.created = now - timedelta(days=1100 * rng.random() ** 1.6 + 0.01)
        age = (now - plan.created).total_seconds()
        plan.span = min(age * 0.98, 86400 * rng.uniform(0.5, 3) * plan.posts**0.85)
        m = len(plan.members)
        plan.first_author = plan.members[int(m * rng.random() ** 2)]
        plan.last_author = plan.members[int(m * rng.random() ** 2)]
        plan.title = plan.title or world.text.topic_title()
    return plans


def load_forums(world: World, report: Report) -> None:
    from django.utils import translation
    from django.utils.text import slugify
    from django.utils.translation import gettext
    from taggit.models import Tag

    from bench._gen_db import copy_rows, next_id
    from bench._gen_text import TAGS
    from via_platform.forums.models import Post, ReadState, TaggedTopic, Topic, Watch
    from via_platform.forums.services import NEW_POST, POSTS_PER_PAGE, REPLY

    rng, now, text = world.rng, world.now, world.text
    rnd = rng.random
    with report.stage("forum topics & posts") as counts:
        with translation.override("nl"):
            replied_title = gettext("%(name)s replied to you in “%(title)s”")
            wrote_title = gettext("%(name)s wrote in “%(title)s”")
        plans = plan_topics(world)
        first_topic = next_id(Topic)
        first_post = next_id(Post)
        world.first_ids["Topic"], world.first_ids["Post"] = first_topic, first_post
        world.last_ids[Topic] = first_topic + len(plans) - 1
        world.last_ids[Post] = first_post + sum(plan.posts for plan in plans) - 1
        tag_ids = [
            Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0].pk
            for name in TAGS
        ]

        # Topics first (posts refer to them), with what the forum keeps of the last post.
        topics, tagged = [], []
        post_id = first_post
        longest = (0, 0)
        for t, plan in enumerate(plans):
            topic_id = first_topic + t
            community, n = plan.community, plan.posts
            plan.url = (
                f"{community.url}forum/{topic_id}/" if community else f"/discussies/{topic_id}/"
            )
            is_question = plan.page is None and rnd() < 0.35
            accepted = None
            if is_question and n > 1 and rnd() < 0.4:
                accepted = post_id + rng.randint(1, n - 1)
            roll = rnd()
            topics.append(
                (
                    topic_id,
                    community.id if community else None,
                    plan.page[0] if plan.page else None,
                    plan.title,
                    plan.first_author,
                    is_question,
                    accepted,
                    community is not None and roll < 0.01,  # pinned
                    0.01 <= roll < 0.03,  # closed
                    community is not None and 0.03 <= roll < 0.035,  # hidden
                    plan.created,
                    plan.created + timedelta(seconds=plan.span if n > 1 else 0),
                    plan.last_author if n > 1 else plan.first_author,
                    n,
                    n - 1,
                )
            )
            if community is not None and rnd() < 0.4:
                for tag in {rng.choice(tag_ids) for _ in range(rng.randint(1, 2))}:
                    tagged.append((tag, topic_id))
            if community is not None and n > longest[1] and not topics[-1][9]:
                longest = (topic_id, n)
                world.long_topic = (topic_id, plan.url, n)
            post_id += n
        counts["topics"] = copy_rows(
            Topic,
            (
                "id community_id page_id title author_id is_question accepted_post_id pinned "
                "closed hidden created_at last_post_at last_post_author_id last_number reply_count"
            ).split(),
            topics,
            now,
        )
        counts["tags"] = copy_rows(TaggedTopic, ["tag_id", "content_object_id"], tagged, now)
        del topics, tagged

        watch_user, watch_topic, watch_number = array("q"), array("q"), array("q")
        pool = text.pool
        pool_size = len(pool)

        def post_rows():
            post_id = first_post
            for t, plan in enumerate(plans):
                topic_id = first_topic + t
                community, n, members = plan.community, plan.posts, plan.members
                m = len(members)
                created, span, title = plan.created, plan.span, plan.title
                offsets = sorted(rnd() for _ in range(max(0, n - 2)))
                first_id = post_id
                authors: list[int] = []
                participants: dict[int, int] = {}
                community_id = community.id if community else None
                page_id = plan.page[0] if plan.page else None
                for number in range(1, n + 1):
                    if number == 1:
                        author, at = plan.first_author, created
                    elif number == n:
                        author, at = plan.last_author, created + timedelta(seconds=span)
                    else:
                        author = members[int(m * rnd() ** 2)]
                        at = created + timedelta(seconds=span * offsets[number - 2])
                    paragraphs = (1 if rnd() < 0.75 else 2) + (number == 1)
                    parts = [
                        " ".join(pool[int(rnd() * pool_size)] for _s in range(1 + int(rnd() * 3)))
                        for _p in range(paragraphs)
                    ]
                    reply_to = None
                    if number > 1 and rnd() < 0.15:
                        reply_to = first_id + int(rnd() * (number - 1))
                    deleted = hidden = edited = None
                    reason = ""
                    if number > 1:
                        roll = rnd()
                        if roll < 0.003:
                            deleted = at + timedelta(hours=1)
                        elif roll < 0.005:
                            hidden = at + timedelta(hours=2)
                            reason = "Bevat persoonsgegevens van een klant."
                        elif roll < 0.035:
                            edited = at + timedelta(minutes=10)
                    yield (
                        post_id,
                        topic_id,
                        number,
                        author,
                        "\n\n".join(parts),
                        "".join(f"<p>{p}</p>\n" for p in parts),  # as markdown.render
                        reply_to,
                        at,
                        edited,
                        deleted,
                        hidden,
                        reason,
                        community_id,
                        page_id,
                    )
                    # Who heard of it (a sample): the person replied to, or earlier posters.
                    if number > 1 and rnd() < 0.1:
                        name = world.names.get(author, "")
                        page = (number - 1) // POSTS_PER_PAGE + 1
                        query = f"?pagina={page}" if page > 1 else ""
                        link = f"{plan.url}{query}#bericht-{number}"
                        target = reply_to and authors[reply_to - first_id]
                        if target and target != author:
                            title_ = replied_title % {"name": name, "title": title}
                            world.happenings.append(
                                (REPLY, author, "post", post_id, title_, link, (target,), at)
                            )
                        else:
                            told = tuple(u for u in list(participants)[:3] if u != author)
                            if told:
                                title_ = wrote_title % {"name": name, "title": title}
                                world.happenings.append(
                                    (NEW_POST, author, "post", post_id, title_, link, told, at)
                                )
                    authors.append(author)
                    participants[author] = number
                    post_id += 1
                for uid, number in participants.items():
                    watch_user.append(uid)
                    watch_topic.append(topic_id)
                    watch_number.append(number)

        with report.step("posts generated and copied"):
            counts["posts"] = copy_rows(
                Post,
                (
                    "id topic_id number author_id body html reply_to_id created_at edited_at "
                    "deleted_at hidden_at hidden_reason community_id_cache page_id_cache"
                ).split(),
                post_rows(),
                now,
            )
        pairs = range(len(watch_user))
        counts["watches"] = copy_rows(
            Watch,
            ["user_id", "topic_id", "level"],
            ((watch_user[i], watch_topic[i], "watching") for i in pairs),
            now,
        )
        counts["read states"] = copy_rows(
            ReadState,
            ["user_id", "topic_id", "last_read"],
            ((watch_user[i], watch_topic[i], watch_number[i]) for i in pairs),
            now,
        )
        counts["longest topic posts"] = longest[1]


def load_notifications(world: World, report: Report) -> None:
    from django.contrib.contenttypes.models import ContentType

    from bench._gen_db import copy_rows, fetchall, next_id
    from via_platform.events.models import Registration
    from via_platform.forums.models import Post, PostRecipient
    from via_platform.notifications.models import Happening, Notification

    rng, now = world.rng, world.now
    with report.stage("notifications") as counts:
        post_type = ContentType.objects.get_for_model(Post).pk
        registration_type = ContentType.objects.get_for_model(Registration).pk
        registration_ids = {}
        if any(h[2] == "registration" for h in world.happenings):
            first_occurrence = min(e[1] for e in world.events)
            registration_ids = {
                (occ, uid): pk
                for pk, occ, uid in fetchall(
                    "SELECT id, occurrence_id, user_id FROM events_registration"
                    " WHERE occurrence_id >= %s",
                    [first_occurrence],
                )
            }
        happening_id = next_id(Happening)
        happenings, notifications, recipients = [], [], []
        fortnight = now - timedelta(days=14)
        for kind, actor, target_kind, target, title, url, audience, at in world.happenings:
            if target_kind == "post":
                target_type, target_id = post_type, target
                recipients.extend((target, uid) for uid in audience)
            else:
                target_type, target_id = registration_type, registration_ids[target]
            happenings.append(
                (
                    happening_id,
                    kind,
                    actor,
                    target_type,
                    str(target_id),
                    title[:300],
                    url,
                    json.dumps(list(audience)),
                    "done",
                    1,
                    len(audience),
                    at,
                    at,
                )
            )
            for uid in audience:
                read = rng.random() < (0.9 if at < fortnight else 0.4)
                read_at = min(now, at + timedelta(hours=rng.uniform(0.1, 48))) if read else None
                notifications.append((uid, happening_id, at, read_at))
            happening_id += 1
        counts["happenings"] = copy_rows(
            Happening,
            (
                "id kind actor_id target_type_id target_id title url audience fanout_state "
                "fanout_attempts recipient_count created_at fanned_out_at"
            ).split(),
            happenings,
            now,
        )
        counts["notifications"] = copy_rows(
            Notification,
            ["recipient_id", "happening_id", "created_at", "read_at"],
            notifications,
            now,
        )
        counts["post recipients"] = copy_rows(
            PostRecipient, ["post_id", "user_id"], sorted(set(recipients)), now
        )
        counts["people notified"] = len({n[0] for n in notifications})


def load_search_index(world: World, report: Report) -> None:
    from wagtail.search.backends import get_search_backend

    from bench._gen_db import (
        NotInSQL,
        index_in_python,
        index_in_sql,
        refresh_title_norms,
    )
    from via_platform.communities.models import CommunityPage
    from via_platform.events.models import EventPage
    from via_platform.forums.models import Post, Topic
    from via_platform.learning.models import CoursePage, LessonPage
    from via_platform.library.models import PracticePage

    if not database_search():
        report.say(
            f"  search index: the search backend is {type(get_search_backend()).__module__}, "
            "not the database; run `manage.py update_index` to index the generated content"
        )
        return
    config = get_search_backend().config or "simple"
    with report.stage("search index") as counts:
        for model in (CommunityPage, PracticePage, EventPage, CoursePage, LessonPage):
            first, last = world.generated_pages[model.__name__]
            with report.step(f"{model.__name__} entries"):
                try:
                    counts[model.__name__] = index_in_sql(
                        model, "p.id BETWEEN %s AND %s", [first, last], config=config
                    )
                except NotInSQL as reason:
                    report.say(f"    {model.__name__}: {reason}; indexed by the backend")
                    counts[model.__name__] = index_in_python(model, list(range(first, last + 1)))
        for model in (Topic, Post):
            with report.step(f"{model.__name__} entries"):
                counts[model.__name__] = index_in_sql(
                    model, "c.id >= %s", [world.first_ids[model.__name__]], config=config
                )
        with report.step("title norms"):
            refresh_title_norms()


def bulk_models() -> list:
    """The tables written in bulk: their foreign keys and plain indexes wait till the end."""
    from allauth.account.models import EmailAddress
    from wagtail.search.models import IndexEntry

    from via_platform.accounts.models import Profile
    from via_platform.communities.models import Membership
    from via_platform.events.models import Occurrence, Registration
    from via_platform.forums.models import Post, PostRecipient, ReadState, TaggedTopic, Topic, Watch
    from via_platform.learning.models import Certificate, Enrolment, LessonProgress
    from via_platform.library.models import Application, PracticePage
    from via_platform.notifications.models import Happening, Notification

    return [
        Profile, EmailAddress, Membership, Application, PracticePage.target_groups.through,
        PracticePage.communities.through, Occurrence, Registration, Enrolment, LessonProgress,
        Certificate, Topic, TaggedTopic, Post, Watch, ReadState, Happening, Notification,
        PostRecipient, IndexEntry,
    ]  # fmt: skip


def finish_database(world: World, report: Report) -> None:
    from django.apps import apps

    from bench._gen_db import fix_numchild, reset_sequences

    with report.stage("tree & sequences") as counts:
        counts["parents fixed"] = fix_numchild()
        models = [
            m
            for m in apps.get_models(include_auto_created=True)
            if not m._meta.proxy and m._meta.managed
        ]
        counts["sequences reset"] = reset_sequences(models)


# Checks ---------------------------------------------------------------------------------


def database_search() -> bool:
    """Is search PostgreSQL's own (index entries in the database), as without SEARCH_URL?"""
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
    from wagtail.search.backends import get_search_backend

    return isinstance(get_search_backend(), PostgresSearchBackend)


def verify(world: World, report: Report) -> dict:
    """The tree is sound, index entries are what the backend would write, generated
    pages render through the whole stack, and searches find generated content."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from bench._gen_db import index_mismatches, tree_problems
    from via_platform.communities.models import CommunityPage
    from via_platform.events.models import EventPage
    from via_platform.forums.models import Post, Topic
    from via_platform.forums.search import search_posts
    from via_platform.learning.models import CoursePage, LessonPage
    from via_platform.library.models import PracticePage

    result: dict = {}
    with report.stage("checks") as counts:
        problems = tree_problems()
        result["tree"] = problems
        if any(problems.values()):
            raise AssertionError(f"page tree problems: {problems}")
        mismatches, sampled = [], 0
        if database_search():  # a sample of each model, compared with the backend's own
            ranges = dict(world.generated_pages)
            for model in (Topic, Post):
                ranges[model.__name__] = (world.first_ids[model.__name__], world.last_ids[model])
            for model in (CommunityPage, PracticePage, EventPage, CoursePage, LessonPage, Topic,
                          Post):  # fmt: skip
                first, last = ranges[model.__name__]
                sample = sorted({first, (first + last) // 2, last, world.rng.randint(first, last)})
                mismatches += index_mismatches(model, sample)
                sampled += len(sample)
        result["index_mismatches"] = mismatches
        counts["index entries compared"] = sampled
        if mismatches:
            raise AssertionError(
                "index entries differ from the backend's:\n" + "\n".join(mismatches)
            )

        community = world.communities[0]
        practice = world.practices[len(world.practices) // 2]
        # What an anonymous visitor may see: public communities, events and courses.
        public_events = [e for e in world.events if e[5]]
        event = public_events[len(public_events) // 2]
        course = next(
            c
            for c in world.courses
            if c.generated and not c.members_only and (c.community is None or c.community.public)
        )
        topic_id, topic_url, topic_posts = world.long_topic
        last_page = (topic_posts - 1) // 20 + 1
        urls = {
            "community": community.url,
            "forum": f"{community.url}forum/",
            "practice": practice[2],
            "event": event[3],
            "course": course.url,
            "long topic": topic_url,
            "long topic, last page": f"{topic_url}?pagina={last_page}",
            "library search": "/kennisbank/?q=jobcoaching",
        }
        for label, pk in (
            ("community", community.id),
            ("practice", practice[0]),
            ("event", event[0]),
            ("course", course.id),
        ):
            page = Page.objects.get(pk=pk).specific
            if page.get_url() != urls[label]:
                raise AssertionError(f"{label}: get_url() {page.get_url()} != {urls[label]}")
        client = Client()
        statuses = {}
        for label, url in urls.items():
            statuses[label] = (url, client.get(url).status_code)
            report.say(f"  GET {url} → {statuses[label][1]} ({label})")
        result["statuses"] = statuses
        counts["pages rendered"] = sum(1 for _u, code in statuses.values() if code == 200)
        failed = {label: value for label, value in statuses.items() if value[1] != 200}
        if failed:
            raise AssertionError(f"generated pages do not render: {failed}")

        if not database_search():
            report.say("  searches not checked: the generated content is not indexed yet")
            return result
        word = "werkgeversdienstverlening"
        hits = search_posts(AnonymousUser(), word)
        practices = get_search_backend().search("jobcoaching", PracticePage.objects.live())
        result["forum_hits"] = len(hits)
        result["practice_hits"] = practices.count()
        counts["forum hits"] = len(hits)
        counts["practice hits"] = result["practice_hits"]
        report.say(
            f"  forum search “{word}”: {len(hits)} topics, e.g. {hits[0].url if hits else '-'}"
        )
        if not hits or not result["practice_hits"]:
            raise AssertionError("searches found no generated content")
    return result


def table_counts() -> list[tuple[str, int]]:
    from django.contrib.auth import get_user_model
    from wagtail.search.models import IndexEntry

    from via_platform.communities.models import CommunityPage, Membership
    from via_platform.events.models import EventPage, Registration
    from via_platform.forums.models import Post, Topic
    from via_platform.learning.models import CoursePage, Enrolment, LessonPage, LessonProgress
    from via_platform.library.models import PracticePage
    from via_platform.notifications.models import Notification

    models = [
        ("members (users)", get_user_model()),
        ("communities", CommunityPage),
        ("memberships", Membership),
        ("forum topics", Topic),
        ("forum posts", Post),
        ("practices", PracticePage),
        ("events", EventPage),
        ("registrations", Registration),
        ("courses", CoursePage),
        ("lessons", LessonPage),
        ("enrolments", Enrolment),
        ("lesson progress", LessonProgress),
        ("notifications", Notification),
        ("search index entries", IndexEntry),
    ]
    return [(label, model.objects.count()) for label, model in models]


# Entry points --------------------------------------------------------------------------


def bump_page_cache() -> None:
    """Rows written with COPY send no post_save, so cached anonymous pages would not
    know of them: start a new page-cache generation, as any saved content does."""
    try:
        from cms.pagecache import bump
    except ImportError:  # a version of the platform without the page cache
        return
    bump()


def ensure_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise Refused(REFUSAL.format(vendor=connection.vendor))


def previous_run() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()


def generate(
    scale: str | Scale = "small",
    seed: int = 42,
    *,
    prepare: bool = True,
    check: bool = True,
    out=None,
) -> dict:
    """Fill the database; returns a summary. `prepare` runs migrate and seed_demo first
    (tests that already have the demo content pass False). Raises Refused on anything
    but PostgreSQL, before touching the database."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Site

    from bench._gen_db import BulkLoad, execute
    from bench._gen_text import TextMaker

    out = out or sys.stdout
    scale = SCALES[scale] if isinstance(scale, str) else scale
    ensure_postgres()
    report = Report(out)
    report.say(f"bench.generate: scale {scale.name}, seed {seed}")
    if prepare:
        with report.stage("migrate"):
            call_command("migrate", interactive=False, verbosity=0)
    found = previous_run()
    if found:
        report.say(
            f"A previous run is in this database ({found:,} members @{EMAIL_DOMAIN}); "
            "nothing was added. Drop the database to generate again."
        )
        return {"skipped": True, "previous_members": found}
    if prepare:
        with report.stage("seed_demo"):
            call_command("seed_demo", stdout=io.StringIO())

    rng = random.Random(seed)
    with report.stage("vocabulary") as counts:
        text = TextMaker(rng)
        counts["sentences"] = len(text.pool)
    world = World(rng=rng, text=text, now=timezone.now(), scale=scale)
    world.locale_id = Locale.get_default().pk
    site = Site.objects.get(is_default_site=True)
    world.root_url_path = site.root_page.url_path

    with transaction.atomic():
        execute("SET LOCAL maintenance_work_mem = '512MB'")
        execute("SET LOCAL work_mem = '64MB'")
        bulk = BulkLoad(bulk_models())
        with report.stage("bulk mode") as counts:
            bulk.begin()
            counts["foreign keys dropped"] = len(bulk.foreign_keys)
            counts["unique constraints dropped"] = len(bulk.uniques)
            counts["indexes dropped"] = len(bulk.indexes)
        load_organisations(world, report)
        load_members(world, report)
        load_communities(world, report)
        load_practices(world, report)
        load_events(world, report)
        load_courses(world, report)
        load_enrolments(world, report)
        load_forums(world, report)
        load_notifications(world, report)
        load_search_index(world, report)
        with report.stage("constraints & indexes") as counts:
            timing = bulk.finish()
            counts["foreign keys validated"] = len(bulk.foreign_keys)
            counts["unique constraints"] = len(bulk.uniques)
            counts["indexes built"] = len(bulk.indexes)
            report.say("    " + ", ".join(f"{key} {value:.1f} s" for key, value in timing.items()))
        finish_database(world, report)
    with report.stage("analyze"):
        execute("ANALYZE")
    bump_page_cache()

    summary: dict = {"skipped": False, "scale": scale.name, "seed": seed}
    if check:
        summary["checks"] = verify(world, report)
    summary["counts"] = table_counts()
    summary["stages"] = [(name, counts, seconds) for name, counts, seconds in report.stages]
    summary["largest_community"] = (world.communities[0].url, len(world.communities[0].members))
    summary["long_topic"] = world.long_topic
    summary["generated_ids"] = {
        model.__name__: (world.first_ids[model.__name__], last)
        for model, last in world.last_ids.items()
    } | dict(world.generated_pages)
    report.say("\n" + report.table())
    report.say("\nrows now in the database:")
    for label, count in summary["counts"]:
        report.say(f"  {label:<24}{count:>12,}")
    url, members = summary["largest_community"]
    report.say(f"\nlargest community: {url} ({members:,} active members)")
    if world.long_topic:
        report.say(f"longest topic: {world.long_topic[1]} ({world.long_topic[2]:,} posts)")
    report.say(f"members log in with password {PASSWORD!r}, e.g. any …@{EMAIL_DOMAIN}")
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--no-prepare", action="store_true", help="skip migrate and seed_demo (already done)"
    )
    parser.add_argument(
        "--no-checks", action="store_true", help="skip rendering and search checks at the end"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "via_platform.settings")
    django.setup()
    try:
        generate(args.scale, args.seed, prepare=not args.no_prepare, check=not args.no_checks)
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
