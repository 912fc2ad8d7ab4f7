"""The page facade: permalink validation and the JSON event stream."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from autossl_check import browser, texts
from autossl_check.browser import parse_query, run_from_query
from autossl_check.model import InputError, Verdict
from autossl_check.names import group_listed_names
from autossl_check.native_transport import NativeTransport
from autossl_check.page_policy import TEST
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import ADDITIVE_KEYS, TOP_KEYS, FakeTransport, zone_handler
from .test_autossl_log import FIELD_REPORT_NAMES

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"

ROW_KEYS = {
    "name",
    "why",
    "why_text",
    "ok",
    "status",
    "status_text",
    "codes",
    "a",
    "aaaa",
    "cname",
    "notes",
    "cpanel_text",
    "findings",
}
DONE_KEYS = {
    "event",
    "records",
    "result",
    "verdict",
    "verdict_text",
    "markdown",
    "advice",
    "commands",
    "exclude",
    "watch",
}


def events_for(
    query: str, lang: str = "en", transport: Any = None, *, from_log: bool = False
) -> list[dict[str, Any]]:
    """The events of the page of a test build (which takes the loopback test resolver)."""
    sent: list[str] = []

    async def go() -> None:
        native = transport or NativeTransport()
        try:
            await run_from_query(
                query, lang, sent.append, transport=native, policy=TEST, from_log=from_log
            )
        finally:
            if transport is None:
                await native.aclose()

    asyncio.run(go())
    return [json.loads(text) for text in sent]


def test_event_stream_shapes(doh_resolver: Any) -> None:
    query = f"domain=mixed.example&server=203.0.113.10&resolver={quote(doh_resolver.url, safe='')}"
    events = events_for(query)
    plan, *rows, done = events
    assert plan["event"] == "plan"
    assert set(plan) == {"event", "names", "server", "server_source"}
    assert plan["server"] == ["203.0.113.10"]
    assert plan["server_source"] == "given"
    assert all(set(item) == {"name", "why", "why_text"} for item in plan["names"])
    assert len(rows) == len(plan["names"]) == 9
    for event in rows:
        assert event["event"] == "name"
        assert set(event["row"]) == ROW_KEYS
        for finding in event["row"]["findings"]:
            assert set(finding) == {"code", "title", "text", "anchor"}
            assert finding["anchor"] == f"findings/#{finding['code']}"
    mail = next(e["row"] for e in rows if e["row"]["name"] == "mail.mixed.example")
    assert mail["codes"] == ["ELSEWHERE"]
    assert not mail["ok"]
    assert "198.51.100.7" in mail["findings"][0]["text"]
    assert done["event"] == "done"
    assert set(done) == DONE_KEYS
    assert done["verdict"] == "action_needed"
    assert done["exclude"] == done["result"]["exclude"]
    assert all(set(item) == {"key", "text"} for item in done["advice"])
    assert [item["key"] for item in done["advice"]][-1] == "exclude"
    statuses = {e["row"]["name"]: e["row"]["status"] for e in rows}
    assert statuses["mail.mixed.example"] == "problem"
    assert statuses["mixed.example"] == "ok"
    assert set(done["result"]) == TOP_KEYS | ADDITIVE_KEYS
    assert done["result"]["verdict"] == "action_needed"
    assert done["commands"]["uapi"].startswith("uapi --user=USER SSL add_autossl_excluded_domains")
    assert done["commands"]["whmapi1"].startswith("whmapi1 add_autossl_user_excluded_domains")
    assert done["advice"]
    assert done["markdown"].startswith("### ")
    # The records to enter: the same entries as the JSON's, their words and the text to copy.
    records = done["records"]
    assert records["rows"] == done["result"]["records"]
    mail_records = next(r for r in records["rows"] if r["name"] == "mail.mixed.example")
    assert [(s["action"], s["type"], s["name"], s["value"]) for s in mail_records["steps"]] == [
        ("delete", "A", "mail", "198.51.100.7"),
        ("add", "A", "mail", "203.0.113.10"),
    ]
    assert "mail.mixed.example. 300 IN A 203.0.113.10" in records["text"]
    assert records["title"] == "Records to enter at the DNS host"
    assert "+ mail.mixed.example. 300 IN A 203.0.113.10" in done["markdown"]


def test_japanese_events(doh_resolver: Any) -> None:
    query = f"domain=mixed.example&resolver={quote(doh_resolver.url, safe='')}"
    events = events_for(query, "ja")
    assert events[0]["names"][0]["why_text"] == "アカウントのドメイン"
    assert events[0]["server_source"] == "apex"
    mail = next(
        e["row"]
        for e in events
        if e["event"] == "name" and e["row"]["name"] == "mail.mixed.example"
    )
    assert mail["findings"][0]["title"] == "別のサーバーを指している"
    assert "対応が必要" in events[-1]["markdown"]


def test_options_from_the_link(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    query = (
        f"domain=ok.example&server=203.0.113.10&provider=sectigo&reseller=1&service=1"
        f"&autodiscover=0&subdomain=shop.ok.example&addon=addon.example.net&resolver={url}"
        "&utm_source=ticket"
    )
    events = events_for(query)
    names = [item["name"] for item in events[0]["names"]]
    assert "whm.ok.example" in names
    assert "autodiscover.ok.example" not in names
    assert "shop.ok.example" in names
    assert "addon.example.net" in names
    assert events[-1]["result"]["provider"] == "sectigo"
    assert events[-1]["result"]["verdict"] == "ok"


def test_two_loopback_resolvers_disagree(doh_resolver_factory: Any) -> None:
    first = doh_resolver_factory()
    second = doh_resolver_factory(zones="tests/data/zones-propagating.json")
    query = (
        f"domain=ok.example&server=203.0.113.10&resolver={quote(first.url, safe='')}"
        f"&resolver={quote(second.url, safe='')}"
    )
    done = events_for(query)[-1]
    codes = {n["name"]: n["codes"] for n in done["result"]["names"]}
    assert "RESOLVERS_DISAGREE" in codes["mail.ok.example"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("", "No domain"),
        ("domain=", "No domain"),
        ("server=203.0.113.10", "No domain"),
        ("domain=<img src=x onerror=alert(1)>", "not a valid domain"),
        ("domain=example.com&resolver=https://evil.example/dns-query", "Unknown resolver"),
        ("domain=example.com&resolver=quad9", "Unknown resolver"),
        ("domain=example.com&resolver=http://10.0.0.1/dns-query", "plain http"),
        ("domain=example.com&provider=digicert", "provider"),
        ("domain=example.com&reseller=maybe", "reseller"),
        ("domain=example.com&server=999.0.0.1", "not an IPv4 or IPv6"),
        ("domain=a.example&domain=b.example", "more than once"),
        ("domain=" + "a" * 10_000, "characters"),
        ("domain=example.com&addon=" + "b" * 10_000, "characters"),
        ("domain=example.com&" + "x=1&" * 20_000, "too long"),
    ],
)
def test_bad_links_get_one_clear_error(query: str, words: str) -> None:
    assert_refused(query, "en", words)


def assert_refused(query: str, lang: str, words: str) -> None:
    """The link ends in one error event holding `words`, on one line, before any query."""
    transport = FakeTransport(zone_handler({}))
    events = events_for(query, lang, transport=transport)
    assert len(events) == 1
    assert events[0]["event"] == "error"
    assert words in events[0]["message"]
    assert "\n" not in events[0]["message"]
    assert transport.calls == []


def test_error_messages_in_japanese() -> None:
    events = events_for(
        "domain=example.com&resolver=quad9", "ja", transport=FakeTransport(zone_handler({}))
    )
    assert events == [{"event": "error", "message": events[0]["message"]}]
    assert "不明なリゾルバー" in events[0]["message"]


def test_parse_query_defaults() -> None:
    page = parse_query("?domain=Example.com")
    assert page.provider == "letsencrypt"
    assert page.service_subdomains
    assert page.autodiscover
    assert page.resolvers == (
        "https://cloudflare-dns.com/dns-query",
        "https://dns.google/dns-query",
    )
    assert parse_query("domain=a.example&resolver=google").resolvers == (
        "https://dns.google/dns-query",
    )
    with pytest.raises(InputError):
        parse_query("domain=a.example&service=2")


QUERY_PARTS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "domain",
                "server",
                "provider",
                "addon",
                "subdomain",
                "reseller",
                "service",
                "autodiscover",
                "resolver",
                "other",
                "",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(parts=QUERY_PARTS, raw=st.text(max_size=60))
def test_arbitrary_query_strings_give_events_or_one_error(
    parts: list[tuple[str, str]], raw: str
) -> None:
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in parts) + ("&" + raw if raw else "")
    events = events_for(query, transport=FakeTransport(zone_handler({})))
    kinds = [event["event"] for event in events]
    if kinds[0] == "error":
        assert kinds == ["error"]
        assert events[0]["message"]
        assert "\n" not in events[0]["message"]
    else:
        assert kinds[0] == "plan"
        assert kinds[-1] == "done"
        assert set(kinds[1:-1]) <= {"name"}


def test_a_broken_transport_ends_in_done_with_lookup_failed() -> None:
    async def broken(url: str, accept: str) -> Any:
        raise RuntimeError("boom")

    events = events_for("domain=example.com&server=203.0.113.10", transport=broken)
    assert events[0]["event"] == "plan"
    assert events[-1]["event"] == "done"
    assert events[-1]["result"]["verdict"] == "inconclusive"
    rows = [event["row"] for event in events if event["event"] == "name"]
    assert all(row["codes"] == ["LOOKUP_FAILED"] for row in rows)
    assert all("internal error" in row["findings"][0]["text"] for row in rows)


def test_the_real_warm_up_runs_a_whole_check_without_the_page_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # warm_up() only speeds up the page if its answers lead through the whole check: all names
    # answered, CAA read, verdict reached. Had it used the page's transport (made to raise
    # here) or a broken made-up answer, every name would end in LOOKUP_FAILED.
    from autossl_check import engine, native_transport, pyodide_transport

    async def page_transport(url: str, accept: str) -> Any:
        raise AssertionError("warm_up() used the page's transport")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("warm_up() touched the network")

    monkeypatch.setattr(pyodide_transport, "pyodide_transport", page_transport)
    monkeypatch.setattr(native_transport, "NativeTransport", no_network)
    results: list[Any] = []
    real_run_check = engine.run_check

    async def recording(*args: Any, **kwargs: Any) -> Any:
        results.append(await real_run_check(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(engine, "run_check", recording)
    asyncio.run(browser.warm_up())
    (result,) = results
    assert result.verdict == "ok"
    assert len(result.rows) == 9
    assert all(row.codes == [] and row.a == ("192.0.2.1",) for row in result.rows)
    assert result.queries == 2 * (9 * 2 + 10)  # both resolvers; every name and CAA node once


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("domain", ["mixed.example", "ok.example", "faulty.example"])
def test_the_pages_verdict_is_the_tickets_verdict(
    doh_resolver: Any, lang: str, domain: str
) -> None:
    url = quote(doh_resolver.url, safe="")
    events = events_for(f"domain={domain}&server=203.0.113.10&resolver={url}", lang)
    done = events[-1]
    verdict_lines = [
        line for line in done["markdown"].splitlines() if line == f"- **{done['verdict_text']}**"
    ]
    assert len(verdict_lines) == 1
    assert done["verdict"] == done["result"]["verdict"]
    assert done["verdict_text"] == texts.verdict_text(Verdict(done["verdict"]), lang)


def test_row_status_comes_from_python(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    events = events_for(f"domain=faulty.example&server=203.0.113.10&resolver={url}", "ja")
    rows = {e["row"]["name"]: e["row"] for e in events if e["event"] == "name"}
    for row in rows.values():
        if not row["codes"]:
            assert row["status"] == "ok"
        elif row["codes"] == ["LOOKUP_FAILED"]:
            assert row["status"] == "failed"
        else:
            assert row["status"] == "problem"
        assert row["status_text"] == texts.label(f"status.{row['status']}", "ja")
    assert rows["mail.faulty.example"]["status"] == "failed"
    assert rows["faulty.example"]["status"] == "ok"


# --- the watch, as the page runs it --------------------------------------------------------------


def done_verdict_text(verdict: str) -> str:
    from autossl_check import texts
    from autossl_check.model import Verdict

    return texts.verdict_text(Verdict(verdict), "en")


def watch_query(resolver_url: str) -> str:
    resolver = quote(resolver_url, safe="")
    return f"domain=watch.example&server=203.0.113.10&service=0&resolver={resolver}"


def test_the_page_watch_turns_green_when_the_zone_is_fixed() -> None:
    from autossl_check import browser

    from tests.support.doh_resolver import DohResolver
    from tests.support.watch_zone import watch_zone

    resolver = DohResolver(watch_zone(fixed=False)).start()
    query = watch_query(resolver.url)
    first: list[str] = []
    watched: list[str] = []

    async def go() -> None:
        native = NativeTransport()
        try:
            await browser.run_from_query(query, "en", first.append, transport=native, policy=TEST)
            resolver.zones = watch_zone(fixed=True)
            resolver.clear_log()
            # 0.01: the 41 s until the NXDOMAIN expires pass in under half a second.
            await browser.watch_from_query(
                query, "en", watched.append, transport=native, time_scale=0.01
            )
        finally:
            await native.aclose()

    try:
        asyncio.run(go())
    finally:
        resolver.stop()
    done = json.loads(first[-1])
    assert done["watch"] == {"label": "Watch until fixed"}
    events = [json.loads(text) for text in watched]
    watching = events[0]
    assert watching["event"] == "watch"
    assert watching["state"] == "watching"
    assert watching["title"] == "Watching: 1 failing"
    assert [item["name"] for item in watching["names"]] == ["mail.watch.example"]
    assert watching["names"][0]["text"] == "mail.watch.example: re-check in 41 s"
    [changed] = [event["row"] for event in events if event["event"] == "name"]
    assert changed["name"] == "mail.watch.example"
    assert changed["status"] == "ok"
    last = events[-1]
    assert last == {
        "event": "watch",
        "state": "done",
        "title": "All fine",
        "names": [],
        "notify": "Every name is fine.",
        "verdict": "ok",
        "verdict_text": done_verdict_text("ok"),
    }
    # Only the failing name was asked again.
    assert {q.qname for q in resolver.queries} <= {
        "mail.watch.example.",
        "watch.example.",
        "example.",
    }
    assert "mail.watch.example." in {q.qname for q in resolver.queries}


def test_a_watch_needs_a_check_to_follow_and_a_fine_check_offers_none(doh_resolver: Any) -> None:
    from autossl_check import browser

    sent: list[str] = []
    asyncio.run(browser.watch_from_query("domain=never.example", "ja", sent.append))
    [error] = [json.loads(text) for text in sent]
    assert error["event"] == "error"
    assert error["message"].startswith("先にもう一度チェックしてください")
    query = f"domain=ok.example&server=203.0.113.10&resolver={quote(doh_resolver.url, safe='')}"
    assert events_for(query)[-1]["watch"] is None


def test_stop_watch_ends_a_watch_before_its_next_query() -> None:
    from autossl_check import browser

    from tests.support.doh_resolver import DohResolver
    from tests.support.watch_zone import watch_zone

    resolver = DohResolver(watch_zone(fixed=False)).start()
    query = watch_query(resolver.url)
    watched: list[str] = []

    async def go() -> None:
        native = NativeTransport()
        try:
            await browser.run_from_query(
                query, "en", lambda _text: None, transport=native, policy=TEST
            )
            resolver.clear_log()
            asyncio.get_running_loop().call_later(0.1, browser.stop_watch)
            await browser.watch_from_query(
                query, "en", watched.append, transport=native, time_scale=0.01
            )
        finally:
            await native.aclose()

    try:
        asyncio.run(go())
    finally:
        resolver.stop()
    assert resolver.queries == []
    assert all(json.loads(text)["state"] == "watching" for text in watched)


# --- links of exact names (name=) --------------------------------------------------------------


def test_a_link_of_names_checks_exactly_those_names(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    query = (
        f"name=www.ok.example&name=OK.example.&name=mail.ok.example&name=www.ok.example"
        f"&server=203.0.113.10&service=1&reseller=1&resolver={url}"
    )
    plan, *rows, done = events_for(query)
    names = [item["name"] for item in plan["names"]]
    assert names == ["www.ok.example", "ok.example", "mail.ok.example"]  # nothing added
    assert {item["why"] for item in plan["names"]} == {"name"}
    assert plan["names"][0]["why_text"] == "listed in the link (checked as it is)"
    assert sorted(e["row"]["name"] for e in rows) == sorted(names)
    assert done["verdict"] == "ok"
    assert [n["name"] for n in done["result"]["names"]] == names


def test_a_link_of_names_reads_the_server_from_its_domain_first(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    events = events_for(f"domain=ok.example&name=www.ok.example&name=ok.example&resolver={url}")
    assert [item["name"] for item in events[0]["names"]] == ["ok.example", "www.ok.example"]
    assert events[0]["server_source"] == "apex"
    assert events[-1]["verdict"] == "ok"  # www.ok.example points at ok.example's own address


def test_a_domain_outside_the_names_is_not_checked(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    events = events_for(f"domain=mixed.example&name=mail.ok.example&resolver={url}")
    assert [item["name"] for item in events[0]["names"]] == ["mail.ok.example"]


@pytest.mark.parametrize(
    ("query", "english", "japanese"),
    [
        (
            "name=<img src=x onerror=alert(1)>",
            "not a valid domain",
            "有効なドメイン名ではありません",
        ),
        ("name=*.example.com", "wildcard", "ワイルドカード"),
        ("name=192.0.2.1", "address", "アドレス"),
        ("name=localhost", "not a full domain", "完全なドメイン名ではありません"),
        ("name=a.example&addon=b.example", "addon=", "addon="),
        ("name=a.example&subdomain=shop", "subdomain=", "subdomain="),
        ("domain=bad..example&name=a.example", "not a valid domain", "有効なドメイン名"),
        ("name=" + "b" * 10_000, "characters", "文字"),
        (
            "&".join(f"name=n{i}.example" for i in range(browser.MAX_LINK_NAMES + 1)),
            f"at most {browser.MAX_LINK_NAMES}",
            f"{browser.MAX_LINK_NAMES} 個まで",
        ),
    ],
)
def test_bad_names_in_a_link_are_refused_in_both_languages(
    query: str, english: str, japanese: str
) -> None:
    assert_refused(query, "en", english)
    assert_refused(query, "ja", japanese)


def test_a_link_may_hold_its_most_names() -> None:
    query = "&".join(f"name=n{i}.example" for i in range(browser.MAX_LINK_NAMES))
    assert len(parse_query(query).names) == browser.MAX_LINK_NAMES


def test_a_links_names_group_as_autossl_groups_websites() -> None:
    names = [
        "example.com",
        "www.example.com",
        "mail.example.com",
        "cpanel.example.com",
        "addon.net",
        "www.addon.net",
        "shop.example.com",
        "www.shop.example.com",
        "www.lonely.example",
        "mail.example.org",
    ]
    assert group_listed_names(names) == [
        (
            "example.com",
            ["example.com", "www.example.com", "mail.example.com", "cpanel.example.com"],
        ),
        ("addon.net", ["addon.net", "www.addon.net"]),
        ("shop.example.com", ["shop.example.com", "www.shop.example.com"]),
        ("www.lonely.example", ["www.lonely.example"]),
        ("mail.example.org", ["mail.example.org"]),
    ]


def test_a_website_past_100_names_in_a_link_is_flagged(doh_resolver: Any) -> None:
    url = quote(doh_resolver.url, safe="")
    labels = [f"s{i}" for i in range(100)]
    names = ["ok.example", *(f"www.{label}.ok.example" for label in labels)]
    names += [f"{label}.ok.example" for label in labels]  # 100 websites of 2 names each
    grouped = group_listed_names(names)
    assert max(len(group) for _website, group in grouped) == 2
    many = ["ok.example", *(f"{label}.ok.example" for label in ("www", "mail", "cpanel"))]
    assert group_listed_names(many) == [("ok.example", many)]
    query = "&".join(f"name={name}" for name in names) + f"&resolver={url}"
    done = events_for(query)[-1]
    assert "CERTIFICATE_HAS_MAX_DOMAINS" not in json.dumps(done["result"])


def test_the_facade_explains_a_pasted_log() -> None:
    view = json.loads(browser.explain_log("not a log at all", "ja"))
    assert view["names"] == []
    assert view["error"]
    page = json.loads(browser.log_lines(0, 10, "all", "ja"))
    assert [line["text"] for line in page["lines"]] == ["not a log at all"]
    browser.forget_log()
    assert json.loads(browser.log_lines(0, 10, "all", "ja"))["lines"] == []


@pytest.mark.parametrize(
    ("start", "count"), [(None, None), ("x", []), (float("nan"), 1e300), (True, 2)]
)
def test_a_page_of_log_lines_takes_any_numbers_from_the_page(start: Any, count: Any) -> None:
    browser.explain_log(FIELD_REPORT, "en")
    page = json.loads(browser.log_lines(start, count, None, "en"))  # type: ignore[arg-type]
    assert page["show"] == "all"
    assert page["start"] == 0


FIELD_REPORT = (DATA / "field-report-v76.txt").read_text("utf-8")
FIELD_ZONE = {"sakakitest.dev": {"A": ["203.0.113.10"]}}  # the six others are NXDOMAIN


def field_report_check(lang: str, *, from_log: bool) -> dict[str, dict[str, Any]]:
    names = "&".join(f"name={name}" for name in FIELD_REPORT_NAMES)
    events = events_for(
        f"{names}&server=203.0.113.10",
        lang,
        transport=FakeTransport(zone_handler(FIELD_ZONE)),
        from_log=from_log,
    )
    assert events[-1]["event"] == "done"
    rows = {e["row"]["name"]: e["row"] for e in events if e["event"] == "name"}
    markdown = events[-1]["markdown"]
    return {"rows": rows, "markdown": markdown}


def test_cpanels_own_view_stands_beside_the_public_one_for_the_pasted_logs_names() -> None:
    browser.explain_log(FIELD_REPORT, "en")
    check = field_report_check("en", from_log=True)
    rows = check["rows"]
    www = rows["www.sakakitest.dev"]
    assert www["cpanel_text"] == "cPanel said: OK (via sakakitest.dev)"
    assert www["status_text"] == "needs action"
    assert www["codes"] == ["NXDOMAIN"]
    assert www["notes"][0].startswith("cPanel said OK (via sakakitest.dev): it took the parent")
    assert rows["mail.sakakitest.dev"]["cpanel_text"] == "cPanel said: OK (via sakakitest.dev)"
    apex = rows["sakakitest.dev"]
    assert apex["cpanel_text"] == "cPanel said: OK"
    assert apex["status"] == "ok"
    # The ticket's Markdown says the same as the rows.
    assert "cPanel said OK (via `sakakitest.dev`)" in check["markdown"]

    ja = field_report_check("ja", from_log=True)["rows"]["www.sakakitest.dev"]
    assert ja["cpanel_text"] == "cPanel の判定: OK（via sakakitest.dev）"


def test_a_link_of_the_same_names_without_the_log_shows_no_cpanel_view() -> None:
    browser.explain_log(FIELD_REPORT, "en")
    for row in field_report_check("en", from_log=False)["rows"].values():
        assert row["cpanel_text"] == ""
        assert not any("cPanel said" in note for note in row["notes"])
    browser.forget_log()
    for row in field_report_check("en", from_log=True)["rows"].values():
        assert row["cpanel_text"] == ""


def test_a_name_the_log_does_not_hold_gets_no_cpanel_view() -> None:
    browser.explain_log(FIELD_REPORT, "en")
    events = events_for(
        "name=other.example&name=www.sakakitest.dev&server=203.0.113.10",
        transport=FakeTransport(zone_handler(FIELD_ZONE)),
        from_log=True,
    )
    rows = {e["row"]["name"]: e["row"] for e in events if e["event"] == "name"}
    assert rows["other.example"]["cpanel_text"] == ""
    assert rows["www.sakakitest.dev"]["cpanel_text"] == "cPanel said: OK (via sakakitest.dev)"
    browser.forget_log()


def test_the_watch_of_a_check_from_the_log_keeps_cpanels_view_on_the_rows_it_redraws() -> None:
    browser.explain_log(FIELD_REPORT, "en")
    zone = dict(FIELD_ZONE)
    transport = FakeTransport(zone_handler(zone))
    names = "&".join(f"name={name}" for name in FIELD_REPORT_NAMES)
    query = f"{names}&server=203.0.113.10"
    watched: list[str] = []

    async def go() -> None:
        await run_from_query(query, "en", lambda _: None, transport=transport, from_log=True)
        zone.update({name: {"A": ["203.0.113.10"]} for name in FIELD_REPORT_NAMES})
        await browser.watch_from_query(
            query, "en", watched.append, transport=transport, time_scale=0.001
        )

    asyncio.run(go())
    browser.forget_log()
    rows = {e["row"]["name"]: e["row"] for e in map(json.loads, watched) if e["event"] == "name"}
    assert rows["www.sakakitest.dev"]["status"] == "ok"
    assert rows["www.sakakitest.dev"]["cpanel_text"] == "cPanel said: OK (via sakakitest.dev)"
    assert len(rows) == len(FIELD_REPORT_NAMES) - 1  # every name but the one already fine
