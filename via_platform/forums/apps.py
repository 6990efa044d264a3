from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "via_platform.forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from via_platform.accounts import privacy
        from via_platform.communities.sections import Section, register_section
        from via_platform.forums import services, views
        from via_platform.notifications.registry import Category, Kind, register_kind

        register_section(
            Section(
                key="forum",
                label=_("Forum"),
                path="forum/",
                order=10,
                recent=views.recent_topics,
                urls=lambda: (
                    __import__(
                        "via_platform.forums.urls", fromlist=["community_patterns"]
                    ).community_patterns
                ),
            )
        )
        _register_kinds(services, Category, Kind, register_kind)
        privacy.register_exporter("forum_posts", services.export_posts)
        privacy.register_anonymiser("forum_reading", services.forget_reading)
        __import__("via_platform.forums.search", fromlist=["register"]).register()


def _register_kinds(services, Category, Kind, register_kind) -> None:
    from via_platform.forums import permissions

    def about_post(user, post) -> bool:
        return permissions.can_read_post(user, post)

    def post_readers(users, post):
        return permissions.readers(users, post.topic)

    for key, category, label, reason in [
        (
            services.NEW_TOPIC,
            Category.COMMUNITY_NEWS,
            _("New topic in my communities"),
            _("you are a member of this community"),
        ),
        (
            services.NEW_POST,
            Category.REPLIES,
            _("New message in a topic I watch"),
            _("you watch this topic or its forum"),
        ),
        (services.REPLY, Category.REPLIES, _("A reply to my message"), _("someone replied to you")),
        (services.MENTION, Category.MENTIONS, _("Mention"), _("someone mentioned you")),
        (
            services.ACCEPTED,
            Category.REPLIES,
            _("My answer was accepted"),
            _("you answered a question"),
        ),
    ]:
        register_kind(
            Kind(
                key=key,
                category=category,
                label=label,
                reason=reason,
                can_view=about_post,
                visible_recipients=post_readers,
            )
        )
    register_kind(
        Kind(
            key=services.MODERATED,
            category=Category.MEMBERSHIP,
            label=_("Moderation of my messages"),
            reason=_("you take part in this forum"),
        )
    )
