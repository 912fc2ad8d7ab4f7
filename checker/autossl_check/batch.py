"""Check exactly what cPanel ordered: the names of an AutoSSL log or of cPanel's domain list.

Accounts are read one at a time (`autossl_log.LogStream`, `domain_info.DomainInfoStream`), a few
are checked at once, and each account's result is written as soon as it is finished, so memory
stays bounded whatever the size of the server. Queries to each resolver are paced
(`PacedTransport`). One account reads as a normal check; many accounts stream JSON Lines (`--json`)
or end with a summary table and the exclude commands per user.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from . import texts
from .autossl_log import AccountLog, LogStream, NameResult, file_chunks
from .domain_info import Account, DomainInfoStream
from .engine import build_request, run_check
from .model import (
    CheckRequest,
    CheckResult,
    Fact,
    InputError,
    PlannedName,
    Rule,
    Verdict,
    Why,
)
from .names import MAX_CHECK_NAMES
from .report import commands, to_json, to_markdown, to_text
from .transport import HttpReply, Transport

DEFAULT_RATE = 50.0  # queries per second per resolver; Google publishes 1,500 per address
MAX_RATE = 1500.0
ACCOUNTS_AT_ONCE = 8  # keeps the paced queue full while some accounts wait on answers
QUERIES_PER_NAME = 5  # A, AAAA and about three CAA nodes: for the deadline estimate


class BatchInputError(Exception):
    """The log or domain list could not be read: a key of texts.LOG_ERRORS and its params."""

    def __init__(self, key: str, params: dict[str, str]) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(slots=True)
class AccountPlan:
    """One account's names as cPanel groups them, with cPanel's own view of each name."""

    user: str | None
    planned: list[PlannedName]
    websites: list[tuple[str, list[str]]]
    servers: tuple[str, ...] = ()
    cpanel: dict[str, NameResult] = field(default_factory=dict)


def plans_from_log(chunks: Iterable[bytes | str], user: str | None) -> Iterator[AccountPlan]:
    """Each account of the log with the names it mentions (less the excluded), log order."""
    stream = LogStream(chunks)
    for account in stream:
        if user is not None and account.user != user:
            continue
        plan = _log_plan(account)
        if plan.planned:
            yield plan
    if stream.error:
        raise BatchInputError(stream.error, stream.error_params)
    if stream.nothing_recognised:
        raise BatchInputError("nothing_recognised", {})


def _log_plan(account: AccountLog) -> AccountPlan:
    websites: dict[str, list[str]] = {}
    planned: list[PlannedName] = []
    cpanel: dict[str, NameResult] = {}
    for website, result in account.all_names():
        if result.excluded or result.name in cpanel:
            continue
        cpanel[result.name] = result
        planned.append(PlannedName(result.name, Why(Rule.LOGGED)))
        websites.setdefault(website or result.name, []).append(result.name)
    return AccountPlan(account.user, planned, list(websites.items()), cpanel=cpanel)


def plans_from_domain_info(
    chunks: Iterable[bytes | str], user: str | None
) -> Iterator[AccountPlan]:
    stream = DomainInfoStream(chunks, user=user)
    for account in stream:
        plan = _domain_plan(account)
        if plan.planned:
            yield plan
    if stream.error:
        raise BatchInputError(stream.error, stream.error_params)


def _domain_plan(account: Account) -> AccountPlan:
    planned: dict[str, PlannedName] = {}
    websites = []
    servers: list[str] = []
    for site in account.websites:
        websites.append((site.name, [item.name for item in site.names]))
        for item in site.names:
            planned.setdefault(item.name, item)
        servers += [a for a in (site.ipv4, site.ipv6) if a and a not in servers]
    return AccountPlan(account.user, list(planned.values()), websites, tuple(servers))


def cpanel_notes(result: NameResult | None) -> tuple[Fact, ...]:
    """cPanel's own HTTP check of a name, to read beside the public answer."""
    if result is None or result.local_http is None:
        return ()
    if result.local_http == "ok" and result.local_http_via:
        return (Fact("cpanel.http_ok_via", {"via": result.local_http_via}),)
    if result.local_http == "ok":
        return (Fact("cpanel.http_ok", {}),)
    return (Fact("cpanel.http_error", {"reason": result.local_http_reason or ""}),)


def cpanel_json(result: NameResult | None) -> dict[str, str]:
    if result is None:
        return {}
    found = {
        "http": result.local_http,
        "http_via": result.local_http_via,
        "http_reason": result.local_http_reason,
        "dns": result.local_dns,
        "dns_via": result.local_dns_via,
        "provider_dcv": result.provider_dcv,
    }
    return {key: value for key, value in found.items() if value is not None}


class PacedTransport:
    """At most `rate` queries per second to each resolver (its URL before the `?`)."""

    def __init__(self, transport: Transport, rate: float) -> None:
        self._transport = transport
        self._interval = 1.0 / rate
        self._next: dict[str, float] = {}
        self.sent = 0

    async def __call__(self, url: str, accept: str) -> HttpReply:
        resolver = url.partition("?")[0]
        now = time.monotonic()
        slot = max(now, self._next.get(resolver, now))
        self._next[resolver] = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)
        self.sent += 1
        return await self._transport(url, accept)


class Progress:
    """One line on stderr, rewritten: names done / total, rate, time left (a terminal only)."""

    def __init__(self, stream: TextIO, lang: str) -> None:
        self._stream = stream
        self._lang = lang
        self._started = time.monotonic()
        self._shown = 0.0
        self.total = 0
        self.done = 0

    def update(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._shown < 0.5:
            return
        self._shown = now
        elapsed = max(now - self._started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        line = texts.label(
            "batch.progress",
            self._lang,
            done=str(self.done),
            total=str(self.total),
            rate=f"{rate:.0f}",
            left=f"{left:.0f}",
        )
        self._stream.write(f"\r{line}\x1b[K")
        self._stream.flush()

    def close(self) -> None:
        self._stream.write("\r\x1b[K")
        self._stream.flush()


@dataclass(slots=True)
class BatchOptions:
    resolvers: Sequence[str]
    provider: str
    lang: str
    output: str  # text | json | markdown
    rate: float = DEFAULT_RATE
    timeout: float = 15.0
    max_in_flight: int = 32
    docs_url: str = ""


def _request(plan: AccountPlan, options: BatchOptions) -> CheckRequest:
    # The deadline grows with the account: its queries leave at the paced rate, shared with the
    # other accounts in flight.
    queries = len(plan.planned) * QUERIES_PER_NAME * ACCOUNTS_AT_ONCE
    timeout = min(600.0, options.timeout + queries / options.rate)
    return build_request(
        plan.planned[0].name,
        servers=plan.servers,
        provider=options.provider,
        resolvers=options.resolvers,
        any_https_resolver=True,
        timeout=timeout,
        max_in_flight=options.max_in_flight,
    )


def account_json(plan: AccountPlan, result: CheckResult) -> dict[str, Any]:
    """Schema 1 with additive fields: `user`, `websites`, and `cpanel` on each name."""
    document = to_json(result)
    for entry in document["names"]:
        found = cpanel_json(plan.cpanel.get(entry["name"]))
        if found:
            entry["cpanel"] = found
    document["user"] = plan.user
    document["websites"] = [{"name": name, "names": names} for name, names in plan.websites]
    return document


def _with_user(text: str, user: str | None) -> str:
    if not user:
        return text
    return text.replace("--user=USER ", f"--user={user} ").replace(
        "username=USER ", f"username={user} "
    )


class BatchWriter:
    """Writes accounts as they finish: one account as a normal report, many as JSON Lines or
    reports followed by a summary table."""

    def __init__(self, out: IO[str], options: BatchOptions) -> None:
        self._out = out
        self._options = options
        self._held: tuple[AccountPlan, CheckResult] | None = None
        self.many = False
        self.summary: list[tuple[str, int, Verdict, CheckResult]] = []

    def add(self, plan: AccountPlan, result: CheckResult) -> None:
        self.summary.append((plan.user or "", len(result.rows), result.verdict, result))
        if not self.many and self._held is None:
            self._held = (plan, result)
            return
        if self._held is not None:
            held, self._held = self._held, None
            self.many = True
            self._write(*held)
        self._write(plan, result)

    def finish(self) -> None:
        if self._held is not None:
            self._write(*self._held, single=True)
            self._held = None
        elif self.many and self._options.output == "text":
            self._out.write(self._summary_text())
        self._out.flush()

    def _write(self, plan: AccountPlan, result: CheckResult, single: bool = False) -> None:
        lang, output = self._options.lang, self._options.output
        if output == "json":
            document = account_json(plan, result)
            if single:
                self._out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
            else:
                self._out.write(json.dumps(document, ensure_ascii=False) + "\n")
        elif output == "markdown":
            self._out.write(
                _with_user(to_markdown(result, lang, docs_base=self._options.docs_url), plan.user)
            )
        else:
            if plan.user and not single:
                self._out.write(texts.label("batch.account", lang, user=plan.user) + "\n")
            self._out.write(_with_user(to_text(result, lang), plan.user))
            if not single:
                self._out.write("\n")
        self._out.flush()

    def _summary_text(self) -> str:
        lang = self._options.lang
        lines = ["", texts.label("batch.summary", lang)]
        width = max([len(user) for user, *_ in self.summary] + [4])
        for user, count, verdict, _result in self.summary:
            lines.append(f"{user:<{width}}  {count:>6}  {texts.verdict_text(verdict, lang)}")
        excluded = [(user, result) for user, _c, _v, result in self.summary if result.exclude]
        if excluded:
            lines += ["", texts.label("batch.exclude", lang)]
            for user, result in excluded:
                lines.append(_with_user(commands(result)["whmapi1"], user or None))
        return "\n".join(lines) + "\n"


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    found = set(verdicts)
    for verdict in (Verdict.ACTION_NEEDED, Verdict.INCONCLUSIVE):
        if verdict in found:
            return verdict
    return Verdict.OK


async def run_batch(
    plans: Iterable[AccountPlan],
    transport: Transport,
    writer: BatchWriter,
    options: BatchOptions,
    progress: Progress | None = None,
) -> Verdict:
    """Check each account (a few at once), writing each as it finishes; the worst verdict."""
    paced = PacedTransport(transport, options.rate)
    slots = asyncio.Semaphore(ACCOUNTS_AT_ONCE)
    running: set[asyncio.Task[None]] = set()
    verdicts: list[Verdict] = []

    async def check(plan: AccountPlan) -> None:
        try:

            def on_row(row: Any) -> None:
                if progress is not None:
                    progress.done += 1
                    progress.update()

            result = await run_check(
                _request(plan, options),
                paced,
                on_row=on_row,
                planned=plan.planned,
                websites=plan.websites,
            )
            result = _with_cpanel_notes(result, plan)
            verdicts.append(result.verdict)
            if progress is not None:
                progress.close()
            writer.add(plan, result)
        finally:
            slots.release()

    for plan in plans:
        if len(plan.planned) > MAX_CHECK_NAMES:
            raise InputError("too_many_names", limit=MAX_CHECK_NAMES)
        await slots.acquire()
        if progress is not None:
            progress.total += len(plan.planned)
        task = asyncio.ensure_future(check(plan))
        running.add(task)
        task.add_done_callback(running.discard)
        for done in [t for t in running if t.done()]:
            done.result()
    while running:
        await asyncio.gather(*list(running))
    writer.finish()
    return worst(verdicts)


def _with_cpanel_notes(result: CheckResult, plan: AccountPlan) -> CheckResult:
    if not plan.cpanel:
        return result
    import dataclasses

    rows = tuple(
        dataclasses.replace(row, notes=(*cpanel_notes(plan.cpanel.get(row.name)), *row.notes))
        for row in result.rows
    )
    return dataclasses.replace(result, rows=rows)


def open_input(path: str) -> tuple[Iterable[bytes], Callable[[], None]]:
    """Chunks of a file, or of standard input for `-`; and how to close it."""
    if path == "-":
        return file_chunks(sys.stdin.buffer), lambda: None
    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller when the run ends
    return file_chunks(handle), handle.close
