"""Dates and numbers on Arabic pages, in the style of United Nations Arabic documents:
«9 تشرين الثاني/نوفمبر 2011», no Latin comma between month and year.

UN Arabic names each month twice, the Levantine name and the one taken from the Latin
calendar, joined by a slash: كانون الثاني/يناير … حزيران/يونيه، تموز/يوليه … The ``F`` of
these formats is Django's month name, which Django reads through gettext; the project's
catalogue (``locale/ar``), which wins over Django's own, gives the paired names, so every
date the site writes in Arabic (pages, feeds, the admin) has them. They are listed here
for ``makemessages``.
"""

from django.utils.translation import gettext_noop

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
