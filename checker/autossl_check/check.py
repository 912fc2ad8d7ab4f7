"""One check: plan the names, ask every resolver concurrently, evaluate, report as it goes.

Each distinct (resolver, name, type) is asked once per check, CAA nodes included, so names that
share ancestors share their CAA lookups. Queries run concurrently under a cap, a failed query is
retried once when a retry can help, and a hard deadline ends the check whatever happens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .caa import PROVIDERS, caa_nodes
from .inputs import DEFAULT_RESOLVERS, InputError, IPAddress, resolver_label
from .names import PlannedName, plan_names
from .transport import DNS_MESSAGE, Transport, TransportError
from .wire import LookupFailure, Outcome, build_query, query_url, read_reply

if TYPE_CHECKING:
    from .findings import NameRow, Verdict

# findings (and random) are imported where first needed, once answers are in: the CLI's first
# queries leave sooner, and meanwhile it imports them itself (cli._load_for_answers).

DEFAULT_DEADLINE = 15.0
DEFAULT_QUERY_TIMEOUT = 4.0
# 32 lets a default check (about 28 queries) go out in one wave per resolver.
DEFAULT_MAX_IN_FLIGHT = 32
MAX_RETRY_AFTER = 1.0  # a resolver asking for a longer pause gets no retry within one check
BACKOFF_RANGE = (0.1, 0.3)

Event = dict[str, Any]
EventSink = Callable[[Event], object]


@dataclass(frozen=True, slots=True)
class CheckRequest:
    domain: str
    servers: tuple[IPAddress, ...] = ()
    provider: str = "letsencrypt"
    resolvers: tuple[str, ...] = DEFAULT_RESOLVERS
    service_subdomains: bool = True
    autodiscover: bool = True
    reseller: bool = False
    addons: tuple[str, ...] = ()
    subdomains: tuple[str, ...] = ()
    timeout: float = DEFAULT_DEADLINE
    query_timeout: float = DEFAULT_QUERY_TIMEOUT
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT  # per resolver

    def plan(self) -> list[PlannedName]:
        if self.provider not in PROVIDERS:
            raise InputError("provider_unknown", value=ascii(self.provider[:40])[1:-1])
        if not self.resolvers:
            raise InputError("no_resolver")
        if not 0 < self.timeout <= 600 or not 0 < self.query_timeout <= 600:
            raise InputError("bad_time_limit", limit="600")
        if not 1 <= self.max_in_flight <= 256:
            raise InputError("bad_in_flight", limit="256")
        return plan_names(
            self.domain,
            service_subdomains=self.service_subdomains,
            autodiscover=self.autodiscover,
            reseller=self.reseller,
            addons=self.addons,
            subdomains=self.subdomains,
        )


@dataclass(slots=True)
class CheckResult:
    domain: str
    servers: list[str]
    server_source: str  # "given" or "apex"
    provider: str
    resolvers: list[str]
    rows: list[NameRow]
    queries: int
    checked_at: str
    deadline_hit: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        from . import findings

        return findings.verdict(self.rows)

    @property
    def exclude(self) -> list[str]:
        from . import findings

        return findings.exclude(self.rows)


class _Queries:
    """Runs and remembers every query of one check."""

    def __init__(self, transport: Transport, request: CheckRequest) -> None:
        self._transport = transport
        self._query_timeout = min(request.query_timeout, request.timeout)
        self._deadline_seconds = request.timeout
        # One cap per resolver, so a resolver that hangs cannot starve the others' queries.
        self._slots = {r: asyncio.Semaphore(request.max_in_flight) for r in request.resolvers}
        self._replies = dict.fromkeys(request.resolvers, 0)
        self._timeouts = dict.fromkeys(request.resolvers, 0)
        self._tasks: dict[tuple[str, str, str], asyncio.Task[Outcome]] = {}
        self.sent = 0

    def ask(self, resolver: str, name: str, rdtype: str) -> asyncio.Task[Outcome]:
        key = (resolver, name, rdtype)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(self._ask(resolver, name, rdtype))
            self._tasks[key] = task
        return task

    def result(self, resolver: str, name: str, rdtype: str) -> Outcome:
        """The outcome if the query finished, else a deadline failure (used after the deadline)."""
        task = self._tasks.get((resolver, name, rdtype))
        if task is not None and task.done() and not task.cancelled():
            return task.result()
        return LookupFailure("deadline", resolver_label(resolver), _seconds(self._deadline_seconds))

    async def cancel_all(self) -> None:
        pending = [task for task in self._tasks.values() if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    def _unresponsive(self, resolver: str) -> bool:
        """Timed out repeatedly and never sent any reply: stop queueing more work for it."""
        return self._timeouts[resolver] >= 2 and self._replies[resolver] == 0

    async def _ask(self, resolver: str, name: str, rdtype: str) -> Outcome:
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
        if isinstance(second, LookupFailure):
            return LookupFailure(second.kind, second.resolver, second.detail, retried=True)
        return second

    async def _attempt(self, resolver: str, name: str, rdtype: str) -> Outcome:
        label = resolver_label(resolver)
        url = query_url(resolver, build_query(name, rdtype))
        waited = _seconds(self._query_timeout)
        async with self._slots[resolver]:
            if self._unresponsive(resolver):
                return LookupFailure("unresponsive", label, waited)
            self.sent += 1
            try:
                reply = await asyncio.wait_for(
                    self._transport(url, DNS_MESSAGE), timeout=self._query_timeout
                )
            except TimeoutError:
                self._timeouts[resolver] += 1
                return LookupFailure("timeout", label, waited)
            except TransportError as error:
                if error.kind == "timeout":
                    self._timeouts[resolver] += 1
                    return LookupFailure("timeout", label, waited)
                return LookupFailure(error.kind, label, error.detail[:120])
            except Exception as error:  # a transport bug must cost one lookup, not the check
                return LookupFailure("internal", label, type(error).__name__)
            self._replies[resolver] += 1
        return read_reply(reply, name, rdtype, label)


def _seconds(value: float) -> str:
    return f"{value:g}"


def row_dict(row: NameRow) -> dict[str, Any]:
    """A name's entry in schema 1."""
    return {
        "name": row.name,
        "why": row.why,
        "ok": row.ok,
        "codes": row.codes,
        "a": list(row.a),
        "aaaa": list(row.aaaa),
        "cname": list(row.cname),
    }


async def run_check(
    request: CheckRequest,
    transport: Transport,
    *,
    on_event: EventSink | None = None,
    planned: Sequence[PlannedName] | None = None,
    describe: Callable[[NameRow], dict[str, Any]] = row_dict,
) -> CheckResult:
    """Run one check. Raises `InputError` only for a bad request, before any query is sent.

    `on_event` gets plain dicts as things happen; `describe` turns a finished row into the dict
    sent in its "name" event (the page asks for more than schema 1 holds).
    """
    names = list(planned) if planned is not None else request.plan()
    apex = names[0].name
    resolvers = list(request.resolvers)
    given_servers = [address.compressed for address in request.servers]
    server_source = "given" if given_servers else "apex"
    emit = on_event or (lambda event: None)
    emit(
        {
            "event": "plan",
            "names": [{"name": item.name, "why": item.why} for item in names],
            "server": given_servers,
            "server_source": server_source,
        }
    )

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

    async def check_name(item: PlannedName) -> None:
        await asyncio.gather(*start_name(item))
        servers = await asyncio.shield(servers_known)
        from . import findings

        row = findings.evaluate_name(item, resolvers, queries.result, servers, request.provider)
        rows[item.name] = row
        emit({"event": "name", "row": describe(row)})

    server_task = asyncio.ensure_future(settle_servers())
    name_tasks = [asyncio.ensure_future(check_name(item)) for item in names]
    _done, pending = await asyncio.wait(
        [server_task, *name_tasks], timeout=request.timeout, return_when=asyncio.ALL_COMPLETED
    )
    deadline_hit = bool(pending)
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
            row = findings.evaluate_name(item, resolvers, queries.result, servers, request.provider)
            rows[item.name] = row
            emit({"event": "name", "row": describe(row)})

    result = CheckResult(
        domain=apex,
        servers=list(servers),
        server_source=server_source,
        provider=request.provider,
        resolvers=resolvers,
        rows=[rows[item.name] for item in names],
        queries=queries.sent,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        deadline_hit=deadline_hit,
    )
    from .report import to_json

    emit({"event": "done", "result": to_json(result)})
    return result
