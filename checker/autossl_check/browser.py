"""The page's facade: a permalink's query string in, JSON events out.

The Web Worker calls `run_from_query(location.search, lang, emit)`. Every parameter is validated
here, so a link written by a stranger can only start a check against a known resolver, or show a
one-line refusal. Every word the page shows for a check comes from here, in the reader's language.
Events (each passed to `emit` as JSON text):

    {"event": "plan", "names": [{"name", "why", "why_text"}], "server": [...], "server_source"}
    {"event": "name", "row": {"name", "why", "why_text", "ok", "status", "status_text", "codes",
                              "a", "aaaa", "cname", "notes": [str],
                              "findings": [{"code", "title", "text", "anchor"}]}}
    {"event": "done", "result": <schema 1 + "records">, "verdict", "verdict_text", "markdown",
     "advice": [{"key", "text"}], "commands": {"uapi", "whmapi1"}, "exclude": [...],
     "records": {"title", "text", "rows": [<an entry of "records">]}}
    {"event": "error", "message": str}

`status` is "ok", "problem" or "failed" (only lookups failed); `verdict_text` is the sentence the
Markdown block shows. When some name fails, "done" also carries "watch": {"label"} (the Watch
button's words), else "watch" is null.

The watch: `watch_from_query(query, lang, emit)` follows the last check of the same query (see
watch.py: each failing name is asked again once resolvers' cached answer expires, with the same
query bytes) until every name is fine, its time is up, or `stop_watch()` is called. Events:

    {"event": "name", "row": ...}   (a name whose answer changed, as above)
    {"event": "watch", "state": "watching" | "done" | "ended", "title": str,
     "names": [{"name", "text"}], "notify": str}   (every second, and at the end; "notify" is
     the desktop notification's words once every name is fine, else ""; the last one also
     carries "verdict" and "verdict_text" for the rows as they are then)
    {"event": "error", "message": str}   (no such check to follow)

Links with `name=`: the check is exactly those names (each validated as a typed domain is,
nothing added), `domain=` may be left out, and `addon=`/`subdomain=` are refused with them
(the Service subdomains, autodiscover and reseller flags add nothing then). AutoSSL groups
names by website (virtual host), which the names alone do not say: a name is counted with the
website `rest` when it is a label AutoSSL adds (www., mail., the service labels) in front of
another listed name `rest`, else as a website of its own (names.group_listed_names). So the main
domain, each addon domain and each subdomain is its own website, as in AutoSSL; a parked
domain counts apart from the website it belongs to, so a website past AutoSSL's 100 names may
go unflagged, never the other way round. One link lists at most MAX_LINK_NAMES names.

A pasted AutoSSL log: `explain_log(text, lang)` returns log_view's summary as JSON text (the
exact names, the counts of lines, the first page of lines explained); `log_lines(start, count,
show, lang)` the next pages. The page then checks those names through a `name=` link, so the
log is never needed again. The last log read stays here: a check run with `from_log=True` (the
page asks so while that log is shown) sets cPanel's own result for each of its names beside the
public one, as `--from-log` does: a row's "notes" start with cPanel's facts and the row carries
"cpanel_text", the short words for its status cell. A link opened without the log has neither.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from . import defaults, texts
from .inputs import MAX_PARAM_CHARS, normalise_domain, parse_resolver, parse_server
from .model import (
    CheckRequest,
    CheckResult,
    InputError,
    NameRow,
    PlannedName,
    Rule,
    Subject,
    Why,
)
from .names import group_listed_names
from .page_policy import ResolverPolicy, built
from .transport import HttpReply, Transport

MAX_QUERY_CHARS = 16_384
# A link of names (name=) is bounded by what an address bar carries well, not by AutoSSL: the
# 100 names per website are flagged as in any check. A whole server goes through the CLI.
MAX_LINK_NAMES = 300
MAX_FIELDS = MAX_LINK_NAMES + 40
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter a checker link may carry; the guide's table is made from these."""

    name: str
    repeatable: bool = False
    values: tuple[str, ...] = ()  # the words it takes (none: free text, or a yes/no flag)
    default: str = ""  # the value that means the same as leaving it out ("": no such value)


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("domain"),
    Parameter("server", repeatable=True),
    Parameter("provider", values=defaults.PROVIDERS, default=defaults.DEFAULT_PROVIDER),
    Parameter("name", repeatable=True),
    Parameter("addon", repeatable=True),
    Parameter("subdomain", repeatable=True),
    Parameter("reseller", default="0"),
    Parameter("service", default="1"),
    Parameter("autodiscover", default="1"),
    Parameter(
        "resolver", repeatable=True, values=(*defaults.KNOWN_RESOLVERS, "both"), default="both"
    ),
)
SINGLE = tuple(parameter.name for parameter in PARAMETERS if not parameter.repeatable)
REPEATABLE = tuple(parameter.name for parameter in PARAMETERS if parameter.repeatable)
PROVIDER_VALUES = defaults.PROVIDERS
# Read once, on import: the build's memory snapshot is taken after it and so carries it too.
BUILT_POLICY = built()


@dataclass(slots=True)
class PageRequest:
    domain: str
    names: list[str] = field(default_factory=list)  # name=: exactly these, normalised
    servers: list[str] = field(default_factory=list)
    provider: str = defaults.DEFAULT_PROVIDER
    addons: list[str] = field(default_factory=list)
    subdomains: list[str] = field(default_factory=list)
    resolvers: tuple[str, ...] = defaults.DEFAULT_RESOLVERS
    reseller: bool = False
    service_subdomains: bool = True
    autodiscover: bool = True


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise InputError("param_bad_value", name=name, value=_short(value))


def _short(value: str) -> str:
    shown = value[:40] + ("…" if len(value) > 40 else "")
    return shown if shown.isprintable() else ascii(shown)[1:-1]


def parse_query(query: str, *, policy: ResolverPolicy = BUILT_POLICY) -> PageRequest:
    """Validate a permalink query string. Unknown parameter names (utm_… and the like) are
    ignored; unknown values of known parameters are refused, and so is a link naming any
    resolver the build's `policy` does not admit. Every `resolver` value is used."""
    if not isinstance(query, str):
        raise InputError("link_unreadable")
    raw = query[1:] if query.startswith("?") else query
    if len(raw) > MAX_QUERY_CHARS:
        raise InputError("link_too_long", length=len(raw), limit=MAX_QUERY_CHARS)
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise InputError("link_unreadable") from None
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        if key in SINGLE or key in REPEATABLE:
            if len(value) > MAX_PARAM_CHARS:
                raise InputError(
                    "too_long_raw", what=Subject.LINK, length=len(value), limit=MAX_PARAM_CHARS
                )
            values.setdefault(key, []).append(value)
    for key in SINGLE:
        if len(values.get(key, [])) > 1:
            raise InputError("param_repeated", value=key)

    def single(key: str) -> str | None:
        found = values.get(key)
        return found[0] if found else None

    domain = (single("domain") or "").strip()
    names = _link_names(values.get("name", []))
    if names:
        for refused in ("addon", "subdomain"):
            if any(v.strip() for v in values.get(refused, [])):
                raise InputError("link_names_with", param="name", value=refused)
        domain = normalise_domain(domain) if domain else names[0]
        if domain in names:  # the check reads the server's addresses from its first name
            names.remove(domain)
            names.insert(0, domain)
    if not domain:
        raise InputError("domain_missing")
    request = PageRequest(domain=domain, names=names)
    provider = single("provider")
    if provider is not None:
        if provider.strip().lower() not in PROVIDER_VALUES:
            raise InputError("param_bad_value", name="provider", value=_short(provider))
        request.provider = provider.strip().lower()
    for key, attribute in (
        ("reseller", "reseller"),
        ("service", "service_subdomains"),
        ("autodiscover", "autodiscover"),
    ):
        flag = single(key)
        if flag is not None:
            setattr(request, attribute, _flag(key, flag))
    request.servers = [v for v in values.get("server", []) if v.strip()]
    for server in request.servers:
        parse_server(server)
    request.addons = [v for v in values.get("addon", []) if v.strip()]
    request.subdomains = [v for v in values.get("subdomain", []) if v.strip()]
    resolvers: list[str] = []
    for value in values.get("resolver", []):
        for url in parse_resolver(value, allow_any_https=False) if value.strip() else ():
            if not policy.admits(url):
                raise InputError("resolver_unknown", value=_short(value))
            if url not in resolvers:
                resolvers.append(url)
    if resolvers:
        request.resolvers = tuple(resolvers)
    return request


def _link_names(values: list[str]) -> list[str]:
    """The name= values, each validated as a typed domain is, without repeats."""
    names: list[str] = []
    for value in values:
        if value.strip():
            name = normalise_domain(value, what=Subject.NAME)
            if name not in names:
                names.append(name)
    if len(names) > MAX_LINK_NAMES:
        raise InputError("link_too_many_names", count=len(names), limit=MAX_LINK_NAMES)
    return names


if TYPE_CHECKING:
    from .log_view import ExplainedLog

_last_log: list[ExplainedLog] = []  # the log the reader pasted last (one at most)


def explain_log(text: str, lang: str) -> str:
    """A pasted AutoSSL log explained for the page (log_view's summary as JSON); never raises.
    The log is kept for `log_lines` and for the next checks of its names."""
    from .log_view import ExplainedLog

    lang = texts.normalise_lang(lang)
    _last_log.clear()
    explained = ExplainedLog.read(text)
    _last_log.append(explained)
    return json.dumps(explained.summary(lang), ensure_ascii=False)


def log_lines(start: int, count: int, show: str, lang: str) -> str:
    """The next lines of the last log explained (log_view's page as JSON; `count` 0 asks for a
    whole page); never raises."""
    from .log_view import PAGE_LINES, SHOW_ALL, ExplainedLog

    lang = texts.normalise_lang(lang)
    explained = _last_log[0] if _last_log else ExplainedLog.read("")
    count = _whole(count) or PAGE_LINES  # 0: as many as one page holds
    page = explained.page(_whole(start), count, str(show or SHOW_ALL), lang)
    return json.dumps(page, ensure_ascii=False)


def forget_log() -> None:
    """The pasted log no longer stands beside the checks (the page left it)."""
    _last_log.clear()


def _whole(value: object) -> int:
    """A count or position from the page: a number, else 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0
    return int(max(0.0, min(float(value), 1e9)))


def _cpanel_view_of(result: CheckResult) -> Callable[[NameRow], NameRow]:
    """A re-checked row with the cPanel facts its name had in `result` (the watch)."""
    import dataclasses

    facts = {
        row.name: tuple(f for f in row.notes if f.key.startswith("cpanel.")) for row in result.rows
    }

    def keep(row: NameRow) -> NameRow:
        kept = facts.get(row.name, ())
        if not kept or any(f.key.startswith("cpanel.") for f in row.notes):
            return row
        return dataclasses.replace(row, notes=(*kept, *row.notes))

    return keep


def _with_cpanel_view(row: NameRow) -> NameRow:
    """The row with cPanel's own result for its name first among its notes."""
    import dataclasses

    from .batch import cpanel_notes

    facts = cpanel_notes(_last_log[0].cpanel.get(row.name)) if _last_log else ()
    return dataclasses.replace(row, notes=(*facts, *row.notes)) if facts else row


Emit = Callable[[str], object]


def prepare() -> None:
    """Load now everything a check imports on its way (dnspython and the record classes of
    answers included, and the fetch transport under Pyodide), e.g. right after the runtime boots
    while the page is still opening, so the first check pays for none of it.
    `import autossl_check.browser` alone stays light.
    The page also calls it after restoring the snapshot the site build takes right after this
    function ran (see tools/site_hooks/make_snapshot.mjs): everything is loaded by then, and the
    reseed gives each reader's retry jitter its own sequence instead of the build's."""
    import random

    # batch and log_view: a pasted log, and cPanel's view of its names.
    from . import batch, check, engine, findings, log_view, report, zone_records_report  # noqa: F401
    from .known_proxies import cloudflare_ranges
    from .wire import load_answer_types

    random.seed()
    load_answer_types()
    cloudflare_ranges()  # package data: importlib.resources and zipfile load on the first read
    if sys.platform == "emscripten":
        import pyodide.http  # noqa: F401  (pyodide_transport imports it on its first request)

        from . import pyodide_transport  # noqa: F401


# The warm-up check: a default check of a documentation domain, answered in memory.
WARM_UP_QUERY = "domain=example.com&server=192.0.2.1"
_WARM_UP_ADDRESS = bytes((192, 0, 2, 1))
_WARM_UP_CAA = b"\x00\x05issueletsencrypt.org"  # at example.com only: 0 issue "letsencrypt.org"


async def warm_up() -> None:
    """Run one whole check, every step of it, against answers made up in memory.

    The page calls this once Python is ready and before it says so, unless a check is already
    waiting. A fresh page runs Python's WebAssembly as quickly compiled baseline code until the
    browser has recompiled the hot parts, so the first check used to take about twice as long
    as the next (measured in Chromium: about 400 ms against 200 ms). Nothing leaves the page.
    """
    await run_from_query(WARM_UP_QUERY, "ja", lambda _event: None, transport=_warm_up_transport())


def _warm_up_transport() -> Transport:
    """Under Pyodide the made-up answers arrive as the browser's own Response objects, read by
    the page's transport code (pyodide_transport.fetch_reply), so the warm-up runs that code
    too and only the network is left out; elsewhere (the tests) they are replies at once."""
    if sys.platform != "emscripten":
        return _made_up_answer
    from js import Object, Response
    from pyodide.ffi import to_js

    from .pyodide_transport import fetch_reply

    async def made_up_response(url: str, _options: Any) -> Any:
        reply = await _made_up_answer(url, "")
        init = {"status": reply.status, "headers": {"Content-Type": reply.content_type}}
        return Response.new(to_js(reply.body), to_js(init, dict_converter=Object.fromEntries))

    async def transport(url: str, accept: str) -> HttpReply:
        return await fetch_reply(made_up_response, url, accept)

    return transport


async def _made_up_answer(url: str, accept: str) -> HttpReply:
    """A NOERROR reply to the query in `url`: an A record for every name, a CAA set at the
    apex, nothing else (NODATA). Written byte by byte: the reply is parsed as a real one."""
    import base64
    from urllib.parse import parse_qs, urlsplit

    from .transport import DNS_MESSAGE

    encoded = parse_qs(urlsplit(url).query)["dns"][0]
    query = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    end = 12
    while query[end]:
        end += 1 + query[end]
    qname, rdtype = query[12 : end + 1], int.from_bytes(query[end + 1 : end + 3])
    data = {1: _WARM_UP_ADDRESS, 257: _WARM_UP_CAA if qname == b"\x07example\x03com\x00" else b""}
    rdata = data.get(rdtype, b"")
    answers = 1 if rdata else 0
    # ID 0, QR RD RA, NOERROR; one question; the answer (if any) points back at the question.
    header = b"\x00\x00\x81\x80\x00\x01" + answers.to_bytes(2) + b"\x00\x00\x00\x00"
    reply = header + query[12 : end + 5]
    if answers:
        reply += b"\xc0\x0c" + query[end + 1 : end + 5] + (300).to_bytes(4)
        reply += len(rdata).to_bytes(2) + rdata
    return HttpReply(200, DNS_MESSAGE, reply, {"content-type": DNS_MESSAGE})


def request_from(page: PageRequest) -> CheckRequest:
    """The check a link describes, built as the command line builds its own."""
    from .engine import build_request

    return build_request(
        page.domain,
        servers=page.servers,
        provider=page.provider,
        addons=page.addons,
        subdomains=page.subdomains,
        resolvers=page.resolvers,
        any_https_resolver=False,
        service_subdomains=page.service_subdomains,
        autodiscover=page.autodiscover,
        reseller=page.reseller,
    )


async def run_from_query(
    query: str,
    lang: str,
    emit: Emit,
    *,
    transport: Transport | None = None,
    docs_base: str = "",
    policy: ResolverPolicy = BUILT_POLICY,
    from_log: bool = False,
) -> None:
    """Run the check a permalink describes, sending events to `emit`. Never raises for bad
    input or a broken resolver: those end in an "error" event or in findings. The page never
    passes `policy`: the build's own applies (tests of the other build's pass it).
    `from_log`: the page shows the log pasted last; its names get cPanel's view beside theirs."""
    lang = texts.normalise_lang(lang)
    with_cpanel = _with_cpanel_view if from_log else (lambda row: row)

    def send(event: dict[str, Any]) -> None:
        emit(json.dumps(event, ensure_ascii=False))

    try:
        import dataclasses

        from .engine import plan, run_check

        page = parse_query(query, policy=policy)
        request = request_from(page)
        if page.names:
            planned = [PlannedName(name, Why(Rule.NAMED)) for name in page.names]
            websites: list[tuple[str, list[str]]] | None = group_listed_names(page.names)
        else:
            planned, websites = plan(request), None
    except InputError as error:
        send({"event": "error", "message": texts.input_error_text(error, lang)})
        return

    if transport is None:
        from .pyodide_transport import pyodide_transport

        transport = pyodide_transport

    from . import report, zone_records_report

    send(
        {
            "event": "plan",
            "names": [report.plan_entry(item, lang) for item in planned],
            "server": list(request.servers),
            "server_source": "given" if request.servers else "apex",
        }
    )
    try:
        result = await run_check(
            request,
            transport,
            planned=planned,
            websites=websites,
            on_row=lambda row: send(
                {"event": "name", "row": report.page_row(with_cpanel(row), lang)}
            ),
        )
        if from_log:
            result = dataclasses.replace(result, rows=tuple(map(with_cpanel, result.rows)))
    except InputError as error:
        send({"event": "error", "message": texts.input_error_text(error, lang)})
        return
    except Exception as error:  # the page must always get an ending, never a silent stop
        message = texts.label("page.internal_error", lang, error=type(error).__name__)
        send({"event": "error", "message": message})
        return
    _last_check.clear()
    _last_check[query] = (request, result)
    send(
        {
            "event": "done",
            "result": zone_records_report.result_json(result),
            "verdict": str(result.verdict),
            "verdict_text": report.verdict_sentence(result, lang),
            "markdown": zone_records_report.result_markdown(result, lang, docs_base=docs_base),
            "advice": [
                {"key": key, "text": text} for key, text in report.advice_items(result, lang)
            ],
            "commands": report.commands(result),
            "exclude": list(result.exclude),
            "records": zone_records_report.page_records(result, lang),
            "watch": _watch_offer(result, lang),
        }
    )


# The last finished check, by its query: the watch follows it with the same request.
_last_check: dict[str, tuple[CheckRequest, CheckResult]] = {}
_watch_generation = 0
WATCH_TICK_SECONDS = 1.0


def _watch_offer(result: CheckResult, lang: str) -> dict[str, str] | None:
    if all(row.ok for row in result.rows):
        return None
    return {"label": texts.after_fix_text("watch_button", lang)}


def stop_watch() -> None:
    """End any running watch before its next query (a new check, or the page going away)."""
    global _watch_generation
    _watch_generation += 1


async def watch_from_query(
    query: str,
    lang: str,
    emit: Emit,
    *,
    transport: Transport | None = None,
    time_scale: float = 1.0,
) -> None:
    """Follow the last check of `query` until every name is fine (see the module's docstring).
    `time_scale` below 1 shortens every wait (the page's tests only)."""
    import asyncio

    from . import report
    from .engine import Rechecker
    from .model import verdict_of
    from .watch import ScaledClock, WatchEvent, state_of, watch
    from .watch_report import page_status

    lang = texts.normalise_lang(lang)

    def send(event: dict[str, Any]) -> None:
        emit(json.dumps(event, ensure_ascii=False))

    last = _last_check.get(query)
    if last is None:
        send({"event": "error", "message": texts.after_fix_text("watch_unavailable", lang)})
        return
    stop_watch()  # one watch at a time
    generation = _watch_generation
    request, result = last
    if transport is None:
        from .pyodide_transport import pyodide_transport

        transport = pyodide_transport
    with_cpanel = _cpanel_view_of(result)  # a check from a pasted log keeps cPanel's words
    clock = ScaledClock(min(1.0, max(time_scale, 0.001)))
    recheck = Rechecker(request, result, transport)
    schedule: list[WatchEvent] = []

    def failing() -> int:
        return sum(not row.ok for row in recheck.rows.values())

    async def recheck_unless_stopped(names: list[str]) -> Any:
        if generation != _watch_generation:
            raise asyncio.CancelledError
        return await recheck(names)

    async def tick() -> None:
        while True:
            if schedule:
                send(page_status("watching", schedule[-1], clock.now(), failing(), lang))
            await asyncio.sleep(WATCH_TICK_SECONDS)

    ticker = asyncio.ensure_future(tick())
    ending = "ended"
    try:
        first = [state_of(row) for row in result.rows]
        async for event in watch(recheck_unless_stopped, first, clock):
            if event.kind == "schedule":
                schedule.append(event)
                send(page_status("watching", event, clock.now(), failing(), lang))
            elif event.change is not None:
                row = with_cpanel(recheck.rows[event.change.name])
                send({"event": "name", "row": report.page_row(row, lang)})
            elif event.kind == "done":
                ending = "done"
    except asyncio.CancelledError:
        if generation == _watch_generation:
            raise
        return  # stopped: the page has moved on and wants no more events
    finally:
        ticker.cancel()
    final = page_status(ending, None, clock.now(), failing(), lang)
    # The verdict of the rows as they are now: the page replaces the check's own with it.
    verdict = verdict_of(recheck.rows.values())
    send({**final, "verdict": str(verdict), "verdict_text": texts.verdict_text(verdict, lang)})
