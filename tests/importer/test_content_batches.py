"""load_content a batch at a time: every record after what it names, or beside it."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Page

import pytest

from apps.core.models import CustomImage
from apps.importer.content import (
    ContentFolder,
    ContentRecord,
    placing_order,
    read_content,
    write_content,
)
from apps.news.models import NewsStoryPage
from apps.people.models import Person

SMALL = Path(__file__).parent / "content"


def keys_by_batch(folder, size):
    return [[record.key for record in batch] for batch in folder.batches(size)]


def test_one_batch_is_the_loaders_own_order():
    (batch,) = keys_by_batch(ContentFolder(SMALL), 1000)
    records = read_content(SMALL)
    assert batch == [r.key for r in placing_order(records, stored=lambda key: False)]


def test_a_record_waits_for_what_it_names():
    batches = keys_by_batch(ContentFolder(SMALL), 1)
    order = [key for batch in batches for key in batch]
    assert all(len(batch) == 1 for batch in batches)
    assert sorted(order) == sorted(r.key for r in read_content(SMALL))

    def before(first, then):
        return order.index(first) < order.index(then)

    # The story names its parent, a person, an image, a Charter article (in a link and
    # a list), a topic page that comes after it in the folder; the topic a report.
    for named in ("news", "people/ban-ki-moon", "images/photo", "charter/article-99"):
        assert before(named, "news/story"), named
    assert before("topics/good-offices", "news/story")
    assert before("reports/r1", "topics/good-offices")
    # The sections keep the loader's order: none of them names another.
    sections = [key for key in order if key in ("news", "reports", "charter")]
    (one_batch,) = keys_by_batch(ContentFolder(SMALL), 1000)
    assert sections == [key for key in one_batch if key in sections]


def write_story(folder, key, links_to):
    (folder / f"{key}.yaml").write_text(
        f"key: {key}\ntype: news.NewsStoryPage\nparent: news\n"
        f"title: {{en: {key}}}\nslug: {{en: {key.replace('/', '-')}}}\ndate: 2012-01-01\n"
        f"body:\n  en:\n    - paragraph: 'See [the other](page:{links_to}).'\n",
        encoding="utf-8",
    )


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(SMALL, target)
    return target


def test_records_naming_each_other_share_a_batch(content):
    write_story(content, "news/a", links_to="news/b")
    write_story(content, "news/b", links_to="news/a")
    batches = keys_by_batch(ContentFolder(content), 1)
    (together,) = [batch for batch in batches if "news/a" in batch]
    assert together == ["news/a", "news/b"]


@pytest.mark.django_db
def test_a_cycle_across_the_folder_loads_in_small_batches(content):
    write_story(content, "news/a", links_to="news/b")
    write_story(content, "news/b", links_to="news/a")
    out = StringIO()
    call_command("load_content", str(content), "--batch-size", "1", stdout=out)
    assert "12 created" in out.getvalue()
    a, b = (NewsStoryPage.objects.get(content_key=key) for key in ("news/a", "news/b"))
    assert f'<a linktype="page" id="{b.pk}">the other</a>' in a.body_en[0].value.source
    assert f'<a linktype="page" id="{a.pk}">the other</a>' in b.body_en[0].value.source


def export(path):
    call_command("export_content", str(path), stdout=StringIO())
    return {(r.key, r.type, r.parent): r.fields for r in read_content(path)}


@pytest.mark.django_db
def test_batches_of_one_build_the_site_one_batch_builds(tmp_path):
    call_command("load_content", str(SMALL), stdout=StringIO())
    whole = export(tmp_path / "whole")

    Page.objects.filter(depth__gt=1).delete()
    Person.objects.all().delete()
    CustomImage.objects.all().delete()
    call_command("load_content", str(SMALL), "--batch-size", "1", stdout=StringIO())
    batched = export(tmp_path / "batched")

    for fields in (*whole.values(), *batched.values()):
        fields.pop("file", None)  # an image's stored file name
    assert batched == whole
    assert len(batched) == 10


def test_a_long_chain_of_records_is_ordered_without_recursion(tmp_path):
    """Each topic page links to the next: Tarjan's walk is as deep as the chain."""
    (tmp_path / "home.yaml").write_text(
        "key: home\ntype: home.HomePage\ntitle: {en: Home}\nslug: {en: home}\n"
    )
    length = 3000
    for n in range(length):
        (tmp_path / f"t{n:05}.yaml").write_text(
            f"key: t/{n}\ntype: topics.TopicPage\nparent: home\n"
            f"intro: {{en: '[next](page:t/{n + 1})'}}\n"
        )
    batches = keys_by_batch(ContentFolder(tmp_path), 100)
    assert [len(batch) for batch in batches] == [100] * 30 + [1]
    batch_of = {key: number for number, batch in enumerate(batches) for key in batch}
    assert all(batch_of[f"t/{n + 1}"] <= batch_of[f"t/{n}"] for n in range(length - 1))
    assert batch_of["home"] == 0


def test_a_key_others_live_under_is_written_as_its_folders_index(tmp_path):
    records = [
        ContentRecord(key, "people.Person") for key in ("news", "news/story", "home", "a/b/c")
    ]
    written = write_content(records, tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "news/index.yaml",
        "news/story.yaml",
        "home.yaml",
        "a/b/c.yaml",
    ]
