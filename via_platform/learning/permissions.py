"""Who may see a course, take its lessons, enrol and manage it.

A course under /leren/ is for everyone to see. A course in a community's subtree
follows the community's content rules (communities.permissions.can_view): in a
members-only or hidden community only its members see it, anywhere (pages, lists,
search, sitemap, notifications). Lessons are for enrolled learners and the people who
manage the course; session steps too. Managing (learners, exports, completing by hand,
enrolling people) is for the community's coordinators, or for editors of /leren/.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import Page

from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage
from via_platform.learning.models import (
    CoursePage,
    Enrolment,
    EnrolmentState,
    LessonPage,
    SessionStepPage,
)


def _logged_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_superuser(user) -> bool:
    return _logged_in(user) and user.is_superuser


def can_view(user, course: CoursePage) -> bool:
    if _is_superuser(user):
        return True
    if not course.live:
        return False
    if course.community_id is None:
        return True
    return community_permissions.can_view(user, course.community)


def can_manage(user, course: CoursePage) -> bool:
    if _is_superuser(user):
        return True
    if not _logged_in(user):
        return False
    if course.community_id is not None:
        return community_permissions.can_coordinate(user, course.community)
    return course.permissions_for_user(user).can_edit()


def enrolment_for(user, course: CoursePage) -> Enrolment | None:
    """The person's enrolment (any state), cached on the user object per course."""
    if not _logged_in(user):
        return None
    cache = user.__dict__.setdefault("_learning_enrolments", {})
    if course.pk not in cache:
        cache[course.pk] = Enrolment.objects.filter(user=user, course=course).first()
    return cache[course.pk]


def forget_cached_enrolment(user, course: CoursePage) -> None:
    user.__dict__.get("_learning_enrolments", {}).pop(course.pk, None)


def is_learner(user, course: CoursePage) -> bool:
    enrolment = enrolment_for(user, course)
    return enrolment is not None and enrolment.state != EnrolmentState.LEFT


def can_take(user, course: CoursePage) -> bool:
    """May this person open the course's lessons and sessions?"""
    return can_view(user, course) and (is_learner(user, course) or can_manage(user, course))


def visible_to(user, courses: QuerySet | None = None) -> QuerySet:
    """The live courses this person may see, as one queryset. `courses` may also be a
    page relation read from a revision (a preview), which is a list in memory."""
    if courses is None:
        courses = CoursePage.objects.all()
    elif not isinstance(courses, QuerySet):
        courses = CoursePage.objects.filter(pk__in=[course.pk for course in courses])
    courses = courses.live()
    if _is_superuser(user):
        return courses
    readable = community_permissions.content_visible_to(user, CommunityPage.objects.all())
    return courses.filter(Q(community__isnull=True) | Q(community__in=readable.values("pk")))


def findable_page_filter(user) -> Q:
    """For site search and the sitemap (cms.visibility): courses the person may see;
    never lessons or session steps, which are for learners. Only `pk__in` subqueries:
    the search backend filters on indexed fields (id), not on content type names."""
    hidden_courses = CoursePage.objects.exclude(pk__in=visible_to(user).values("pk"))
    steps = Page.objects.type(LessonPage, SessionStepPage)
    return ~Q(pk__in=hidden_courses.values("pk")) & ~Q(pk__in=steps.values("pk"))
