from django.core.management.base import BaseCommand, CommandError

from apps.importer.archive import ArchiveGenerator
from apps.importer.progress import Progress


def count(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Write a generated archive into DIR: news stories and topic pages with report "
        "summaries, English and Arabic, in the seeds' shapes and built from the fixtures' "
        "vocabulary, for import_documents. Test data, marked as generated in file names, "
        "titles and source lines; the same --seed writes the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--stories", type=count, required=True, metavar="N")
        parser.add_argument(
            "--reports", type=count, default=0, metavar="M", help="report summaries (default 0)"
        )
        parser.add_argument("--seed", type=int, default=0, metavar="S", help="default 0")

    def handle(self, *args, directory, stories, reports, seed, **options):
        generator = ArchiveGenerator(directory, seed=seed)
        files = 0
        try:
            with Progress(generator.file_count(stories, reports), "Writing", self.stderr) as bar:
                for _path in generator.generate(stories, reports):
                    files += 1
                    bar.advance()
        except OSError as exc:
            raise CommandError(f"{directory}: cannot write: {exc.strerror}") from exc
        self.stdout.write(
            f"{files} generated document(s) in {directory}: {stories} stories, "
            f"{reports} report summaries (seed {seed})"
        )
