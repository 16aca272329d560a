"""What the page types declare: the page tree they allow, what every page and every
index share, what each offers its card, and the filters of the listings. No database."""

import datetime

from django.test import RequestFactory

from wagtail.models import Page

import pytest
from site_tree import PAGE_TYPES

from apps.charter.models import CharterIndexPage, CharterProvisionPage
from apps.core.listing import ListingFilter, year_filter
from apps.core.pages import BasePage, IndexPageMixin
from apps.core.templatetags.site_tags import card
from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportIndexPage, ReportPage
from apps.topics.models import TopicPage

INDEXES = [HomePage, NewsIndexPage, ReportIndexPage, CharterIndexPage]
TREE = {
    HomePage: {NewsIndexPage, ReportIndexPage, CharterIndexPage, TopicPage},
    NewsIndexPage: {NewsStoryPage},
    ReportIndexPage: {ReportPage},
    CharterIndexPage: {CharterProvisionPage},
    NewsStoryPage: set(),
    ReportPage: set(),
    CharterProvisionPage: set(),
    TopicPage: set(),
}


def test_every_page_type_is_a_base_page_and_declares_its_place_in_the_tree():
    assert set(PAGE_TYPES) == set(TREE)
    for model in PAGE_TYPES:
        assert issubclass(model, BasePage), model
        assert "parent_page_types" in vars(model), model
        assert "subpage_types" in vars(model), model


@pytest.mark.parametrize("model", TREE, ids=lambda model: model.__name__)
def test_the_tree_each_page_type_allows(model):
    assert set(model.allowed_subpage_models()) == TREE[model]
    parents = {parent for parent, children in TREE.items() if model in children}
    assert set(model.allowed_parent_page_models()) == (parents or {Page})


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_every_page_shows_its_provenance_in_settings_and_the_api(model):
    api = {field.name for field in model.api_fields}
    assert {"content_key", "source_language", "source_document", "imported_at"} <= api
    assert {"title_en", "title_ar", "slug_en", "slug_ar"} <= api
    headings = [str(getattr(panel, "heading", "")) for panel in model.settings_panels]
    assert "Provenance" in headings


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_wagtails_index_of_a_page_holds_its_titles_not_its_text(model):
    """The admin's search matches titles; the text is searched through the site's own
    per-language documents, so indexing it again in Wagtail's index is only a cost."""
    searched = {
        field.field_name
        for field in model.get_search_fields()
        if type(field).__name__ in ("SearchField", "AutocompleteField")
    }
    assert {"title", "title_en", "title_ar"} <= searched
    assert searched <= {"title", "title_en", "title_ar", "symbol"}


@pytest.mark.parametrize("model", INDEXES, ids=lambda model: model.__name__)
def test_indexes_share_an_introduction_and_are_one_of_a_kind(model):
    assert issubclass(model, IndexPageMixin)
    assert model.max_count == 1
    assert {"intro_en", "intro_ar"} <= {field.name for field in model.api_fields}
    assert {field.name for field in model._meta.local_fields} >= {"intro_en", "intro_ar"}


def test_a_card_shows_what_the_page_type_offers():
    date = datetime.date(2015, 9, 1)
    report = ReportPage(title_en="Report", symbol="S/2015/730", date=date, summary_en="Text")
    story = NewsStoryPage(title_en="Story", date=date, lead_en="<p>Lead</p>", source_en="UN")
    provision = CharterProvisionPage(title_en="Article 99", chapter_en="Chapter XV", text_en="T")
    topic = TopicPage(title_en="Good offices", intro_en="Intro")

    assert card({}, report)["meta"] == [("label", "S/2015/730"), ("date", date)]
    assert card({}, story)["meta"] == [("date", date)]
    assert card({}, story, note="source")["meta"] == [("date", date), ("text", "UN")]
    assert card({}, provision, note="chapter")["meta"] == [("text", "Chapter XV")]
    assert card({}, topic)["meta"] == []
    summaries = [card({}, page)["summary"].value for page in (report, story, provision, topic)]
    assert summaries == ["Text", "<p>Lead</p>", "T", "Intro"]
    assert card({}, report, summary=False)["summary"] is None


def test_a_listing_filter_takes_only_one_of_its_options():
    get = RequestFactory().get
    years = ListingFilter(
        "year", "Year", "All years", [(2011, "2011"), (2010, "2010")], "date__year"
    )
    assert years.chosen(get("/", {"year": "2011"})) == 2011
    for ignored in ("2012", "²", "-1", "", "99999999999"):
        assert years.chosen(get("/", {"year": ignored})) is None, ignored
    organs = ListingFilter(
        "mandate", "Mandated by", "Any organ", [("GA", "GA")], "x", numeric=False
    )
    assert organs.chosen(get("/", {"mandate": "GA"})) == "GA"
    assert organs.chosen(get("/", {"mandate": "SC"})) is None


def test_the_year_filter_offers_the_years_of_the_listed_pages():
    class Pages:
        def dates(self, field, kind, order):
            assert (field, kind, order) == ("date", "year", "DESC")
            return [datetime.date(2011, 1, 1), datetime.date(2009, 1, 1)]

    listing_filter = year_filter(Pages())
    assert listing_filter.options == [(2011, "2011"), (2009, "2009")]
    assert listing_filter.lookup == "date__year"
