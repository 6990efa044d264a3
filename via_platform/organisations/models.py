"""The directory of organisations people work for: gemeenten, employers, schools,
Werkagenda partners and social organisations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Municipality")
    WERKGEVER = "werkgever", _("Employer")
    ONDERWIJS = "onderwijs", _("Educational institution")
    PARTNER = "partner", _("Werkagenda VIA partner")
    MAATSCHAPPELIJK = "maatschappelijk", _("Social organisation")


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    approved = models.BooleanField(
        _("approved"),
        default=False,
        help_text=_("Proposed organisations appear in the directory once an editor approves them."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_organisations",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), name="organisation_name_unique_ci"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name)[:190] or "organisatie"
            slug, n = base, 2
            while Organisation.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)
