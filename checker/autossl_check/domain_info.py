"""cPanel's own lists of an account's domains, turned into the websites AutoSSL orders for.

Reads `whmapi1 --output=json get_domain_info` (every account; streamed, one account in memory),
`uapi --output=json DomainInfo domains_data` and `uapi --output=json DomainInfo list_domains`
(one account). The format is detected. Each website (virtual host) gets the names AutoSSL would
put in its certificate by today's rules (`names.plan_names`, the roles as `AutoSSLSettings`);
more than AutoSSL's 100 names per website is flagged as AutoSSL would (CERTIFICATE_HAS_MAX_DOMAINS).

Bad input never raises: a key of `texts.LOG_ERRORS` in `error`, or a rejected entry with its
key. Sentences live in `texts`.
"""

from __future__ import annotations

import contextlib
import enum
import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._jsonstream import Chunk, StreamFailure, api_failure, array_objects, texts
from .inputs import normalise_domain
from .model import InputError, PlannedName, Rule, Why
from .names import plan_names

MAX_NAMES_PER_WEBSITE = 100  # AutoSSL's limit (Let's Encrypt: 100 names per certificate)
MAX_ACCOUNTS = 10_000
MAX_DOMAINS_PER_ACCOUNT = 20_000
MAX_DOCUMENT_CHARS = 32 * 1024 * 1024  # the one-account formats are read whole
MAX_DOMAIN_INFO_CHARS = 8_000_000  # read_text (the page)
IMPEDIMENT_MAX_DOMAINS = "CERTIFICATE_HAS_MAX_DOMAINS"

_USER_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
_DOMAINS_KEY = re.compile(r'"domains"\s*:\s*\[')


class DomainListFormat(enum.StrEnum):
    WHMAPI_GET_DOMAIN_INFO = "whmapi1_get_domain_info"
    UAPI_DOMAINS_DATA = "uapi_domains_data"
    UAPI_LIST_DOMAINS = "uapi_list_domains"


@dataclass(frozen=True, slots=True)
class AutoSSLSettings:
    """The server's settings that decide the service subdomains (WHM » Tweak Settings and the
    account's feature list). The defaults are cPanel's: all on."""

    service_subdomains: bool = True
    webmail: bool = True
    webdisk: bool = True
    calendars_contacts: bool = True
    autodiscover: bool = True
    resellers: frozenset[str] = frozenset()  # accounts that get whm.


@dataclass(frozen=True, slots=True)
class Website:
    """One virtual host: AutoSSL orders one certificate for it."""

    name: str  # the virtual host's name (servername) when the list tells it, else the domain
    kind: str  # main | addon | sub
    domains: tuple[str, ...]  # cPanel's own names for it: the domain, parked domains, aliases
    names: tuple[PlannedName, ...]  # what AutoSSL would order, each with the rule behind it
    ipv4: str | None = None
    ipv6: str | None = None

    @property
    def over_limit(self) -> bool:
        return len(self.names) > MAX_NAMES_PER_WEBSITE

    @property
    def impediment(self) -> str | None:
        return IMPEDIMENT_MAX_DOMAINS if self.over_limit else None


@dataclass(frozen=True, slots=True)
class Account:
    user: str | None
    websites: tuple[Website, ...]
    owner: str | None = None
    rejected: tuple[tuple[str, str], ...] = ()  # (value as given, reason key)
    split: bool = False  # its rows were not together in the list; this is one part of it

    def names(self) -> list[str]:
        return [planned.name for site in self.websites for planned in site.names]


def _checked_user(value: object) -> str | None:
    return value if isinstance(value, str) and _USER_NAME.match(value) else None


def _address(value: object, version: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return str(address) if address.version == version else None


_ROLE_SETTINGS: dict[Rule, str] = {
    Rule.WEBMAIL: "webmail",
    Rule.WEBDISK: "webdisk",
    Rule.CPCALENDARS: "calendars_contacts",
    Rule.CPCONTACTS: "calendars_contacts",
}


def _service_allowed(rule: Rule, settings: AutoSSLSettings) -> bool:
    setting = _ROLE_SETTINGS.get(rule)
    return setting is None or bool(getattr(settings, setting))


class _Zone(enum.Enum):
    MAIN = "main"
    ADDON = "addon"
    PARKED = "parked"


def _zone_plan(
    domain: str, zone: _Zone, settings: AutoSSLSettings, reseller: bool, *, services: bool
) -> list[PlannedName]:
    """names.plan_names for one domain with its own zone, each name's `why` saying whose it is
    (the main domain's, an addon's, a parked domain's); the roles that are off are left out."""
    planned = plan_names(
        domain,
        service_subdomains=settings.service_subdomains and services,
        autodiscover=settings.autodiscover,
        reseller=reseller,
    )
    result = []
    for item in planned:
        rule = item.why.rule
        if not _service_allowed(rule, settings):
            continue
        if zone is _Zone.ADDON:
            item = PlannedName(item.name, Why(rule, addon=domain))
        elif zone is _Zone.PARKED:
            item = PlannedName(item.name, Why(rule, parked=domain))
        result.append(item)
    return result


def _sub_plan(domain: str, addon: str | None) -> list[PlannedName]:
    planned = [PlannedName(domain, Why(Rule.SUBDOMAIN, addon))]
    # When www. makes the name too long, cPanel could not serve it either: it is left out.
    with contextlib.suppress(InputError):
        www = normalise_domain(f"www.{domain}")
        planned.append(PlannedName(www, Why(Rule.SUBDOMAIN_WWW, addon)))
    return planned


@dataclass(slots=True)
class _Draft:
    """One account's rows, gathered before its websites are planned."""

    user: str | None
    owner: str | None = None
    main: str | None = None
    main_v4: str | None = None
    main_v6: str | None = None
    parked: list[str] = field(default_factory=list)
    addons: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)
    subs: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # website -> cPanel's aliases
    servernames: dict[str, str] = field(default_factory=dict)  # domain -> its vhost's name
    rejected: list[tuple[str, str]] = field(default_factory=list)
    domains: int = 0

    def reject(self, value: object, key: str) -> None:
        if len(self.rejected) < 1000:
            self.rejected.append((str(value)[:300], key))

    def domain(self, value: object) -> str | None:
        if not isinstance(value, str):
            self.reject(value, "not_text")
            return None
        self.domains += 1
        try:
            return normalise_domain(value)
        except InputError as error:
            self.reject(value, error.key)
            return None


def _build(draft: _Draft, settings: AutoSSLSettings, *, split: bool = False) -> Account:
    reseller = draft.user is not None and draft.user in settings.resellers
    websites: list[Website] = []
    addon_docroots = {docroot for _, _, _, docroot in draft.addons if docroot}
    if draft.main:
        planned = _zone_plan(draft.main, _Zone.MAIN, settings, reseller, services=True)
        for parked in draft.parked:
            planned += _zone_plan(parked, _Zone.PARKED, settings, False, services=False)
        websites.append(
            _website(
                draft,
                draft.main,
                "main",
                [draft.main, *draft.parked],
                planned,
                draft.main_v4,
                draft.main_v6,
            )
        )
    for addon, v4, v6, docroot in draft.addons:
        planned = _zone_plan(addon, _Zone.ADDON, settings, reseller, services=True)
        domains = [addon]
        name = draft.servernames.get(addon, addon)
        if name != addon:
            domains.append(name)
        # The addon's own subdomain of the main domain (addon.main.example) shares its
        # document root; get_domain_info lists it as a "sub". It is the website's name.
        for sub, _, _, sub_root in draft.subs:
            if docroot and sub_root == docroot:
                planned += _sub_plan(sub, addon)
                domains.append(sub)
                name = sub
        websites.append(_website(draft, name, "addon", domains, planned, v4, v6))
    for sub, v4, v6, docroot in draft.subs:
        if docroot and docroot in addon_docroots:
            continue
        name = draft.servernames.get(sub, sub)
        websites.append(_website(draft, name, "sub", [sub], _sub_plan(sub, None), v4, v6))
    return Account(draft.user, tuple(websites), draft.owner, tuple(draft.rejected), split)


def _website(
    draft: _Draft,
    name: str,
    kind: str,
    domains: list[str],
    planned: list[PlannedName],
    ipv4: str | None,
    ipv6: str | None,
) -> Website:
    by_name: dict[str, PlannedName] = {}
    for item in planned:
        by_name.setdefault(item.name, item)
    for alias in draft.aliases.get(name, ()):
        by_name.setdefault(alias, PlannedName(alias, Why(Rule.SERVERALIAS)))
    return Website(name, kind, tuple(dict.fromkeys(domains)), tuple(by_name.values()), ipv4, ipv6)


class DomainInfoStream:
    """Accounts from a cPanel domain list, one at a time.

    Iterate for `Account`s; afterwards `format`, `error` / `error_params` (a texts.LOG_ERRORS
    key) and `accounts_read`. `user` picks one account (and names the account of
    `list_domains`, which does not say). At most `max_accounts` accounts are read.
    """

    def __init__(
        self,
        chunks: Iterable[Chunk],
        settings: AutoSSLSettings | None = None,
        *,
        user: str | None = None,
        max_accounts: int = MAX_ACCOUNTS,
        max_document_chars: int = MAX_DOCUMENT_CHARS,
    ) -> None:
        self._chunks = chunks
        self.settings = settings or AutoSSLSettings()
        self.user = user
        self.max_accounts = max_accounts
        self.max_document_chars = max_document_chars
        self.format: DomainListFormat | None = None
        self.error: str | None = None
        self.error_params: dict[str, str] = {}
        self.accounts_read = 0

    def __iter__(self) -> Iterator[Account]:
        decoded = texts(self._chunks)
        head: list[str] = []
        size = 0
        for text in decoded:
            head.append(text)
            size += len(text)
            if size >= 65536:
                break
        start = "".join(head)
        stripped = start.lstrip()
        if not stripped.startswith("{"):
            self.error = "not_json" if stripped else "json_truncated"
            return
        if _DOMAINS_KEY.search(start) and '"main_domain"' not in start:
            yield from self._whmapi(_chain(head, decoded))
            return
        document = start
        for text in decoded:
            document += text
            if len(document) > self.max_document_chars:
                self.error, self.error_params = "too_large", {"limit": str(self.max_document_chars)}
                return
        yield from self._uapi(document)

    def _fail(self, failure: StreamFailure) -> None:
        self.error, self.error_params = failure.key, failure.params

    def _emit(self, draft: _Draft, split: bool = False) -> Iterator[Account]:
        if self.user is not None and draft.user != self.user:
            return
        if self.accounts_read >= self.max_accounts:
            self.error, self.error_params = "too_many_users", {"limit": str(self.max_accounts)}
            return
        self.accounts_read += 1
        yield _build(draft, self.settings, split=split)

    def _whmapi(self, source: Iterator[str]) -> Iterator[Account]:
        """Rows come account by account; an account whose rows are apart is read in parts
        (`Account.split`), so only one account is ever in memory."""
        self.format = DomainListFormat.WHMAPI_GET_DOMAIN_INFO
        draft: _Draft | None = None
        emitted: set[str | None] = set()
        try:
            for row in array_objects(source, _DOMAINS_KEY, bare_array=False):
                if not isinstance(row, dict):
                    raise StreamFailure("json_other_api")
                user = _checked_user(row.get("user"))
                if draft is None or draft.user != user:
                    if draft is not None:
                        yield from self._emit(draft, split=draft.user in emitted)
                        emitted.add(draft.user)
                        if self.error:
                            return
                    draft = _Draft(user)
                if user is None:
                    draft.reject(row.get("user"), "invalid_user")
                    continue
                if draft.domains >= MAX_DOMAINS_PER_ACCOUNT:
                    self.error = "too_many_domains"
                    self.error_params = {"limit": str(MAX_DOMAINS_PER_ACCOUNT)}
                    return
                self._whmapi_row(draft, row)
        except StreamFailure as failure:
            self._fail(failure)
            return
        if draft is not None:
            yield from self._emit(draft, split=draft.user in emitted)

    def _whmapi_row(self, draft: _Draft, row: dict[str, Any]) -> None:
        domain = draft.domain(row.get("domain"))
        if domain is None:
            return
        draft.owner = _checked_user(row.get("user_owner")) or draft.owner
        v4, v6 = _address(row.get("ipv4"), 4), _address(row.get("ipv6"), 6)
        docroot = row.get("docroot") if isinstance(row.get("docroot"), str) else None
        kind = row.get("domain_type")
        if kind == "main":
            draft.main, draft.main_v4, draft.main_v6 = domain, v4, v6
        elif kind == "parked":
            draft.parked.append(domain)
        elif kind == "addon":
            draft.addons.append((domain, v4, v6, docroot))
        elif kind == "sub":
            draft.subs.append((domain, v4, v6, docroot))
        else:
            draft.reject(kind, "unknown_domain_type")

    def _uapi(self, document: str) -> Iterator[Account]:
        try:
            parsed = json.loads(document)
        except ValueError:
            self._fail(api_failure(document))
            return
        data = _uapi_data(parsed)
        if data is None:
            self._fail(api_failure(document))
            return
        main = data.get("main_domain")
        if isinstance(main, dict):
            self.format = DomainListFormat.UAPI_DOMAINS_DATA
            yield from self._emit(self._domains_data(data, main))
        elif isinstance(main, str):
            self.format = DomainListFormat.UAPI_LIST_DOMAINS
            yield from self._emit(self._list_domains(data, main))
        else:
            self.error = "json_other_api"

    def _list_domains(self, data: dict[str, Any], main: str) -> _Draft:
        draft = _Draft(self.user)
        draft.main = draft.domain(main)
        for key, target in (
            ("parked_domains", draft.parked),
            ("addon_domains", None),
            ("sub_domains", None),
        ):
            for value in _list(data.get(key)):
                domain = draft.domain(value)
                if domain is None:
                    continue
                if target is not None:
                    target.append(domain)
                elif key == "addon_domains":
                    draft.addons.append((domain, None, None, None))
                else:
                    draft.subs.append((domain, None, None, None))
        return draft

    def _domains_data(self, data: dict[str, Any], main: dict[str, Any]) -> _Draft:
        draft = _Draft(_checked_user(main.get("user")) or self.user)
        draft.main = self._vhost(draft, main)
        draft.main_v4 = _address(main.get("ip"), 4)
        draft.main_v6 = _address(main.get("ipv6"), 6)
        for value in _list(data.get("parked_domains")):
            domain = draft.domain(value)
            if domain is not None:
                draft.parked.append(domain)
        for key in ("addon_domains", "sub_domains"):
            for entry in _list(data.get(key)):
                if not isinstance(entry, dict):
                    draft.reject(entry, "json_other_api")
                    continue
                domain = self._vhost(draft, entry)
                if domain is None:
                    continue
                row = (domain, _address(entry.get("ip"), 4), _address(entry.get("ipv6"), 6), None)
                (draft.addons if key == "addon_domains" else draft.subs).append(row)
        return draft

    @staticmethod
    def _vhost(draft: _Draft, entry: dict[str, Any]) -> str | None:
        """The entry's domain; its servername and serveralias names are kept as its website's."""
        domain = draft.domain(entry.get("domain"))
        if domain is None:
            return None
        servername = entry.get("servername")
        if isinstance(servername, str) and servername:
            try:
                draft.servernames[domain] = normalise_domain(servername)
            except InputError as error:
                draft.reject(servername, error.key)
        website = draft.servernames.get(domain, domain)
        if website != domain:
            draft.aliases.setdefault(website, []).append(website)
        aliases = entry.get("serveralias")
        if isinstance(aliases, str):
            for alias in aliases.split()[:MAX_DOMAINS_PER_ACCOUNT]:
                try:
                    name = normalise_domain(alias)
                except InputError as error:
                    draft.reject(alias, error.key)
                    continue
                draft.aliases.setdefault(website, []).append(name)
        return domain


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _list(value: object) -> list[Any]:
    return value[:MAX_DOMAINS_PER_ACCOUNT] if isinstance(value, list) else []


def _uapi_data(parsed: object) -> dict[str, Any] | None:
    """`result.data` of a uapi answer (or `data`, or the data itself when pasted alone)."""
    if not isinstance(parsed, dict):
        return None
    result = parsed.get("result")
    if isinstance(result, dict):
        if result.get("status") in (0, "0"):
            return None
        parsed = result
    data = parsed.get("data", parsed)
    if isinstance(data, dict) and "main_domain" in data:
        return data
    return None


@dataclass(slots=True)
class DomainInfo:
    """A domain list read at once (the page)."""

    accounts: list[Account]
    format: DomainListFormat | None
    error: str | None = None
    error_params: dict[str, str] = field(default_factory=dict)


def read_domain_info(
    text: str,
    settings: AutoSSLSettings | None = None,
    *,
    user: str | None = None,
    max_accounts: int = MAX_ACCOUNTS,
) -> DomainInfo:
    """Read a pasted domain list. Never raises for any `str`."""
    if not isinstance(text, str):
        text = ""
    if len(text) > MAX_DOMAIN_INFO_CHARS:
        return DomainInfo([], None, "too_large", {"limit": str(MAX_DOMAIN_INFO_CHARS)})
    stream = DomainInfoStream([text], settings, user=user, max_accounts=max_accounts)
    accounts = list(stream)
    return DomainInfo(accounts, stream.format, stream.error, stream.error_params)
