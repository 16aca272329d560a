from wagtail.models import Page, Site

import pytest

from apps.home.models import HomePage


@pytest.fixture
def home_page(db):
    """A bilingual home page as the root of the default site (replacing Wagtail's welcome page)."""
    root = Page.get_first_root_node()
    home = HomePage(
        title_en="Peace mediation",
        title_ar="الوساطة من أجل السلام",
        slug_en="home",
        slug_ar="home",
        intro_en="News, reports and Charter provisions on mediation.",
        intro_ar="أخبار وتقارير وأحكام من الميثاق بشأن الوساطة.",
    )
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.root_page = home
    site.save()
    if welcome.pk != home.pk and welcome.specific_class is Page:
        welcome.delete()
    return HomePage.objects.get(pk=home.pk)
