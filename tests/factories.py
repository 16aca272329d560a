"""Test data from factories (factory_boy, wagtail-factories): pages, people, images.

Every page has an English and an Arabic title and slug. ``parent=`` puts a page in
the tree; it is saved with a revision and published, or, with ``publish=False``,
left a draft that was never published. The factory returns the page as the
database now holds it::

    home = HomePageFactory.as_site_root()
    news = NewsIndexFactory(parent=home)
    story = NewsStoryFactory(parent=news, title_en="Envoys meet", date=date(2010, 5, 4))

``unindexed()`` makes many pages at a time cheaper, for tests that read none of
Wagtail's indexes.
"""

import datetime
from contextlib import contextmanager
from unittest import mock

from django.utils.text import slugify

from wagtail.models import Collection, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from apps.charter.models import CharterIndexPage, CharterProvisionPage
from apps.core.models import CustomImage
from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportIndexPage, ReportPage
from apps.topics.models import TopicPage


def add_page(parent, page, publish=True):
    """Put ``page`` under ``parent`` with a revision: published, or a draft never
    published. Returns the page as the database now holds it."""
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return type(page).objects.get(pk=page.pk)


@contextmanager
def unindexed():
    """Pages and snippets saved meanwhile are left out of Wagtail's search index (the
    admin's search; the public search has its own documents, written on publishing) and
    its reference index (what cites a Charter provision or a topic). Each save then costs
    about half of what it would: for set-ups of many pages whose tests count the
    queries of a route, a story or the sitemap, which read neither."""
    with (
        disable_reference_index_auto_update(),
        mock.patch("modelsearch.signal_handlers.insert_or_update_object_task"),
    ):
        yield


def from_titles(english, arabic):
    """A field's English and Arabic values, made from the page's title in each language."""
    return (
        factory.LazyAttribute(lambda page: english.format(page.title_en)),
        factory.LazyAttribute(lambda page: arabic.format(page.title_ar)),
    )


class PageFactory(wagtail_factories.PageFactory):
    """A bilingual page under ``parent``, saved with a revision and published."""

    title_en = factory.Sequence(lambda n: f"Page {n}")
    title_ar = factory.Sequence(lambda n: f"الصفحة {n}")
    slug_en = factory.LazyAttribute(lambda page: slugify(page.title_en))
    slug_ar = factory.LazyAttribute(lambda page: f"{page.slug_en}-ar")
    live = factory.SelfAttribute("publish")

    class Meta:
        abstract = True
        # Wagtail's untranslated title and slug follow the English ones on save.
        exclude = ("title", "slug")

    class Params:
        publish = True

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        return add_page(parent, model_class(**kwargs), publish=kwargs["live"])


class HomePageFactory(PageFactory):
    title_en = "Peace mediation"
    title_ar = "الوساطة من أجل السلام"
    slug_en = "home"
    slug_ar = "home"
    intro_en = "News, reports and Charter provisions on mediation."
    intro_ar = "أخبار وتقارير وأحكام من الميثاق بشأن الوساطة."
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = HomePage

    @classmethod
    def as_site_root(cls, **fields):
        """A home page as the root of the default site, in place of Wagtail's welcome page."""
        home = cls(**fields)
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        site.root_page = home
        site.save()
        if welcome.pk != home.pk and welcome.specific_class is Page:
            welcome.delete()
        return home


class NewsIndexFactory(PageFactory):
    title_en = "News"
    title_ar = "أخبار"
    slug_ar = "akhbar"
    show_in_menus = True

    class Meta:
        model = NewsIndexPage


class ReportIndexFactory(PageFactory):
    title_en = "Reports"
    title_ar = "تقارير"
    slug_ar = "taqarir"
    show_in_menus = True

    class Meta:
        model = ReportIndexPage


class CharterIndexFactory(PageFactory):
    title_en = "Charter"
    title_ar = "الميثاق"
    slug_ar = "mithaq"
    show_in_menus = True

    class Meta:
        model = CharterIndexPage


class NewsStoryFactory(PageFactory):
    date = datetime.date(2011, 11, 9)
    lead_en, lead_ar = from_titles("<p>{}: the lead.</p>", "<p>{}: المقدمة.</p>")

    class Meta:
        model = NewsStoryPage


class ReportFactory(PageFactory):
    date = datetime.date(2011, 8, 26)
    symbol = factory.Sequence(lambda n: f"S/2011/{n + 1}")
    summary_en, summary_ar = from_titles("{}: the summary.", "{}: الموجز.")

    class Meta:
        model = ReportPage


class ProvisionFactory(PageFactory):
    article = factory.Sequence(lambda n: n + 1)
    title_en = factory.LazyAttribute(lambda page: f"Article {page.article}")
    title_ar = factory.LazyAttribute(lambda page: f"المادة {page.article}")
    slug_en = factory.LazyAttribute(lambda page: f"article-{page.article}")
    slug_ar = factory.LazyAttribute(lambda page: f"المادة-{page.article}")
    text_en = factory.LazyAttribute(lambda page: f"The text of Article {page.article}.")
    text_ar = factory.LazyAttribute(lambda page: f"نص المادة {page.article}.")

    class Meta:
        model = CharterProvisionPage


class TopicFactory(PageFactory):
    intro_en, intro_ar = from_titles("{}: the introduction.", "{}: المقدمة.")

    class Meta:
        model = TopicPage


class PersonFactory(DjangoModelFactory):
    name_en = factory.Sequence(lambda n: f"Envoy {n}")
    name_ar = factory.Sequence(lambda n: f"المبعوث {n}")

    class Meta:
        model = Person


class ImageFactory(wagtail_factories.ImageFactory):
    """A small PNG in the root collection, with translated title and credit."""

    title_en = factory.Sequence(lambda n: f"Photo {n}")
    title_ar = factory.Sequence(lambda n: f"الصورة {n}")
    credit_en = "UN Photo"
    credit_ar = "صورة الأمم المتحدة"
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(width=64, height=48, color="blue", format="PNG")

    class Meta:
        model = CustomImage
        exclude = ("title",)


def attach_photo(topic, **fields):
    """A photograph attached to the first image block of ``topic`` in both languages (the
    fixtures keep only the seed's credit lines, with no photograph), published."""
    photo = ImageFactory(**fields)
    for language in ("en", "ar"):
        body = list(getattr(topic, f"body_{language}").raw_data)
        first = next(block for block in body if block["type"] == "image")
        first["value"]["image"] = photo.pk
        setattr(topic, f"body_{language}", body)
    topic.save_revision().publish()
    return photo
