"""Editors manage the directory of organisations in Wagtail, proposals first."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from via_platform.organisations import services
from via_platform.organisations.models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "kind", "city", "approved"]
    list_filter = ["kind", "approved"]
    # Unapproved proposals first, so editors see what waits for them.
    ordering = ["approved", "name"]
    list_per_page = 50
    # The model is not in Wagtail's search index; search the database.
    search_fields = ["name", "city"]
    search_backend_name = None
    copy_view_enabled = False

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("website")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("approved"),
                FieldPanel("proposed_by", read_only=True),
                FieldPanel("created_at", read_only=True),
            ],
            heading=_("Review"),
        ),
    ]


register_snippet(OrganisationViewSet)


@hooks.register("after_edit_snippet")
def tell_proposer_when_approved(request, instance):
    """An editor ticking "approved" in Wagtail is the same approval as services.approve()."""
    if isinstance(instance, Organisation):
        services.tell_proposer_about_approval(instance)
