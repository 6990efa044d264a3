"""Generic Wagtail content shared by every domain: home, content pages, section indexes,
and the menu and footer that editors maintain."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = (
            self.get_children().live().public().in_menu().specific().defer_streamfields()
        )
        return context


class ContentPage(Page):
    """A general page: about the programme, a handreiking, privacy statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")


class SectionIndexPage(Page):
    """The landing page of a section (networks, library, agenda, learning).

    Domains that bring their own index page type replace these in their own issues;
    until then it lists its live, public children.
    """

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("section index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().public().specific().defer_streamfields()
        return context


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseGenericSetting):
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])

    panels = [
        InlinePanel("main_menu_items", label=_("Main menu")),
        MultiFieldPanel(
            [FieldPanel("footer_text"), InlinePanel("footer_links", label=_("Footer links"))],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("menu and footer")


class LinkFields(models.Model):
    label = models.CharField(_("label"), max_length=60)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.CharField(
        _("or address"), max_length=255, blank=True, help_text=_("For example /meldingen/")
    )

    panels = [FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url")]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(_("Choose either a page or an address."))

    @property
    def href(self) -> str:
        if self.link_page_id:
            return self.link_page.url or "#"
        return self.link_url


class MainMenuItem(Orderable, LinkFields):
    setting = ParentalKey(NavigationSettings, related_name="main_menu_items")


class FooterLink(Orderable, LinkFields):
    setting = ParentalKey(NavigationSettings, related_name="footer_links")
