"""Forum pages (see urls.py): a community's forum with its topics, a topic with its
posts, writing, editing, deleting, answers, flags, watching and read state.

Views ask permissions.py what a person may see and do and call services.py for every
change; a refusal from a service lands on the form next to what the person typed.
Under a community the views take the community page first, `view(community, request)`;
the views of a topic get `(request, topic)` from topic_view(), in a community's forum
and under /discussies/ alike. Lists and topic pages run the same number of queries
whatever their length: posts come by number range, with authors, profiles, images
and (for moderators) open flag counts in the same few queries.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from urllib.parse import quote as quote_url

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag
from wagtail.models import Page

from via_platform.accounts.models import Profile
from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage, MembershipState
from via_platform.forums import permissions, services
from via_platform.forums.forms import (
    IMAGE_TYPES,
    EditForm,
    FlagForm,
    ForumFilterForm,
    PostForm,
    TopicForm,
    WatchForm,
)
from via_platform.forums.hosts import host_for
from via_platform.forums.models import (
    Flag,
    Post,
    PostImage,
    Topic,
    Watch,
    WatchLevel,
)


def topic_view(view):
    """For views in urls.topic_patterns: called as (community, request, topic_id, ...)
    under a community, or (request, topic_id, ...) under /discussies/; calls
    view(request, topic, ...) once the topic is found where the URL says it is and the
    person may read it."""

    @functools.wraps(view)
    def wrapper(*args, topic_id: int, **kwargs):
        community = args[0] if len(args) == 2 else None
        request = args[-1]
        topic = (
            Topic.objects.select_related("community", "page", "author", "accepted_post")
            .filter(pk=topic_id)
            .first()
        )
        if topic is None:
            raise Http404
        if community is not None and topic.community_id != community.pk:
            raise Http404
        if community is None and topic.page_id is None:
            raise Http404
        if not permissions.can_read_topic(request.user, topic):
            raise Http404
        return view(request, topic, **kwargs)

    return wrapper


def recent_topics(community, user) -> list[dict]:
    """For the community home, which shows sections only to people who may read the
    community's content: its latest topics that are not hidden."""
    from via_platform.forums.services import topic_url

    if not community_permissions.can_view(user, community):
        return []
    topics = Topic.objects.filter(community=community, hidden=False).select_related("community")
    return [
        {"title": t.title, "url": topic_url(t), "date": t.last_post_at}
        for t in topics.order_by("-last_post_at")[:3]
    ]


# Helpers ----------------------------------------------------------------------------------


def _method_post_community(view):
    """require_POST for views that take the community page first."""

    @functools.wraps(view)
    def wrapper(community, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(community, request, *args, **kwargs)

    return wrapper


def _check_forum(community, user) -> None:
    """A forum exists for whoever may read its community's content; for anyone else
    there is nothing here at all."""
    if not community_permissions.can_view(user, community):
        raise Http404


def display_name(user, viewer) -> str:
    """A person's name as the viewer may see it (see communities.views._visible_name);
    never an email address."""
    if user is None or user.is_anonymised:
        return _("Former member")
    full_name = user.get_full_name()
    if not full_name:
        return _("A member")
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = Profile(user=user)  # the defaults: names are for logged-in members
    return full_name if profile.is_visible("name", viewer) else _("A member")


def number_url(topic: Topic, number: int, base: str | None = None) -> str:
    """Where post `number` of a topic is: its page, at its anchor."""
    page = services.page_of(number)
    query = f"?pagina={page}" if page > 1 else ""
    return f"{base or services.topic_url(topic)}{query}#bericht-{number}"


def _add_errors(form: forms.Form, exc: Exception) -> None:
    """A service's refusal on the form, so the person sees it next to what they typed."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You cannot do this here."))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _wants_preview(request) -> bool:
    return request.method == "POST" and "preview" in request.POST


def _preview(request, topic: Topic) -> str | None:
    """The rendered text of a "Preview" press, also when other fields have errors."""
    if not _wants_preview(request):
        return None
    body = request.POST.get("body", "")
    if not body.strip() or len(body) > services.MAX_BODY_LENGTH:
        return None
    return services.render_body(topic, body)


def _post_or_404(topic: Topic, post_id: int) -> Post:
    post = Post.objects.select_related("author__profile").filter(topic=topic, pk=post_id).first()
    if post is None:
        raise Http404
    post.topic = topic
    return post


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~])")


def quote(post: Post, viewer, base: str) -> str:
    """A reply's opening: who wrote what, as a Markdown quote with a link to the post."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", display_name(post.author, viewer))
    lines = post.body.strip().splitlines()
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    link = number_url(post.topic, post.number, base)
    return f"> **{name}** ([#{post.number}]({link})):\n>\n{quoted}\n\n"


@dataclass(frozen=True)
class Blocked:
    """Why a person cannot post here (what the page says instead of a form)."""

    reason: str  # login, join, suspended, closed, other
    until: object = None
    url: str = ""


def _why_not_post(request, topic: Topic, can_moderate: bool) -> Blocked:
    user = request.user
    if topic.closed and not can_moderate:
        return Blocked("closed")
    if not user.is_authenticated:
        return Blocked("login", url=f"{reverse('account_login')}?next={quote_url(request.path)}")
    if topic.community_id is not None:
        if not community_permissions.is_member(user, topic.community):
            return Blocked("join", url=topic.community.url)
        suspended = permissions.suspension(user, topic.community)
        if suspended is not None:
            return Blocked("suspended", until=suspended.until)
    return Blocked("other")


def _why_not_start(request, community) -> Blocked:
    user = request.user
    if not user.is_authenticated:
        return Blocked("login", url=f"{reverse('account_login')}?next={quote_url(request.path)}")
    if not community_permissions.is_member(user, community):
        return Blocked("join", url=community.url)
    suspended = permissions.suspension(user, community)
    if suspended is not None:
        return Blocked("suspended", until=suspended.until)
    return Blocked("other")


def _place(topic: Topic) -> dict:
    """Where a topic lives, for headings and breadcrumbs: a community's forum, or the
    page (a practice) it is the discussion of."""
    if topic.community_id is not None:
        community = topic.community
        return {
            "page": community,
            "community": community,
            "forum_url": services.forum_url(community),
            "host_page": None,
        }
    host_page = topic.page.specific
    return {"page": host_page, "community": None, "forum_url": "", "host_page": host_page}


# The forum index --------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """What a search within a forum found: topic ids, best first, with the matching
    post's excerpt and address when the search gives them."""

    topic_ids: object  # a list of ids (ranked) or a queryset of ids (unranked)
    ranked: bool
    excerpts: dict


def _search(user, community, query: str) -> Found:
    """The topics of this forum whose title or readable posts match. forums/search.py
    does it properly (ranked, with excerpts); without it, a plain substring match
    through the same permission filters."""
    if importlib.util.find_spec("via_platform.forums.search") is not None:
        from via_platform.forums import search

        finder = getattr(search, "search_forum", None)
        if finder is not None:
            hits = list(finder(user, community, query))
            excerpts = {}
            for hit in hits:
                topic_id = _topic_id(hit)
                if topic_id and topic_id not in excerpts:
                    excerpts[topic_id] = {
                        "text": getattr(hit, "excerpt", ""),
                        "url": getattr(hit, "url", ""),
                    }
            return Found(topic_ids=list(excerpts), ranked=True, excerpts=excerpts)
    posts = permissions.posts_visible_to(
        user, Post.objects.filter(topic__community=community, body__icontains=query)
    )
    ids = (
        Topic.objects.filter(community=community)
        .filter(Q(title__icontains=query) | Q(pk__in=posts.values("topic_id")))
        .values("pk")
    )
    return Found(topic_ids=ids, ranked=False, excerpts={})


def _topic_id(item) -> int | None:
    """The topic of a search result, whatever its shape (a hit, a topic, a post)."""
    if isinstance(item, Topic):
        return item.pk
    if isinstance(item, Post):
        return item.topic_id
    topic = getattr(item, "topic", None)
    return getattr(topic, "pk", None) or getattr(item, "topic_id", None)


def _pages_of(page_obj) -> dict:
    """A Paginator page as _pagination.html reads it (the same shape as _pages)."""
    return {
        "number": page_obj.number,
        "num_pages": page_obj.paginator.num_pages,
        "has_other_pages": page_obj.has_other_pages(),
        "has_previous": page_obj.has_previous(),
        "has_next": page_obj.has_next(),
        "previous_page_number": page_obj.number - 1,
        "next_page_number": page_obj.number + 1,
    }


def forum_index(community, request):
    user = request.user
    _check_forum(community, user)
    forum = services.forum_url(community)
    visible = permissions.topics_visible_to(user, Topic.objects.filter(community=community))
    tag_names = list(
        Tag.objects.filter(forums_taggedtopic_items__content_object__in=visible.values("pk"))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    form = ForumFilterForm(request.GET, tags=tag_names)
    form.is_valid()  # a wrong value shows an error; the valid filters still apply
    chosen = getattr(form, "cleaned_data", {})
    topics = visible
    tag = chosen.get("tag")
    if tag:
        topics = topics.filter(tags__name=tag)
    open_questions = bool(chosen.get("vragen"))
    if open_questions:
        topics = topics.filter(is_question=True, accepted_post__isnull=True)
    query = (chosen.get("q") or "").strip()
    found = _search(user, community, query) if query else None
    topics = topics.select_related("author__profile", "last_post_author__profile").prefetch_related(
        "tags"
    )
    if found is not None and found.ranked:
        # Best match first, as the search ranked them.
        ranking = [When(pk=pk, then=Value(n)) for n, pk in enumerate(found.topic_ids)]
        topics = (
            topics.filter(pk__in=found.topic_ids).order_by(
                Case(*ranking, default=Value(len(ranking)), output_field=IntegerField()), "-pk"
            )
            if ranking
            else topics.none()
        )
    else:
        if found is not None:
            topics = topics.filter(pk__in=found.topic_ids)
        topics = topics.order_by("-pinned", "-last_post_at", "-pk")
    page_obj = Paginator(topics, services.TOPICS_PER_PAGE).get_page(request.GET.get("pagina"))
    rows = list(page_obj.object_list)
    info = services.read_info(user, rows, community.pk)
    for topic in rows:
        topic.url = f"{forum}{topic.pk}/"
        topic.read = info.get(topic.pk)
        topic.author_name = display_name(topic.author, user)
        topic.last_author_name = (
            display_name(topic.last_post_author, user) if topic.reply_count else ""
        )
        topic.tag_names = sorted(t.name for t in topic.tags.all())
        topic.excerpt = found.excerpts.get(topic.pk) if found is not None else None

    can_moderate = community_permissions.can_moderate(user, community)
    can_start = permissions.can_start_topic(user, community)
    watch_form = None
    if user.is_authenticated:
        level = (
            Watch.objects.filter(user=user, community=community)
            .values_list("level", flat=True)
            .first()
        )
        watch_form = WatchForm(initial={"level": level or WatchLevel.NORMAL}, auto_id="forum-%s")
    return TemplateResponse(
        request,
        "forums/index.html",
        {
            "page": community,
            "community": community,
            "forum_url": forum,
            "form": form,
            "page_obj": page_obj,
            "pages": _pages_of(page_obj),
            "topics": rows,
            "is_filtered": bool(tag or open_questions or query),
            "query": query,
            "can_start": can_start,
            "blocked": None if can_start else _why_not_start(request, community),
            "can_moderate": can_moderate,
            "open_flags": (
                Flag.objects.filter(
                    post__topic__community=community, resolved_at__isnull=True
                ).count()
                if can_moderate
                else 0
            ),
            "watch_form": watch_form,
        },
    )


def new_topic(community, request):
    user = request.user
    _check_forum(community, user)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum = services.forum_url(community)
    can_start = permissions.can_start_topic(user, community)
    preview = None
    if request.method == "POST":
        form = TopicForm(request.POST, request.FILES)
        valid = form.is_valid()
        preview = _preview(request, Topic(community=community))
        if valid and not _wants_preview(request):
            data = form.cleaned_data
            try:
                topic = services.start_topic(
                    user,
                    community,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    is_question=data["is_question"],
                    images=data["images"],
                )
            except (PermissionDenied, ValidationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your topic has been posted."))
                return redirect(services.topic_url(topic))
    else:
        form = TopicForm()
    return TemplateResponse(
        request,
        "forums/new_topic.html",
        {
            "page": community,
            "community": community,
            "forum_url": forum,
            "form": form,
            "preview": preview,
            "can_start": can_start,
            "blocked": None if can_start else _why_not_start(request, community),
            "mention_url": f"{forum}leden-zoeken/",
        },
    )


@_method_post_community
def watch_forum(community, request):
    user = request.user
    _check_forum(community, user)
    forum = services.forum_url(community)
    if not user.is_authenticated:
        return redirect_to_login(forum)
    form = WatchForm(request.POST)
    if form.is_valid():
        services.set_watch(user, form.cleaned_data["level"], community=community)
        messages.success(
            request,
            _("Saved. Notifications for this forum: %(level)s")
            % {"level": WatchLevel(form.cleaned_data["level"]).label},
        )
    return redirect(forum)


@_method_post_community
def mark_all_read(community, request):
    user = request.user
    _check_forum(community, user)
    forum = services.forum_url(community)
    if not user.is_authenticated:
        return redirect_to_login(forum)
    services.mark_forum_read(user, community)
    messages.success(request, _("Everything in this forum is marked as read."))
    return redirect(forum)


MENTION_RESULTS = 8


def mention_lookup(community, request):
    """@handle suggestions for the mention autocomplete: members of this community, for
    people who may write in it (a members list is for members)."""
    user = request.user
    _check_forum(community, user)
    if not user.is_authenticated or not (
        community_permissions.can_contribute(user, community)
        or community_permissions.can_moderate(user, community)
    ):
        raise Http404
    # No NUL: PostgreSQL refuses it in a query parameter.
    text = (request.GET.get("q") or "").replace("\x00", "").strip().lstrip("@").lower()[:40]
    if not text:
        return JsonResponse({"results": []})
    people = (
        get_user_model()
        .objects.filter(
            community_memberships__community=community,
            community_memberships__state=MembershipState.ACTIVE,
            handle__isnull=False,
            anonymised_at__isnull=True,
        )
        .filter(
            Q(handle__startswith=text)
            | Q(first_name__istartswith=text)
            | Q(last_name__istartswith=text)
        )
        .exclude(pk=user.pk)
    )
    people = permissions.readers(people, Topic(community=community))
    results = [
        {"handle": person.handle, "name": display_name(person, user)}
        for person in people.select_related("profile").order_by("first_name", "last_name", "pk")[
            :MENTION_RESULTS
        ]
    ]
    return JsonResponse({"results": results})


# A topic ------------------------------------------------------------------------------------


def _pages(topic: Topic, request) -> dict:
    """Posts are numbered 1, 2, 3 … so a page is a range of numbers (no count query)."""
    num_pages = max(1, services.page_of(topic.last_number))
    try:
        number = int(request.GET.get("pagina") or 1)
    except ValueError:
        number = 1
    number = min(max(number, 1), num_pages)
    return {
        "number": number,
        "num_pages": num_pages,
        "has_other_pages": num_pages > 1,
        "has_previous": number > 1,
        "has_next": number < num_pages,
        "previous_page_number": number - 1,
        "next_page_number": number + 1,
        "first": (number - 1) * services.POSTS_PER_PAGE + 1,
        "last": number * services.POSTS_PER_PAGE,
    }


def _topic_context(request, topic: Topic, *, mark_read: bool = False, reply_form=None) -> dict:
    user = request.user
    url = services.topic_url(topic)
    can_moderate = permissions.can_moderate_topic(user, topic)
    can_post = permissions.can_post(user, topic)
    pages = _pages(topic, request)

    posts = (
        Post.objects.filter(topic=topic, number__gte=pages["first"], number__lte=pages["last"])
        .select_related("author__profile")
        .prefetch_related("images")
        .annotate(reply_to_number=F("reply_to__number"))
        .order_by("number")
    )
    if can_moderate:
        open_flags = (
            Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        posts = posts.annotate(
            open_flag_count=Coalesce(Subquery(open_flags, output_field=IntegerField()), 0)
        )
    posts = list(posts)

    is_asker = user.is_authenticated and topic.author_id == user.pk
    member_url = ""
    place = _place(topic)
    if can_moderate and place["forum_url"]:
        member_url = f"{place['forum_url']}moderatie/leden/"
    for post in posts:
        post.topic = topic
        own = user.is_authenticated and post.author_id == user.pk
        post.author_name = display_name(post.author, user)
        post.show_body = permissions.can_see_post_body(user, post, moderator=can_moderate)
        post.url = number_url(topic, post.number, url)
        post.is_accepted = topic.accepted_post_id == post.pk
        post.can_edit = post.deleted_at is None and (
            can_moderate or (own and post.is_visible and can_post)
        )
        post.can_delete = own and post.deleted_at is None
        post.can_accept = (
            topic.is_question
            and post.number != 1
            and post.is_visible
            and (is_asker or can_moderate)
        )
        post.can_flag = (
            user.is_authenticated and not own and post.show_body and post.deleted_at is None
        )
        post.can_quote = can_post and post.is_visible
        post.reply_to_url = (
            number_url(topic, post.reply_to_number, url) if post.reply_to_number else ""
        )
        post.author_moderation_url = (
            f"{member_url}{post.author_id}/" if member_url and post.author_id else ""
        )

    accepted = None
    if topic.is_question and topic.accepted_post_id and pages["number"] == 1:
        accepted = next((p for p in posts if p.pk == topic.accepted_post_id), None)
        if accepted is None:
            accepted = (
                Post.objects.select_related("author__profile")
                .filter(pk=topic.accepted_post_id, topic=topic)
                .first()
            )
            if accepted is not None:
                accepted.topic = topic
                accepted.author_name = display_name(accepted.author, user)
                accepted.url = number_url(topic, accepted.number, url)
        if accepted is not None and not (
            accepted.is_visible
            and permissions.can_see_post_body(user, accepted, moderator=can_moderate)
        ):
            accepted = None

    if mark_read and posts:
        services.mark_read(user, topic, posts[-1].number)

    watch_form = None
    if user.is_authenticated:
        watch_form = WatchForm(
            initial={"level": services.level_for(user, topic)}, auto_id="topic-%s"
        )
    move_targets = []
    if can_moderate and topic.community_id is not None:
        move_targets = list(
            CommunityPage.objects.live()
            .filter(pk__in=permissions.moderated_community_ids(user))
            .exclude(pk=topic.community_id)
            .order_by("title")
        )
    if can_post and reply_form is None:
        reply_form = PostForm(auto_id="reply-%s")
    return {
        **place,
        "topic": topic,
        "topic_url": url,
        "posts": posts,
        "pages": pages,
        "accepted": accepted,
        "can_moderate": can_moderate,
        "can_post": can_post,
        "blocked": None if can_post else _why_not_post(request, topic, can_moderate),
        "reply_form": reply_form if can_post else None,
        "watch_form": watch_form,
        "move_targets": move_targets,
        "mention_url": f"{place['forum_url']}leden-zoeken/" if place["forum_url"] else "",
    }


@topic_view
def topic_detail(request, topic: Topic):
    return TemplateResponse(
        request, "forums/topic.html", _topic_context(request, topic, mark_read=True)
    )


@topic_view
def first_unread(request, topic: Topic):
    number = services.first_unread_number(request.user, topic)
    return redirect(number_url(topic, max(number, 1)))


@topic_view
def jump_to_post(request, topic: Topic, number: int):
    if not 1 <= number <= topic.last_number:
        raise Http404
    return redirect(number_url(topic, number))


def _reply_page(
    request, *, form, preview, topic=None, host_page=None, action="", blocked=None, target=None
):
    """The reply form on a page of its own: a quote, a preview, or an error."""
    place = _place(topic) if topic is not None else {
        "page": host_page, "community": None, "forum_url": "", "host_page": host_page,
    }  # fmt: skip
    back_url = services.topic_url(topic) if topic is not None else host_page.url
    return TemplateResponse(
        request,
        "forums/reply.html",
        {
            **place,
            "topic": topic,
            "topic_url": back_url,
            "back_url": back_url,
            "action": action,
            "form": form,
            "preview": preview,
            "blocked": blocked,
            "target": target,
            "mention_url": f"{place['forum_url']}leden-zoeken/" if place["forum_url"] else "",
        },
    )


def _answerable(topic: Topic, value) -> Post | None:
    """The post a reply answers, from ?op=, ?citeer= or the form: a visible one of this
    topic (a quote must never bring a hidden message's text back)."""
    value = str(value or "")
    if not value.isdecimal():  # isdigit() takes '²', which int() refuses
        return None
    target = (
        Post.objects.select_related("author__profile")
        .filter(topic=topic, pk=int(value), deleted_at__isnull=True, hidden_at__isnull=True)
        .first()
    )
    if target is None:
        return None
    target.topic = topic
    return target


@topic_view
def reply(request, topic: Topic):
    user = request.user
    url = services.topic_url(topic)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path() if request.method == "GET" else url)
    can_moderate = permissions.can_moderate_topic(user, topic)
    preview = blocked = None
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, auto_id="reply-%s")
        valid = form.is_valid()
        target = _answerable(topic, request.POST.get("reply_to"))
        preview = _preview(request, topic)
        if valid and not _wants_preview(request):
            try:
                post = services.reply(
                    user,
                    topic,
                    body=form.cleaned_data["body"],
                    reply_to=target,
                    images=form.cleaned_data["images"],
                )
            except (PermissionDenied, ValidationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your reply has been posted."))
                return redirect(services.post_url(post))
    else:
        quoted = request.GET.get("citeer")
        target = _answerable(topic, quoted or request.GET.get("op"))
        initial = {}
        if target is not None:
            initial["reply_to"] = target.pk
            if quoted:
                initial["body"] = quote(target, user, url)
        form = PostForm(initial=initial, auto_id="reply-%s")
        if not permissions.can_post(user, topic):
            blocked = _why_not_post(request, topic, can_moderate)
    if target is not None:
        target.author_name = display_name(target.author, user)
        target.url = number_url(topic, target.number, url)
    return _reply_page(
        request, form=form, preview=preview, topic=topic, action=f"{url}reageren/",
        blocked=blocked, target=target,
    )  # fmt: skip


def page_reply(request, page_id: int):
    """A reply under a page (a practice): its discussion is made on the first post."""
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    host = host_for(page) if page is not None else None
    if host is None or not page.live or not host.can_read(request.user, page):
        raise Http404
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(page.url)
    topic = services.discussion_for(page)
    if topic is not None and topic.hidden:
        raise Http404
    preview = None
    blocked = None
    if request.method == "POST":
        form = PostForm(request.POST, with_images=False, auto_id="reply-%s")
        valid = form.is_valid()
        preview = _preview(request, topic or Topic(page=page))
        if valid and not _wants_preview(request):
            try:
                post = services.reply_on_page(
                    user,
                    page,
                    body=form.cleaned_data["body"],
                    reply_to=(
                        _answerable(topic, request.POST.get("reply_to"))
                        if topic is not None
                        else None
                    ),
                )
            except (PermissionDenied, ValidationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your reply has been posted."))
                return redirect(services.post_url(post))
    else:
        form = PostForm(with_images=False, auto_id="reply-%s")
        if not permissions.can_post_on_page(user, page):
            blocked = Blocked("other")
    return _reply_page(
        request, form=form, preview=preview, topic=None, host_page=page,
        action=request.path, blocked=blocked,
    )  # fmt: skip


@topic_view
@require_POST
def watch_topic(request, topic: Topic):
    user = request.user
    url = services.topic_url(topic)
    if not user.is_authenticated:
        return redirect_to_login(url)
    form = WatchForm(request.POST)
    if form.is_valid():
        services.set_watch(user, form.cleaned_data["level"], topic=topic)
        messages.success(
            request,
            _("Saved. Notifications for this topic: %(level)s")
            % {"level": WatchLevel(form.cleaned_data["level"]).label},
        )
    return redirect(url)


# A post ---------------------------------------------------------------------------------------


@topic_view
def edit_post(request, topic: Topic, post_id: int):
    user = request.user
    post = _post_or_404(topic, post_id)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    url = services.topic_url(topic)
    back = number_url(topic, post.number, url)
    if post.deleted_at is not None or not permissions.can_edit_post(user, post):
        messages.error(request, _("You cannot edit this message."))
        return redirect(back)
    with_title = post.number == 1 and topic.community_id is not None
    preview = None
    if request.method == "POST":
        form = EditForm(request.POST, with_title=with_title)
        valid = form.is_valid()
        preview = _preview(request, topic)
        if valid and not _wants_preview(request):
            data = form.cleaned_data
            try:
                services.edit_post(
                    user,
                    post,
                    body=data["body"],
                    title=data["title"] if with_title else None,
                    tags=data["tags"] if with_title else None,
                )
            except (PermissionDenied, ValidationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(back)
    else:
        initial = {"body": post.body}
        if with_title:
            initial.update(title=topic.title, tags=", ".join(sorted(topic.tags.names())))
        form = EditForm(initial=initial, with_title=with_title)
    return TemplateResponse(
        request,
        "forums/edit_post.html",
        {
            **_place(topic),
            "topic": topic,
            "topic_url": url,
            "post": post,
            "back_url": back,
            "form": form,
            "preview": preview,
            "is_moderator_edit": post.author_id != user.pk,
            "mention_url": (
                f"{services.forum_url(topic.community)}leden-zoeken/"
                if topic.community_id is not None
                else ""
            ),
        },
    )


@topic_view
def delete_post(request, topic: Topic, post_id: int):
    user = request.user
    post = _post_or_404(topic, post_id)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    url = services.topic_url(topic)
    back = number_url(topic, post.number, url)
    if not permissions.can_delete_post(user, post):
        messages.error(request, _("You cannot delete this message."))
        return redirect(back)
    if request.method == "POST":
        try:
            services.delete_post(user, post)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, _("Your message has been deleted."))
        if topic.hidden and topic.community_id is not None:
            return redirect(services.forum_url(topic.community))
        return redirect(back)
    return TemplateResponse(
        request,
        "forums/delete_post.html",
        {**_place(topic), "topic": topic, "topic_url": url, "post": post, "back_url": back},
    )


@topic_view
def post_history(request, topic: Topic, post_id: int):
    if not permissions.can_moderate_topic(request.user, topic):
        raise Http404
    post = _post_or_404(topic, post_id)
    url = services.topic_url(topic)
    revisions = list(post.revisions.select_related("edited_by__profile"))
    for revision in revisions:
        revision.editor_name = display_name(revision.edited_by, request.user)
    return TemplateResponse(
        request,
        "forums/post_history.html",
        {
            **_place(topic),
            "topic": topic,
            "topic_url": url,
            "post": post,
            "author_name": display_name(post.author, request.user),
            "revisions": revisions,
            "back_url": number_url(topic, post.number, url),
        },
    )


@topic_view
@require_POST
def accept_answer(request, topic: Topic, post_id: int):
    user = request.user
    post = _post_or_404(topic, post_id)
    back = number_url(topic, post.number)
    if not user.is_authenticated:
        return redirect_to_login(back)
    try:
        if topic.accepted_post_id == post.pk:
            services.unaccept_answer(user, topic)
            messages.success(request, _("This reply is no longer marked as the answer."))
        else:
            services.accept_answer(user, post)
            messages.success(request, _("This reply is marked as the answer."))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(back)


@topic_view
def flag_post(request, topic: Topic, post_id: int):
    user = request.user
    post = _post_or_404(topic, post_id)
    if not permissions.can_see_post_body(user, post):
        raise Http404
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    url = services.topic_url(topic)
    back = number_url(topic, post.number, url)
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag(
                    user, post, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
                )
            except (PermissionDenied, ValidationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Thanks, the moderators will look at it."))
                return redirect(back)
    else:
        form = FlagForm()
    return TemplateResponse(
        request,
        "forums/flag_post.html",
        {
            **_place(topic),
            "topic": topic,
            "topic_url": url,
            "post": post,
            "author_name": display_name(post.author, user),
            "own": post.author_id == user.pk,
            "form": form,
            "back_url": back,
        },
    )


SERVED_IMAGE_TYPES = frozenset(IMAGE_TYPES.values())


@topic_view
def post_image(request, topic: Topic, post_id: int, image_id: int):
    image = (
        PostImage.objects.select_related("post")
        .filter(pk=image_id, post_id=post_id, post__topic=topic)
        .first()
    )
    if image is None:
        raise Http404
    image.post.topic = topic
    if not permissions.can_see_post_body(request.user, image.post):
        raise Http404
    try:
        handle = image.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    inline = image.content_type in SERVED_IMAGE_TYPES
    response = FileResponse(
        handle,
        content_type=image.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=3600)
    patch_vary_headers(response, ["Cookie"])
    return response
