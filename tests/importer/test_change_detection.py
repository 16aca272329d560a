"""The loader tells a changed record from an unchanged one by what the record sets and
what is stored: StreamField blocks, inline children and many-to-many relations."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from apps.news.models import NewsStoryPage

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "content"


def load(path):
    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        (
            "I am pleased",
            "I am very pleased",
            lambda story: story.body_en[1].value["text"] == "I am very pleased",
        ),
        (
            "title: {en: General Assembly urges States, ar: الجمعية العامة تحث}",
            "title: {en: The Assembly urges States, ar: الجمعية العامة تحث}",
            lambda story: story.related_stories.get().title_en == "The Assembly urges States",
        ),
        (
            "topics: [topics/good-offices]",
            "topics: []",
            lambda story: not story.topics.exists(),
        ),
    ],
    ids=["stream-block", "inline-child", "many-to-many"],
)
def test_a_change_is_saved_once_and_then_unchanged(tmp_path, old, new, check):
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    load(content)
    story_file = content / "news" / "story.yaml"
    assert old in story_file.read_text()
    story_file.write_text(story_file.read_text().replace(old, new))
    revisions = Revision.objects.count()
    assert "0 created, 1 updated, 9 unchanged" in load(content)
    assert Revision.objects.count() == revisions + 1
    assert check(NewsStoryPage.objects.get(content_key="news/story"))
    assert "0 created, 0 updated, 10 unchanged" in load(content)
