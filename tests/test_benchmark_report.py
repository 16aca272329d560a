"""The pure parts of ``make bench`` (benchmarks/report.py): wrk's report, the rounds,
the import figures, the targets and the block of docs/benchmarks.md. No timings are
checked here: the figures are made up."""

import json

import pytest

from benchmarks.report import (
    BEGIN,
    END,
    Batch,
    Measurement,
    ReportError,
    Target,
    criteria,
    import_lines,
    parse_wrk,
    replace_block,
    summarise_import,
    table,
)


def wrk_report(requests=1000, seconds=10, p50=2000, p95=5000, p99=9000, ok=None, **errors):
    return {
        "requests": requests,
        "duration_us": seconds * 1_000_000,
        "bytes": 1,
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0, **errors},
        "latency_us": {"p50": p50, "p90": p95, "p95": p95, "p99": p99, "max": p99},
        "statuses": {"2xx": requests if ok is None else ok},
    }


def measured(name, cached=True, kind="page", queries=4, rss=120.0, **report):
    return Measurement(
        Target(name, ["/x/"], cached, kind), [wrk_report(**report)], queries, rss, cpu_seconds=1
    )


def test_the_report_line_is_read_among_wrks_own_lines():
    output = "Running 10s test @ http://127.0.0.1:8501\n  2 threads\nBENCH " + json.dumps(
        wrk_report(requests=42)
    )
    report, other = parse_wrk(output)
    assert report["requests"] == 42
    assert other == ["Running 10s test @ http://127.0.0.1:8501", "  2 threads"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("Running 10s test", "no BENCH line"),
        ("BENCH {not json", "not JSON"),
        ('BENCH {"requests": 1}', "lacks duration_us, errors, latency_us, statuses"),
    ],
)
def test_a_missing_or_broken_report_line_says_what_is_wrong(output, message):
    with pytest.raises(ReportError, match=message):
        parse_wrk(output)


def test_rounds_add_up_requests_and_take_the_median_percentile():
    m = Measurement(
        Target("home en", ["/en/"], True),
        [wrk_report(1000, 10, p50=1000), wrk_report(3000, 10, p50=5000), wrk_report(2000, 10)],
    )
    assert m.rate == 200  # 6000 requests in 30 s
    assert m.latency_ms("p50") == 2
    assert m.bad == 0


def test_socket_errors_and_answers_other_than_2xx_are_errors():
    m = Measurement(Target("x", ["/x/"]), [wrk_report(100, ok=97, timeout=2, read=1)])
    assert m.bad == 3 + 3


def test_the_table_gives_the_ratio_to_the_static_file_and_names_what_was_not_measured():
    failed = Measurement(Target("sitemap", ["/sitemap.xml"], False, "sitemap"), failure="502")
    rows = table(
        [
            measured("home en", requests=500),
            measured("static file", None, "static", None, requests=1000),
            failed,
        ]
    ).splitlines()
    assert rows[2].startswith("| home en | cached | 50 | 2.0 ms | 5.0 ms | 9.0 ms | 4 | 120 MB")
    assert rows[2].endswith("| 0.50 | 0 |")
    assert rows[3].startswith("| static file | — | 100 |")
    assert "| — | 120 MB" in rows[3]  # no SQL counted for a static file
    assert rows[4].startswith("| sitemap | uncached | not measured: 502 |")
    assert len({row.count("|") for row in rows}) == 1  # every row has every column


def test_the_import_summary_compares_the_first_and_last_batches_and_skips_unmeasured_ones():
    batches = [
        Batch(1, 1000, 1000, 10.0, 60_000),
        Batch(2, 1000, 1000, None),  # its figures were lost
        Batch(3, 1000, 0, 1.0, 500),  # already imported
        Batch(4, 1000, 1000, 8.0, 60_000),
        Batch(5, 20, 20, 1.0, 1200),  # the remainder: counted, not compared
    ]
    summary = summarise_import(batches)
    assert (summary.pages, summary.seconds, summary.rate) == (2020, 19.0, 2020 / 19)
    assert summary.first.number == 1 and summary.last.number == 4
    assert summary.rates == [100, 125, 20]
    assert summary.flat is True
    assert summary.queries_per_page == 60
    assert summary.unmeasured == 2
    lines = import_lines(summary)
    assert "| first batch (#1, 1000 files) | 1000 | 10.0 | 100.0 | 60.0 |" in lines
    assert "| last whole batch (#4, 1000 files) | 1000 | 8.0 | 125.0 | 60.0 |" in lines
    assert "| whole import | 2020 | 19 | 106.3 | 60.0 |" in lines
    assert "in order: 100 125 20." in lines[-2]
    assert lines[-1].startswith("2 batch(es) without figures")


def test_the_end_of_a_run_counts_in_the_whole_import_and_in_no_batch():
    batches = [
        Batch(1, 1000, 1000, 10.0, 600),
        Batch(2, 1000, 1000, 9.0, 500),
        Batch(3, 0, 0, 6.0, None),  # the commit and the statistics, after the last batch
    ]
    summary = summarise_import(batches)
    assert (summary.pages, summary.seconds, summary.end) == (2000, 25.0, 6.0)
    assert summary.last.number == 2 and summary.rates == [100, 1000 / 9]
    assert summary.unmeasured == 0
    lines = import_lines(summary)
    assert "| whole import | 2000 | 25 | 80.0 | 0.6 |" in lines
    assert lines[-1] == (
        "The run's end after its last batch (its commit, the planner's statistics): "
        "6.0 s, in the whole import's time."
    )


def test_one_batch_cannot_say_whether_the_import_stays_flat():
    summary = summarise_import([Batch(1, 300, 300, 3.0, 100)])
    assert summary.flat is None
    assert summarise_import([]).first is None


def test_the_targets_are_judged_on_the_worst_case():
    measurements = [
        measured("static file", None, "static", None, requests=1000),
        measured("home en", requests=600, queries=0),
        measured("news story ar", requests=400, queries=0),  # cached: 40 of 100/s
        measured("news story en", False, requests=1200, queries=9),  # uncached: 120/s
        measured("news story ar", False, requests=900, queries=7),  # uncached: 90/s
        measured("search en", False, "search", 10, p95=20_000),
        measured("search ar", False, "search", 10, p95=31_000, rss=151.0),
        measured("sitemap", False, "sitemap", 12),  # not a page: not judged by its queries
    ]
    slow, fast = Batch(1, 1000, 1000, 5.0), Batch(2, 1000, 1000, 8.0)
    results = {name: (value, met) for name, value, met in criteria(
        measurements, summarise_import([slow, fast]), 2
    )}  # fmt: skip
    assert results["cached pages ≥ ½ the static file's requests/s"] == (
        "slowest news story ar: 40 of 100/s (0.40)",
        False,
    )
    assert results["uncached story pages ≥ 100 requests/s (2 workers)"] == (
        "news story ar: 90/s",
        False,
    )
    assert results["≤ 8 SQL queries on every page (search included)"] == (
        "most: 10 (search en, uncached)",
        False,
    )
    assert results["import ≥ 100 pages/s"] == ("153.8 pages/s over 2000 pages", True)
    assert results["import flat: last whole batch no slower than the first"][1] is False
    assert results["search p95 < 30 ms, both languages"] == (
        "search en: 20.0 ms, search ar: 31.0 ms",
        False,
    )
    assert results["worker memory < 150 MB"] == ("peak 151 MB", False)


def test_targets_without_figures_are_not_measured_rather_than_met():
    results = criteria([], summarise_import([]), 2)
    assert results and all(met is None for _name, _value, met in results)


def test_the_block_replaces_the_one_between_the_markers_and_nothing_else():
    document = f"# Benchmarks\n\nMethod.\n\n{BEGIN}\nold figures\n{END}\n\n## History\n"
    updated = replace_block(document, f"{BEGIN}\nnew figures\n{END}\n")
    assert updated == f"# Benchmarks\n\nMethod.\n\n{BEGIN}\nnew figures\n{END}\n\n## History\n"
    assert replace_block(updated, f"{BEGIN}\nnew figures\n{END}") == updated


def test_the_block_is_appended_when_the_markers_are_missing():
    assert replace_block("# Benchmarks\n", f"{BEGIN}\nfigures\n{END}") == (
        f"# Benchmarks\n\n{BEGIN}\nfigures\n{END}\n"
    )


@pytest.mark.parametrize(
    ("document", "block", "message"),
    [
        (f"text {BEGIN} no end", f"{BEGIN}\n{END}", "only one of"),
        (f"{END} before {BEGIN}", f"{BEGIN}\n{END}", "before"),
        ("text", "figures without markers", "must start and end"),
    ],
)
def test_a_damaged_document_or_block_is_refused(document, block, message):
    with pytest.raises(ReportError, match=message):
        replace_block(document, block)
