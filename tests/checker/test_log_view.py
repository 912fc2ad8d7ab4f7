"""The page's view of a pasted AutoSSL log: the exact names, each line explained and linked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from autossl_check.log_view import explain, explain_log

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
    via = [line for line in view["lines"] if line["kind"] == "local_http_dcv_ok_via"]
    assert via
    assert via[0]["anchor"] == "autossl-log/#local-http-dcv-ok-via"
    assert "sakakitest.dev" in via[0]["explanation"]
    assert "94.0.19" in via[0]["explanation"]  # the first build with the fix


def test_a_paste_of_another_program_says_so_in_one_sentence() -> None:
    view = explain((DATA / "other-program.log").read_text("utf-8"), "ja")
    assert view["names"] == []
    assert "AutoSSL" in view["error"]
    assert all(line["anchor"] == "" for line in view["lines"])


def test_two_megabytes_pasted_are_read_whole() -> None:
    one = (DATA / "autossl.txt").read_text("utf-8")
    text = one * (2 * 1024 * 1024 // len(one) + 1)
    view = explain(text, "en")
    assert len(text) > 2 * 1024 * 1024
    assert view["truncated"] is False
    assert view["error"] is None
    assert view["names"]


@pytest.mark.parametrize("text", ["", "\x00\x01\x02" * 1000, "{", '{"data": {"payload": [1'])
def test_no_paste_raises(text: str) -> None:
    view = json.loads(explain_log(text, "en"))
    assert view["names"] == []
    assert view["error"]
