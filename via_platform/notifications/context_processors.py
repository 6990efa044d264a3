from django.utils.functional import SimpleLazyObject

from via_platform.notifications.services import unread_count


def notifications(request):
    """The unread count for the header: one indexed COUNT, only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
