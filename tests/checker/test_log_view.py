"""The page's view of a pasted AutoSSL log: the exact names, each line explained and linked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from autossl_check.log_view import PAGE_LINES, ExplainedLog, explain, explain_log

from tests.support.autossl_logs import pasted_days

from .test_autossl_log import FIELD_REPORT_NAMES

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_field_reports_paste_gives_its_seven_names_and_explains_the_via_line(
    lang: str,
) -> None:
    view = json.loads(explain_log((DATA / "field-report-v76.txt").read_text("utf-8"), lang))

    assert view["error"] is None
    assert sorted(view["names"]) == sorted(FIELD_REPORT_NAMES)
    assert view["via_parent"] is True
    assert view["page"]["next"] is None  # fifteen lines: one page holds them all
    assert view["page"]["more"] == ""
    via = [line for line in view["page"]["lines"] if line["kind"] == "local_http_dcv_ok_via"]
    assert via
    assert via[0]["anchor"] == "autossl-log/#local-http-dcv-ok-via"
    assert "sakakitest.dev" in via[0]["explanation"]
    assert "94.0.19" in via[0]["explanation"]  # the first build with the fix


def test_a_paste_of_another_program_says_so_in_one_sentence() -> None:
    view = explain((DATA / "other-program.log").read_text("utf-8"), "ja")
    assert view["names"] == []
    assert "AutoSSL" in view["error"]
    assert all(line["anchor"] == "" for line in view["page"]["lines"])


def test_two_megabytes_pasted_are_read_whole_and_sent_a_page_at_a_time() -> None:
    text, names = pasted_days(2 * 1024 * 1024)
    explained = ExplainedLog.read(text)
    view = explained.summary("en")
    assert len(text) > 2 * 1024 * 1024
    assert view["truncated"] is False
    assert view["error"] is None
    assert view["names"] == names
    total = len(explained.lines)
    assert total > 20_000
    assert f"{total:,} lines read" in view["summary"]
    assert f"Names to check: {len(names)}." in view["summary"]
    # The answer is the summary and one page: it does not grow with the log.
    assert len(json.dumps(view, ensure_ascii=False)) < 100_000
    first = view["page"]
    assert len(first["lines"]) == PAGE_LINES
    assert first["next"] == PAGE_LINES
    assert first["more"] == f"Show the next {PAGE_LINES} lines ({total - PAGE_LINES:,} left)"

    second = explained.page(first["next"], PAGE_LINES, "all", "en")
    numbers = [line["number"] for line in first["lines"] + second["lines"]]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 2 * PAGE_LINES
    last = explained.page(total - 3, PAGE_LINES, "all", "en")
    assert len(last["lines"]) == 3
    assert last["next"] is None
    assert last["more"] == ""


def test_the_lines_not_recognised_are_shown_on_their_own_in_japanese() -> None:
    text, _names = pasted_days(300_000)
    explained = ExplainedLog.read(text)
    summary = explained.summary("ja")
    assert [f["value"] for f in summary["filters"]] == ["all", "not_recognised"]
    assert summary["filters"][1]["text"] == "認識できなかった行"
    page = explained.page(0, PAGE_LINES, "not_recognised", "ja")
    assert page["total"] == len(explained.not_recognised) > 0
    assert page["lines"]
    assert all(line["recognised"] is False for line in page["lines"])
    assert all(line["anchor"] == "" and line["explanation"] for line in page["lines"])
    assert "認識できなかった行" in summary["summary"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_paste_longer_than_the_page_reads_says_only_its_start_was_read(lang: str) -> None:
    text, _names = pasted_days(50_000)
    summary = ExplainedLog.read(text, max_chars=20_000).summary(lang)
    assert summary["truncated"] is True
    assert summary["names"]
    assert "20,000" in summary["summary"]
    cut = {"en": "only its start was read", "ja": "先頭だけを読みました"}[lang]
    assert summary["summary"].endswith(cut + ("." if lang == "en" else "。"))
    whole = ExplainedLog.read(text).summary(lang)
    assert "20,000" not in whole["summary"]


@pytest.mark.parametrize(("start", "count"), [(-5, 10), (10**9, 10), (0, -1), (0, 10**9)])
def test_a_page_asked_out_of_range_is_cut_to_the_log(start: int, count: int) -> None:
    explained = ExplainedLog.read((DATA / "autossl.txt").read_text("utf-8"))
    page = explained.page(start, count, "no such filter", "en")
    assert page["show"] == "all"
    assert 0 <= page["start"] <= page["total"]
    assert len(page["lines"]) <= PAGE_LINES


@pytest.mark.parametrize("text", ["", "\x00\x01\x02" * 1000, "{", '{"data": {"payload": [1'])
def test_no_paste_raises(text: str) -> None:
    view = json.loads(explain_log(text, "en"))
    assert view["names"] == []
    assert view["error"]
