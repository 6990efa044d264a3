"""Moderation of the forums (see urls.py): the actions on a topic and on a post, a
community's queue of flagged posts, its moderation log, and a member's page where
moderators warn, suspend or lift a suspension.

Every change goes through services (which check the rights again and log who did what
and why); these views only decide what a person may see. Whoever may not moderate gets
a 404: the moderation pages do not exist for them.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage, Membership, MembershipState
from via_platform.forums import markdown, permissions, services, views
from via_platform.forums.models import (
    Flag,
    ModerationAction,
    ModerationLog,
    Post,
    Suspension,
    Topic,
)

FLAGGED_PER_PAGE = 25
LOG_PER_PAGE = 50
MEMBER_POSTS = 20
MEMBER_HISTORY = 50
HIDDEN_WEEKS = 4
HIDDEN_SHOWN = 50
EXCERPT_LENGTH = 1500

TOPIC_ACTIONS = {
    ModerationAction.CLOSE,
    ModerationAction.REOPEN,
    ModerationAction.PIN,
    ModerationAction.UNPIN,
    ModerationAction.HIDE_TOPIC,
    ModerationAction.RESTORE_TOPIC,
}
POST_ACTIONS = {"hide", "restore", "dismiss"}


# Forms (the member page) ----------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=gettext_lazy("The member and the other moderators see this."),
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class SuspendForm(ReasonForm):
    days = forms.IntegerField(
        label=gettext_lazy("Number of days"),
        min_value=1,
        max_value=365,
        initial=7,
        help_text=gettext_lazy("From 1 to 365 days."),
    )

    field_order = ["days", "reason"]


# Helpers --------------------------------------------------------------------------------


def display_name(user) -> str:
    """A member's name as moderators see it: never an email address."""
    if user is None:
        return _("Former member")
    if getattr(user, "is_anonymised", False):
        return str(user)
    return user.get_full_name() or _("Member")


def _moderation_url(community: CommunityPage) -> str:
    return f"{services.forum_url(community)}moderatie/"


def member_url(community: CommunityPage, user_id: int) -> str:
    return f"{_moderation_url(community)}leden/{user_id}/"


def _check_moderator(community: CommunityPage, request):
    """None if the person moderates this community; a login redirect for an anonymous
    visitor (unless the community does not exist for them); else 404."""
    if not request.user.is_authenticated:
        if not community_permissions.can_see(request.user, community):
            raise Http404
        return redirect_to_login(request.get_full_path())
    if not community_permissions.can_see(
        request.user, community
    ) or not community_permissions.can_moderate(request.user, community):
        raise Http404
    return None


def _next_url(request, fallback: str) -> str:
    """`next` from the form if it is a path on this site, else the fallback."""
    url = (request.POST.get("next") or "").strip()
    if (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        return url
    return fallback


def _error_texts(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(texts) for field, texts in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _base_context(community: CommunityPage) -> dict:
    moderation_url = _moderation_url(community)
    return {
        "page": community,
        "community": community,
        "forum_url": services.forum_url(community),
        "queue_url": moderation_url,
        "log_url": f"{moderation_url}logboek/",
    }


def _with_topic_place(topic: Topic, community: CommunityPage | None) -> Topic:
    """Avoid loading the same community once per row."""
    if community is not None and topic.community_id == community.pk:
        topic.community = community
    return topic


# The actions on a topic and a post ----------------------------------------------------------


def _action_labels() -> dict[str, str]:
    return {
        ModerationAction.CLOSE: _("Close the topic"),
        ModerationAction.REOPEN: _("Reopen the topic"),
        ModerationAction.PIN: _("Pin the topic"),
        ModerationAction.UNPIN: _("Unpin the topic"),
        ModerationAction.HIDE_TOPIC: _("Hide the topic"),
        ModerationAction.RESTORE_TOPIC: _("Restore the topic"),
        ModerationAction.MOVE: _("Move the topic"),
        "hide": _("Hide the message"),
        "restore": _("Restore the message"),
        "dismiss": _("Dismiss the flags"),
    }


def _done_messages() -> dict[str, str]:
    return {
        ModerationAction.CLOSE: _("The topic is closed: nobody can reply any more."),
        ModerationAction.REOPEN: _("The topic is open again."),
        ModerationAction.PIN: _("The topic is pinned at the top of the forum."),
        ModerationAction.UNPIN: _("The topic is no longer pinned."),
        ModerationAction.HIDE_TOPIC: _("The topic is hidden; only moderators see it."),
        ModerationAction.RESTORE_TOPIC: _("The topic is visible again."),
        "hide": _("The message is hidden. Its author has been told why."),
        "restore": _("The message is visible again."),
        "dismiss": _("The flags are dismissed; the message stays as it is."),
    }


def _action_error(request, topic: Topic, *, action: str, error: ValidationError, post=None):
    """The form again, with the error next to the field and what was typed kept."""
    errors = _error_texts(error)
    topic_address = services.topic_url(topic)
    form_action = (
        f"{topic_address}moderatie/berichten/{post.pk}/"
        if post is not None
        else f"{topic_address}moderatie/"
    )
    context = {
        "topic": topic,
        "topic_url": topic_address,
        "post": post,
        "action": action,
        "action_label": _action_labels().get(action, action),
        "form_action": form_action,
        "reason": (request.POST.get("reason") or "")[:500],
        "reason_errors": errors.pop("reason", []),
        "other_errors": [text for texts in errors.values() for text in texts],
        "to": request.POST.get("to", ""),
        "next": _next_url(request, topic_address),
        "page": topic.community,
    }
    if action == ModerationAction.MOVE:
        context["move_targets"] = move_targets(request.user, topic)
    return TemplateResponse(request, "forums/moderation/action.html", context, status=400)


def move_targets(user, topic: Topic) -> list[CommunityPage]:
    """The other forums this person moderates: where a topic may move to."""
    if topic.community_id is None:
        return []
    ids = permissions.moderated_community_ids(user)
    return list(
        CommunityPage.objects.live()
        .filter(pk__in=ids)
        .exclude(pk=topic.community_id)
        .order_by("title")
    )


@views.topic_view
def topic_action(request, topic: Topic):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not permissions.can_moderate_topic(request.user, topic):
        raise Http404
    action = request.POST.get("action", "")
    reason = (request.POST.get("reason") or "").strip()[:500]
    back = _next_url(request, services.topic_url(topic))
    try:
        if action == ModerationAction.MOVE:
            target = _move_target(request, topic)
            services.move_topic(request.user, topic, target, reason)
            messages.success(
                request, _("The topic was moved to %(forum)s.") % {"forum": target.title}
            )
            # Its old address no longer leads to it.
            return redirect(services.topic_url(topic))
        if action not in TOPIC_ACTIONS:
            messages.error(request, _("Choose what to do with the topic."))
            return redirect(back)
        services.set_topic_state(request.user, topic, action, reason)
    except ValidationError as error:
        return _action_error(request, topic, action=action, error=error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
        return redirect(back)
    messages.success(request, _done_messages()[action])
    return redirect(back)


def _move_target(request, topic: Topic) -> CommunityPage:
    if topic.community_id is None:
        raise PermissionDenied(_("A discussion under a page cannot be moved."))
    try:
        target_id = int(request.POST.get("to", ""))
    except ValueError:
        raise ValidationError({"to": _("Choose the forum to move the topic to.")}) from None
    target = CommunityPage.objects.live().filter(pk=target_id).first()
    if target is None:
        raise PermissionDenied(_("You can only move a topic to a forum you moderate."))
    if target.pk == topic.community_id:
        raise ValidationError({"to": _("The topic is already in this forum.")})
    return target


@views.topic_view
def post_action(request, topic: Topic, post_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not permissions.can_moderate_topic(request.user, topic):
        raise Http404
    post = Post.objects.filter(pk=post_id, topic=topic).select_related("author").first()
    if post is None:
        raise Http404
    post.topic = topic
    action = request.POST.get("action", "")
    reason = (request.POST.get("reason") or "").strip()[:500]
    back = _next_url(request, services.post_url(post))
    try:
        if action == "hide":
            services.hide_post(request.user, post, reason)
        elif action == "restore":
            services.restore_post(request.user, post, reason)
        elif action == "dismiss":
            services.dismiss_flags(request.user, post, reason)
        else:
            messages.error(request, _("Choose what to do with the message."))
            return redirect(back)
    except ValidationError as error:
        return _action_error(request, topic, action=action, error=error, post=post)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
        return redirect(back)
    messages.success(request, _done_messages()[action])
    return redirect(back)


# The queue --------------------------------------------------------------------------------


def flagged_posts(community: CommunityPage):
    """Posts of this forum with open flags, the longest waiting first, each with its open
    flags and their reporters (`post.open_flags`): three queries for any number."""
    open_flag = Q(flags__resolved_at__isnull=True)
    return (
        Post.objects.filter(topic__community=community)
        .annotate(
            open_flag_count=Count("flags", filter=open_flag),
            first_flagged=Min("flags__created_at", filter=open_flag),
        )
        .filter(open_flag_count__gt=0)
        .select_related("topic", "author")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True)
                .select_related("reporter")
                .order_by("created_at", "pk"),
                to_attr="open_flags",
            )
        )
        .order_by("first_flagged", "pk")
    )


def queue(community: CommunityPage, request):
    denied = _check_moderator(community, request)
    if denied is not None:
        return denied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    now = timezone.now()
    page_obj = Paginator(flagged_posts(community), FLAGGED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    flagged = list(page_obj)
    for post in flagged:
        _with_topic_place(post.topic, community)
        post.url = services.post_url(post)
        post.topic_url = services.topic_url(post.topic)
        post.excerpt = markdown.plain_text(post.body, EXCERPT_LENGTH)
        post.author_name = display_name(post.author)
        post.member_url = member_url(community, post.author_id) if post.author_id else ""
        for flag in post.open_flags:
            flag.reporter_name = display_name(flag.reporter)

    suspensions = list(
        Suspension.objects.filter(community=community, lifted_at__isnull=True, until__gt=now)
        .select_related("user", "created_by")
        .order_by("until", "pk")
    )
    for suspension in suspensions:
        suspension.user_name = display_name(suspension.user)
        suspension.by_name = display_name(suspension.created_by)
        suspension.member_url = member_url(community, suspension.user_id)

    since = now - timedelta(weeks=HIDDEN_WEEKS)
    hidden_posts = list(
        Post.objects.filter(
            topic__community=community, hidden_at__gte=since, deleted_at__isnull=True
        )
        .select_related("topic", "author")
        .order_by("-hidden_at", "-pk")[:HIDDEN_SHOWN]
    )
    for post in hidden_posts:
        _with_topic_place(post.topic, community)
        post.url = services.post_url(post)
        post.topic_url = services.topic_url(post.topic)
        post.author_name = display_name(post.author)
        post.excerpt = markdown.plain_text(post.body, 200)

    hides = ModerationLog.objects.filter(
        topic=OuterRef("pk"), action=ModerationAction.HIDE_TOPIC
    ).order_by("-created_at", "-pk")
    hidden_topics = list(
        Topic.objects.filter(community=community, hidden=True)
        .annotate(
            hidden_on=Subquery(hides.values("created_at")[:1]),
            hidden_why=Subquery(hides.values("reason")[:1]),
        )
        .filter(hidden_on__gte=since)
        .order_by("-hidden_on", "-pk")[:HIDDEN_SHOWN]
    )
    for topic in hidden_topics:
        _with_topic_place(topic, community)
        topic.url = services.topic_url(topic)

    return TemplateResponse(
        request,
        "forums/moderation/queue.html",
        {
            **_base_context(community),
            "page_obj": page_obj,
            "flagged": flagged,
            "suspensions": suspensions,
            "hidden_posts": hidden_posts,
            "hidden_topics": hidden_topics,
            "weeks": HIDDEN_WEEKS,
            "next_url": request.get_full_path(),
        },
    )


# The log ------------------------------------------------------------------------------------


def _describe(entries, community: CommunityPage) -> None:
    """Names and links for log entries (loaded with their people, topics and posts)."""
    for entry in entries:
        entry.actor_name = display_name(entry.actor)
        entry.member_name = display_name(entry.member) if entry.member_id else ""
        entry.member_url = member_url(community, entry.member_id) if entry.member_id else ""
        entry.topic_url = ""
        entry.post_url = ""
        if entry.topic is not None:
            _with_topic_place(entry.topic, community)
            entry.topic_url = services.topic_url(entry.topic)
            if entry.post is not None:
                entry.post.topic = entry.topic
                entry.post_url = services.post_url(entry.post)


def _log_entries():
    return ModerationLog.objects.select_related(
        "actor", "member", "topic", "topic__community", "post"
    )


def log(community: CommunityPage, request):
    denied = _check_moderator(community, request)
    if denied is not None:
        return denied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    entries = _log_entries().filter(community=community).order_by("-created_at", "-pk")
    page_obj = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page_obj)
    _describe(entries, community)
    return TemplateResponse(
        request,
        "forums/moderation/log.html",
        {**_base_context(community), "page_obj": page_obj, "entries": entries},
    )


# A member --------------------------------------------------------------------------------------


def member(community: CommunityPage, request, user_id: int):
    denied = _check_moderator(community, request)
    if denied is not None:
        return denied
    person = get_user_model().objects.filter(pk=user_id).first()
    membership = (
        Membership.objects.filter(
            community=community,
            user_id=user_id,
            state__in=[MembershipState.ACTIVE, MembershipState.LEFT],
        ).first()
        if person is not None
        else None
    )
    if membership is None:
        raise Http404
    address = member_url(community, person.pk)
    is_self = person.pk == request.user.pk
    current = permissions.suspension(person, community)

    warn_form = ReasonForm(prefix="warn")
    suspend_form = SuspendForm(prefix="suspend")
    lift_form = ReasonForm(prefix="lift", reason_required=False)
    failed = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        back = _next_url(request, address)
        name = display_name(person)
        try:
            if action == "warn":
                warn_form = ReasonForm(request.POST, prefix="warn")
                if warn_form.is_valid():
                    services.warn(request.user, community, person, warn_form.cleaned_data["reason"])
                    messages.success(
                        request, _("%(name)s was warned and told why.") % {"name": name}
                    )
                    return redirect(back)
            elif action == "suspend":
                suspend_form = SuspendForm(request.POST, prefix="suspend")
                if suspend_form.is_valid():
                    suspension = services.suspend(
                        request.user,
                        community,
                        person,
                        days=suspend_form.cleaned_data["days"],
                        reason=suspend_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("%(name)s cannot post in this forum until %(date)s.")
                        % {
                            "name": name,
                            "date": timezone.localtime(suspension.until).strftime("%d-%m-%Y %H:%M"),
                        },
                    )
                    return redirect(back)
            elif action == "lift":
                lift_form = ReasonForm(request.POST, prefix="lift", reason_required=False)
                if lift_form.is_valid():
                    if current is None:
                        messages.info(request, _("%(name)s is not suspended.") % {"name": name})
                    else:
                        services.lift_suspension(
                            request.user, current, lift_form.cleaned_data["reason"]
                        )
                        messages.success(
                            request,
                            _("%(name)s can post in this forum again.") % {"name": name},
                        )
                    return redirect(back)
            else:
                return HttpResponseNotAllowed(["GET", "HEAD"])
        except ValidationError as error:
            form = {"warn": warn_form, "suspend": suspend_form, "lift": lift_form}[action]
            for field, texts in _error_texts(error).items():
                for text in texts:
                    form.add_error(None if field not in form.fields else field, text)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You cannot do this."))
            return redirect(back)
        failed = True
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])

    posts = list(
        Post.objects.filter(author=person, topic__community=community)
        .select_related("topic")
        .order_by("-created_at", "-pk")[:MEMBER_POSTS]
    )
    for post in posts:
        _with_topic_place(post.topic, community)
        post.url = services.post_url(post)
        post.excerpt = markdown.plain_text(post.body, 200) if post.deleted_at is None else ""
    history = list(
        _log_entries()
        .filter(community=community)
        .filter(Q(member=person) | Q(post__author=person))
        .order_by("-created_at", "-pk")[:MEMBER_HISTORY]
    )
    _describe(history, community)
    return TemplateResponse(
        request,
        "forums/moderation/member.html",
        {
            **_base_context(community),
            "person": person,
            "name": display_name(person),
            "membership": membership,
            "is_self": is_self,
            "suspension": current,
            "posts": posts,
            "history": history,
            "warn_form": warn_form,
            "suspend_form": suspend_form,
            "lift_form": lift_form,
            "member_url": address,
        },
        status=400 if failed else 200,
    )
