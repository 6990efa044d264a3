"""A test-only domain that registers notification kinds, in the test process and in the
Celery worker processes the tests start (both load tests.settings)."""

from django.apps import AppConfig

PRIVATE_GROUP = "Besloten groep"


def in_private_group(user, target) -> bool:
    return user.groups.filter(name=PRIVATE_GROUP).exists()


def members_of_private_group(users, target):
    return users.filter(groups__name=PRIVATE_GROUP)


class NotifyingConfig(AppConfig):
    name = "tests.notifying"
    label = "notifying"

    def ready(self) -> None:
        from via_platform.notifications.registry import Category, Kind, register_kind

        register_kind(
            Kind(
                key="test.reply",
                category=Category.REPLIES,
                label="Nieuwe reactie",
                reason="je meedoet aan “{title}”",
            )
        )
        register_kind(
            Kind(
                key="test.private_news",
                category=Category.COMMUNITY_NEWS,
                label="Nieuw in de besloten groep",
                reason="je lid bent van de besloten groep",
                can_view=in_private_group,
                visible_recipients=members_of_private_group,
            )
        )
