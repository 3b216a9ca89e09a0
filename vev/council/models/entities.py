"""Who can be represented at an event: member states, sector members, organisations."""

from __future__ import annotations

import gettext as pygettext

import pycountry
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vev.accounts.models import validate_time_zone
from vev.core.models import TimeStampedModel


class Entity(TimeStampedModel):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        ORGANIZATION = "organization", _("Organization")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Region(models.TextChoices):
        A = "A", _("Region A (Americas)")
        B = "B", _("Region B (Western Europe)")
        C = "C", _("Region C (Eastern Europe and Northern Asia)")
        D = "D", _("Region D (Africa)")
        E = "E", _("Region E (Asia and Australasia)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    iso_code = models.CharField(
        _("ISO 3166-1 alpha-2 code"), max_length=2, blank=True, null=True, unique=True
    )
    itu_region = models.CharField(_("ITU region"), max_length=1, choices=Region.choices, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (ISO country names come with their translations)."""
        language = (translation.get_language() or "en").replace("-", "_")
        if self.iso_code and not language.startswith("en"):
            country = pycountry.countries.get(alpha_2=self.iso_code)
            if country is not None:
                code = "zh_CN" if language.startswith("zh") else language[:2]
                try:
                    catalogue = pygettext.translation(
                        "iso3166-1", pycountry.LOCALES_DIR, languages=[code]
                    )
                    return catalogue.gettext(country.name)
                except OSError:
                    pass
        return self.name
