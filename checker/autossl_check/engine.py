"""One check: build the request, plan the names, ask every resolver concurrently, evaluate.

Each distinct (resolver, name, type) is asked once per check, CAA nodes included, so names that
share ancestors share their CAA lookups. Queries run concurrently under a cap, a failed query is
retried once when a retry can help, and a hard deadline ends the check whatever happens. Rows are
handed to `on_row` as they are evaluated; turning them into text or JSON is report.py's job.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from . import defaults
from .caa import caa_nodes
from .inputs import parse_resolver, parse_server
from .model import (
    FAILURES_WITH_CAUSE,
    Answer,
    CheckRequest,
    CheckResult,
    FailureKind,
    InputError,
    LookupFailure,
    NameRow,
    Outcome,
    PlannedName,
    Provider,
    ResolverId,
)
from .names import MAX_NAMES, group_by_website, over_limit, plan_names
from .transport import DNS_MESSAGE, Transport, TransportError
from .wire import build_query, query_url, read_reply

if TYPE_CHECKING:
    from .watch import NameState

# findings (and random) are imported where first needed, once answers are in: the CLI's first
# queries leave sooner, and meanwhile it imports them itself (cli._load_for_answers).

MAX_RETRY_AFTER = 1.0  # a resolver asking for a longer pause gets no retry within one check
BACKOFF_RANGE = (0.1, 0.3)

T = TypeVar("T")
RowSink = Callable[[NameRow], object]
Lookup = Callable[[ResolverId, str, str], Outcome]

# The transport's words for a request that got no reply, as the model's failure kinds.
TRANSPORT_FAILURES = {
    "closed": FailureKind.CLOSED,
    "refused": FailureKind.REFUSED,
    "tls": FailureKind.TLS,
    "network": FailureKind.NETWORK,
    "proxy": FailureKind.PROXY,
    "too_large": FailureKind.TOO_LARGE,
    "blocked": FailureKind.BLOCKED,
}


def start_now(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """A task that runs `coro` at once up to its first wait, not in a later turn of the loop.

    So every query of a check is handed to the transport before the engine gives control back.
    In the page each turn of Pyodide's event loop is a browser task of its own, and answers that
    come in meanwhile are read between them: started one turn each, a check's queries left over
    100 ms and more (Python 3.11 has no eager tasks and keeps the turns).
    """
    if sys.version_info >= (3, 12):
        return asyncio.eager_task_factory(asyncio.get_running_loop(), coro)
    return asyncio.ensure_future(coro)


def build_request(
    domain: str,
    *,
    servers: Iterable[str] = (),
    provider: str = defaults.DEFAULT_PROVIDER,
    addons: Iterable[str] = (),
    subdomains: Iterable[str] = (),
    resolvers: Iterable[str] = (),
    any_https_resolver: bool = False,
    service_subdomains: bool = True,
    autodiscover: bool = True,
    reseller: bool = False,
    timeout: float = defaults.DEADLINE_SECONDS,
    query_timeout: float = defaults.QUERY_TIMEOUT_SECONDS,
    max_in_flight: int = defaults.MAX_IN_FLIGHT,
) -> CheckRequest:
    """The one way the CLI and the page turn their parameters into a request.

    `resolvers` are raw values (`google`, `both`, a URL); none means the defaults. Any https
    resolver is accepted only when `any_https_resolver` (the CLI; a link must not choose one).
    Raises `InputError` for anything refused; the domain and names are checked by `plan`.
    """
    if not isinstance(provider, str) or provider.strip().lower() not in defaults.PROVIDERS:
        shown = provider[:40] if isinstance(provider, str) else type(provider).__name__
        raise InputError("provider_unknown", value=ascii(shown)[1:-1])
    limit = defaults.MAX_SECONDS
    if not 0 < timeout <= limit or not 0 < query_timeout <= limit:
        raise InputError("bad_time_limit", limit=limit)
    if not 1 <= max_in_flight <= defaults.MAX_IN_FLIGHT_LIMIT:
        raise InputError("bad_in_flight", limit=defaults.MAX_IN_FLIGHT_LIMIT)
    addresses: list[str] = []
    for value in servers:
        address = parse_server(value).compressed
        if address not in addresses:
            addresses.append(address)
    urls: list[str] = []
    for value in resolvers:
        found = parse_resolver(value, allow_any_https=any_https_resolver) if value.strip() else ()
        urls += [url for url in found if url not in urls]
    return CheckRequest(
        domain=domain,
        servers=tuple(addresses),
        provider=Provider(provider.strip().lower()),
        resolvers=tuple(urls) or defaults.DEFAULT_RESOLVERS,
        service_subdomains=service_subdomains,
        autodiscover=autodiscover,
        reseller=reseller,
        addons=tuple(addons),
        subdomains=tuple(subdomains),
        timeout=timeout,
        query_timeout=min(query_timeout, timeout),
        max_in_flight=max_in_flight,
    )


def plan(request: CheckRequest) -> list[PlannedName]:
    """The names to check. Raises `InputError` for a bad domain or too many names."""
    if not request.resolvers:
        raise InputError("no_resolver")
    return plan_names(
        request.domain,
        service_subdomains=request.service_subdomains,
        autodiscover=request.autodiscover,
        reseller=request.reseller,
        addons=request.addons,
        subdomains=request.subdomains,
    )


class _Queries:
    """Runs and remembers every query of one check."""

    def __init__(self, transport: Transport, request: CheckRequest) -> None:
        self._transport = transport
        self._query_timeout = min(request.query_timeout, request.timeout)
        self._deadline_seconds = request.timeout
        self._loop = asyncio.get_running_loop()
        self.deadline = self._loop.time() + request.timeout  # the whole check's, in loop time
        self.deadline_reached = False
        resolvers = [ResolverId.from_url(url) for url in request.resolvers]
        # One cap per resolver, so a resolver that hangs cannot starve the others' queries.
        self._slots = {r: asyncio.Semaphore(request.max_in_flight) for r in resolvers}
        self._replies = dict.fromkeys(resolvers, 0)
        self._timeouts = dict.fromkeys(resolvers, 0)
        self._tasks: dict[tuple[ResolverId, str, str], asyncio.Task[Outcome]] = {}
        self.sent = 0

    def ask(self, resolver: ResolverId, name: str, rdtype: str) -> asyncio.Task[Outcome]:
        key = (resolver, name, rdtype)
        task = self._tasks.get(key)
        if task is None:
            task = start_now(self._ask(resolver, name, rdtype))
            self._tasks[key] = task
        return task

    def result(self, resolver: ResolverId, name: str, rdtype: str) -> Outcome:
        """The outcome if the query finished, else a deadline failure (used after the deadline)."""
        task = self._tasks.get((resolver, name, rdtype))
        if task is not None and task.done() and not task.cancelled():
            return task.result()
        return self._failure(FailureKind.DEADLINE, resolver, self._deadline_seconds)

    async def cancel_all(self) -> None:
        pending = [task for task in self._tasks.values() if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    def _unresponsive(self, resolver: ResolverId) -> bool:
        """Timed out repeatedly and never sent any reply: stop queueing more work for it."""
        return self._timeouts[resolver] >= 2 and self._replies[resolver] == 0

    @staticmethod
    def _failure(kind: FailureKind, resolver: ResolverId, seconds: float) -> LookupFailure:
        return LookupFailure(kind, resolver, (("seconds", seconds),))

    async def _ask(self, resolver: ResolverId, name: str, rdtype: str) -> Outcome:
        first = await self._attempt(resolver, name, rdtype)
        if not isinstance(first, LookupFailure) or not first.retryable:
            return first
        if self._unresponsive(resolver):
            return first
        import random

        pause = random.uniform(*BACKOFF_RANGE)  # noqa: S311 - jitter, not security
        if first.retry_after is not None:
            if first.retry_after > MAX_RETRY_AFTER:
                return first
            pause = max(pause, first.retry_after)
        await asyncio.sleep(pause)
        second = await self._attempt(resolver, name, rdtype)
        return second.again() if isinstance(second, LookupFailure) else second

    async def _attempt(self, resolver: ResolverId, name: str, rdtype: str) -> Outcome:
        url = query_url(resolver.url, build_query(name, rdtype))
        async with self._slots[resolver]:
            if self._unresponsive(resolver):
                return self._failure(FailureKind.UNRESPONSIVE, resolver, self._query_timeout)
            self.sent += 1
            # A query never waits past the check's deadline. Cut short by it, the query says so
            # itself, whichever of the two timers the loop happens to run first.
            limit = min(self._query_timeout, self.deadline - self._loop.time())
            try:
                reply = await asyncio.wait_for(self._transport(url, DNS_MESSAGE), timeout=limit)
            except TimeoutError:
                if limit < self._query_timeout:
                    self.deadline_reached = True
                    return self._failure(FailureKind.DEADLINE, resolver, self._deadline_seconds)
                self._timeouts[resolver] += 1
                return self._failure(FailureKind.TIMEOUT, resolver, self._query_timeout)
            except TransportError as error:
                if error.kind == "timeout":
                    self._timeouts[resolver] += 1
                    return self._failure(FailureKind.TIMEOUT, resolver, self._query_timeout)
                return _transport_failure(resolver, error)
            except Exception as error:  # a transport bug must cost one lookup, not the check
                return _internal(resolver, error)
            self._replies[resolver] += 1
        return read_reply(reply, name, rdtype, resolver)


def _transport_failure(resolver: ResolverId, error: TransportError) -> LookupFailure:
    kind = TRANSPORT_FAILURES.get(error.kind)
    if kind is None:
        return LookupFailure(FailureKind.INTERNAL, resolver, (("error", error.kind[:40]),))
    cause = error.detail[:120] if kind in FAILURES_WITH_CAUSE else ""
    return LookupFailure(kind, resolver, cause=cause)


def _internal(resolver: ResolverId, error: Exception) -> LookupFailure:
    return LookupFailure(FailureKind.INTERNAL, resolver, (("error", type(error).__name__),))


def with_cache_facts(row: NameRow, resolvers: Sequence[ResolverId], lookup: Lookup) -> NameRow:
    """`row` with the zone its records belong in and how long its answers stay cached.

    The zone is an SOA owner from the name's own answers (A, AAAA, CAA at the name); after a
    CNAME the SOA is the target's, so it says nothing about the name. The cache time is the
    longest TTL among the answers that decided: A and AAAA, and for a CAA finding the CAA
    answers from the name up to the node that refused (the nodes above were never read).
    """
    own: list[Answer] = []
    for resolver in resolvers:
        for rdtype in ("A", "AAAA"):
            outcome = lookup(resolver, row.name, rdtype)
            if isinstance(outcome, Answer):
                own.append(outcome)
    caa_at_name = [lookup(resolver, row.name, "CAA") for resolver in resolvers]
    zone = next(
        (
            answer.zone
            for answer in [*own, *caa_at_name]
            if isinstance(answer, Answer) and answer.zone and not answer.cname
        ),
        "",
    )
    ttls = [answer.ttl for answer in own if answer.ttl is not None]
    deciding_node, _records = row.deciding_caa
    if deciding_node:
        for resolver in resolvers:
            for node in caa_nodes(row.name):
                outcome = lookup(resolver, node, "CAA")
                if isinstance(outcome, Answer) and outcome.ttl is not None:
                    ttls.append(outcome.ttl)
                if node == deciding_node:
                    break
    return dataclasses.replace(row, zone=zone, ttl=max(ttls) if ttls else None)


async def run_check(
    request: CheckRequest,
    transport: Transport,
    *,
    on_row: RowSink | None = None,
    planned: Sequence[PlannedName] | None = None,
    websites: Sequence[tuple[str, Sequence[str]]] | None = None,
) -> CheckResult:
    """Run one check. Raises `InputError` only for a bad request, before any query is sent.

    `on_row` gets each name's row as soon as it is evaluated. `websites` groups the names as
    AutoSSL does (website, its names in order); by default as typed names group.
    """
    names = list(planned) if planned is not None else plan(request)
    apex = names[0].name
    if websites is None:
        websites = group_by_website(names, apex)
    past_limit = over_limit(websites)
    resolvers = [ResolverId.from_url(url) for url in request.resolvers]
    given_servers = list(request.servers)
    server_source = "given" if given_servers else "apex"
    deliver = on_row or (lambda row: None)

    queries = _Queries(transport, request)
    servers_known = asyncio.get_running_loop().create_future()

    def start_name(item: PlannedName) -> list[asyncio.Task[Outcome]]:
        tasks = []
        for resolver in resolvers:
            tasks.append(queries.ask(resolver, item.name, "A"))
            tasks.append(queries.ask(resolver, item.name, "AAAA"))
            # All ancestors at once: the walk reads them in order, and siblings share them.
            tasks += [queries.ask(resolver, node, "CAA") for node in caa_nodes(item.name)]
        return tasks

    async def settle_servers() -> None:
        if given_servers:
            servers_known.set_result(given_servers)
            return
        apex_tasks = [queries.ask(r, apex, t) for r in resolvers for t in ("A", "AAAA")]
        await asyncio.gather(*apex_tasks)
        from . import findings

        servers_known.set_result(findings.server_addresses(resolvers, apex, queries.result))

    rows: dict[str, NameRow] = {}

    def evaluate(item: PlannedName, servers: Sequence[str]) -> None:
        from . import findings

        row = findings.evaluate_name(item, resolvers, queries.result, servers, request.provider)
        if item.name in past_limit:
            website, count = past_limit[item.name]
            row = findings.past_max_domains(row, website, count, MAX_NAMES)
        row = with_cache_facts(row, resolvers, queries.result)
        rows[item.name] = row
        deliver(row)

    async def check_name(item: PlannedName) -> None:
        await asyncio.gather(*start_name(item))
        evaluate(item, await asyncio.shield(servers_known))

    server_task = start_now(settle_servers())
    name_tasks = [start_now(check_name(item)) for item in names]
    _done, pending = await asyncio.wait(
        [server_task, *name_tasks],
        timeout=max(0.0, queries.deadline - asyncio.get_running_loop().time()),
        return_when=asyncio.ALL_COMPLETED,
    )
    deadline_hit = bool(pending) or queries.deadline_reached
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    await queries.cancel_all()
    for task in (server_task, *name_tasks):
        failure = task.exception() if task.done() and not task.cancelled() else None
        if failure is not None:
            raise failure

    from . import findings

    if servers_known.done():
        servers = servers_known.result()
    elif given_servers:
        servers = given_servers
    else:
        servers = findings.server_addresses(resolvers, apex, queries.result)
    for item in names:
        if item.name not in rows:
            evaluate(item, servers)

    return CheckResult(
        domain=apex,
        servers=tuple(servers),
        server_source=server_source,
        provider=request.provider,
        resolvers=tuple(resolvers),
        rows=tuple(rows[item.name] for item in names),
        queries=queries.sent,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        deadline_hit=deadline_hit,
    )


class Rechecker:
    """Checks some names of an earlier check again, for the watch; keeps every name's latest row.

    The server addresses are the earlier check's, so a re-check asks only the names themselves
    (their A, AAAA and CAA), with the very same query bytes (ID 0) as before.
    """

    def __init__(self, request: CheckRequest, first: CheckResult, transport: Transport) -> None:
        self._request = dataclasses.replace(request, servers=first.servers)
        self._transport = transport
        self._planned = {row.name: PlannedName(row.name, row.why) for row in first.rows}
        self.rows = {row.name: row for row in first.rows}

    async def __call__(self, names: list[str]) -> list[NameState]:
        """`watch.CheckNames`: the names' new states."""
        from .watch import state_of

        planned = [self._planned[name] for name in names if name in self._planned]
        if not planned:
            return []
        result = await run_check(self._request, self._transport, planned=planned)
        self.rows.update((row.name, row) for row in result.rows)
        return [state_of(row) for row in result.rows]
