"""The pure parts of ``make bench`` (benchmarks/bench.py): reading wrk's report,
combining rounds, the import figures, the table, the targets and the block of
``docs/benchmarks.md``. No database, no processes, no clock: tested in
tests/test_benchmark_report.py.
"""

import json
import statistics
from dataclasses import dataclass, field

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
REPORT_PREFIX = "BENCH "
COLUMNS = 11  # of the serving table


class ReportError(Exception):
    pass


def parse_wrk(stdout):
    """The figures ``benchmarks/bench.lua`` prints on its ``BENCH {json}`` line, and the
    other lines (wrk's own summary)."""
    report, other = None, []
    for line in stdout.splitlines():
        if line.startswith(REPORT_PREFIX):
            try:
                report = json.loads(line.removeprefix(REPORT_PREFIX))
            except ValueError as exc:
                raise ReportError(f"wrk's {REPORT_PREFIX.strip()} line is not JSON: {exc}") from exc
        else:
            other.append(line)
    if report is None:
        raise ReportError(
            f"wrk printed no {REPORT_PREFIX.strip()} line: is benchmarks/bench.lua intact?"
        )
    missing = {"requests", "duration_us", "errors", "latency_us", "statuses"} - set(report)
    if missing:
        raise ReportError(f"wrk's report lacks {', '.join(sorted(missing))}")
    return report, other


@dataclass
class Target:
    """What one wrk run measures: ``paths`` (rotated) on the ``cached`` or the uncached
    server, or a static file (``cached`` None: it never reaches the page cache)."""

    name: str
    paths: list
    cached: bool | None = None
    kind: str = "page"  # page, search, feed, sitemap, static

    @property
    def mode(self):
        return {True: "cached", False: "uncached", None: "—"}[self.cached]

    @property
    def label(self):
        return self.name if len(self.paths) == 1 else f"{self.name} ({len(self.paths)} URLs)"


@dataclass
class Measurement:
    target: Target
    runs: list = field(default_factory=list)  # wrk reports, one per round
    queries: int | None = None
    peak_rss_mb: float | None = None
    cpu_seconds: float = 0.0
    failure: str | None = None  # why it was not measured

    @property
    def requests(self):
        return sum(run["requests"] for run in self.runs)

    @property
    def seconds(self):
        return sum(run["duration_us"] for run in self.runs) / 1e6

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def latency_ms(self, percentile):
        """The median over the rounds of one percentile of wrk's latency, in ms (the
        rounds are alternated with the other targets, so one busy moment of the
        machine moves one round only)."""
        values = [run["latency_us"][percentile] for run in self.runs]
        return statistics.median(values) / 1000 if values else None

    @property
    def bad(self):
        """Socket errors and answers other than 2xx, over every round."""
        count = 0
        for run in self.runs:
            errors = run["errors"]
            count += sum(errors.get(key, 0) for key in ("connect", "read", "write", "timeout"))
            count += run["requests"] - run["statuses"].get("2xx", 0)
        return count

    @property
    def cpu_ms_per_request(self):
        return self.cpu_seconds * 1000 / self.requests if self.requests else None


def static_rate(measurements):
    for m in measurements:
        if m.target.kind == "static" and m.runs:
            return m.rate
    return None


def _figure(value, digits=0, unit=""):
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def table(measurements):
    """The Markdown table of the serving figures."""
    static = static_rate(measurements)
    lines = [
        "| URL | page cache | requests/s | p50 | p95 | p99 | SQL queries | worker peak RSS "
        "| CPU per request | × static file | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        t = m.target
        if m.failure:
            cells = [t.label, t.mode, f"not measured: {m.failure}"] + [""] * (COLUMNS - 3)
            lines.append("| " + " | ".join(cells) + " |")
            continue
        ratio = m.rate / static if static else None
        lines.append(
            f"| {t.label} | {t.mode} | {m.rate:.0f} | {_figure(m.latency_ms('p50'), 1)} ms "
            f"| {_figure(m.latency_ms('p95'), 1)} ms | {_figure(m.latency_ms('p99'), 1)} ms "
            f"| {_figure(m.queries)} | {_figure(m.peak_rss_mb, 0, ' MB')} "
            f"| {_figure(m.cpu_ms_per_request, 1, ' ms')} | {_figure(ratio, 2)} | {m.bad} |"
        )
    return "\n".join(lines)


# The import ------------------------------------------------------------------------------


@dataclass
class Batch:
    """One ``import_documents`` run of the bench: ``files`` documents that made ``pages``
    new pages in ``seconds`` with ``queries`` SQL statements (None: not measured, e.g. a
    batch whose figures were lost when the run stopped right after its commit)."""

    number: int
    files: int
    pages: int
    seconds: float | None
    queries: int | None = None

    @property
    def rate(self):
        return self.pages / self.seconds if self.seconds else None


@dataclass
class ImportSummary:
    pages: int
    seconds: float
    first: Batch | None
    last: Batch | None
    rates: list
    queries_per_page: float | None
    unmeasured: int
    end: float | None = None  # seconds of the run's end, after its last batch

    @property
    def rate(self):
        return self.pages / self.seconds if self.seconds else None

    @property
    def flat(self):
        """The last batch no slower than the first, or None when there is no second one."""
        if not (self.first and self.last) or self.first is self.last:
            return None
        return self.last.rate >= self.first.rate


def summarise_import(batches):
    """The totals, and the first and last whole batches to compare (the last batch is
    usually a remainder, too small to compare; with the default archive it holds the topic
    pages, all of them reports)."""
    measured = [b for b in batches if b.seconds and b.pages]
    whole = [b for b in measured if measured and b.files == measured[0].files]
    pages = sum(b.pages for b in measured)
    queries = [b for b in measured if b.queries is not None]
    query_pages = sum(b.pages for b in queries)
    # A run's end (its commit, the statistics) is a row of no files: part of the import.
    ends = [b for b in batches if not b.files and b.seconds]
    return ImportSummary(
        pages=pages,
        seconds=sum(b.seconds for b in measured + ends),
        end=sum(b.seconds for b in ends) if ends else None,
        first=whole[0] if whole else None,
        last=whole[-1] if whole else None,
        rates=[b.rate for b in measured],
        queries_per_page=(sum(b.queries for b in queries) / query_pages if query_pages else None),
        unmeasured=len(batches) - len(measured) - len(ends),
    )


def import_lines(summary):
    if summary.first is None:
        return ["No import was measured (an empty archive, or none recorded)."]
    rates = " ".join(f"{rate:.0f}" for rate in summary.rates)
    lines = [
        "| | pages | seconds | pages/s | SQL per page |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [("first batch", summary.first), ("last whole batch", summary.last)]
    for name, b in rows:
        per_page = b.queries / b.pages if b.queries is not None and b.pages else None
        lines.append(
            f"| {name} (#{b.number}, {b.files} files) | {b.pages} | {b.seconds:.1f} "
            f"| {b.rate:.1f} | {_figure(per_page, 1)} |"
        )
    lines.append(
        f"| whole import | {summary.pages} | {summary.seconds:.0f} | {summary.rate:.1f} "
        f"| {_figure(summary.queries_per_page, 1)} |"
    )
    lines += ["", f"Pages/s of each batch of {summary.first.files} files, in order: {rates}."]
    if summary.end is not None:
        lines.append(
            f"The run's end after its last batch (its commit, the planner's statistics): "
            f"{summary.end:.1f} s, in the whole import's time."
        )
    if summary.unmeasured:
        lines.append(
            f"{summary.unmeasured} batch(es) without figures (stopped right after committing, "
            "or already imported when the archive was recorded) are left out."
        )
    return lines


# The criteria ----------------------------------------------------------------------------


def criteria(measurements, summary, workers):
    """The targets the bench is run against, each as (target, measured, met: True, False
    or None when not measured)."""
    static = static_rate(measurements)
    measured = [m for m in measurements if m.runs]
    result = []

    def check(name, value, met):
        result.append((name, value, met))

    cached = [m for m in measured if m.target.cached and m.target.kind == "page"]
    if cached and static:
        worst = min(cached, key=lambda m: m.rate)
        check(
            "cached pages ≥ ½ the static file's requests/s",
            f"slowest {worst.target.name}: {worst.rate:.0f} of {static:.0f}/s "
            f"({worst.rate / static:.2f})",
            worst.rate >= static / 2,
        )
    else:
        check("cached pages ≥ ½ the static file's requests/s", "not measured", None)

    stories = [
        m for m in measured if m.target.kind == "page" and m.target.cached is False
        and m.target.name.startswith("news story")
    ]  # fmt: skip
    if stories:
        worst = min(stories, key=lambda m: m.rate)
        check(
            f"uncached story pages ≥ 100 requests/s ({workers} workers)",
            f"{worst.target.name}: {worst.rate:.0f}/s",
            worst.rate >= 100,
        )
    else:
        check("uncached story pages ≥ 100 requests/s", "not measured", None)

    counted = [
        m for m in measurements if m.queries is not None and m.target.kind in ("page", "search")
    ]
    if counted:
        worst = max(counted, key=lambda m: m.queries)
        check(
            "≤ 8 SQL queries on every page (search included)",
            f"most: {worst.queries} ({worst.target.name}, {worst.target.mode})",
            worst.queries <= 8,
        )
    else:
        check("≤ 8 SQL queries on every page (search included)", "not measured", None)

    if summary.first is not None:
        check(
            "import ≥ 100 pages/s",
            f"{summary.rate:.1f} pages/s over {summary.pages} pages",
            summary.rate >= 100,
        )
        check(
            "import flat: last whole batch no slower than the first",
            f"first {summary.first.rate:.1f}, last {summary.last.rate:.1f} pages/s",
            summary.flat,
        )
    else:
        check("import ≥ 100 pages/s and flat", "not measured in this run", None)

    searches = [m for m in measured if m.target.kind == "search"]
    if searches:
        worst = max(searches, key=lambda m: m.latency_ms("p95"))
        check(
            "search p95 < 30 ms, both languages",
            ", ".join(f"{m.target.name}: {m.latency_ms('p95'):.1f} ms" for m in searches),
            worst.latency_ms("p95") < 30,
        )
    else:
        check("search p95 < 30 ms", "not measured", None)

    sizes = [m.peak_rss_mb for m in measurements if m.peak_rss_mb is not None]
    if sizes:
        check("worker memory < 150 MB", f"peak {max(sizes):.0f} MB", max(sizes) < 150)
    else:
        check("worker memory < 150 MB", "not measured", None)
    return result


def criteria_lines(results):
    marks = {True: "met", False: "**not met**", None: "not measured"}
    lines = ["| target | measured | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {marks[met]} |" for name, value, met in results]
    return lines


# docs/benchmarks.md ------------------------------------------------------------------------


def replace_block(document, block):
    """``document`` with the text between the markers replaced by ``block`` (which
    carries the markers itself); the block is appended when the markers are missing."""
    if not (block.startswith(BEGIN) and block.rstrip().endswith(END)):
        raise ReportError("the block must start and end with the bench markers")
    if (BEGIN in document) != (END in document):
        raise ReportError(f"docs/benchmarks.md has only one of {BEGIN} and {END}")
    if BEGIN in document:
        start, end = document.index(BEGIN), document.index(END) + len(END)
        if end < start:
            raise ReportError(f"docs/benchmarks.md has {END} before {BEGIN}")
        return document[:start] + block.rstrip() + document[end:]
    return document.rstrip("\n") + "\n\n" + block.rstrip() + "\n"
