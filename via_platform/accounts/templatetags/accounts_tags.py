from django import template

from via_platform.accounts.middleware import CONTINUE_SESSION_KEY
from via_platform.accounts.services import has_mfa

register = template.Library()


@register.simple_tag(takes_context=True)
def mfa_continue_url(context) -> str:
    """Where the person was going when they were sent to set up 2FA, once it is set up."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    target = request.session.get(CONTINUE_SESSION_KEY, "")
    return target if target and has_mfa(request.user) else ""
