from wagtail import hooks

from via_platform.communities.models import CommunityPage
from via_platform.communities.services import sync_editor_group


@hooks.register("after_create_page")
def give_new_community_its_editor_group(request, page):
    """Every community gets its Wagtail group (page permissions on its subtree) at once."""
    if isinstance(page.specific, CommunityPage):
        sync_editor_group(page.specific)
