"""The names AutoSSL puts in a certificate order, each with the rule that put it there.

cPanel works from the web server's virtual hosts: every domain gets `www.`, every DNS zone gets
`mail.`, and while the "Service subdomains" setting is on, the service names below are added to the
main domain and to each addon domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .inputs import MAX_HOST_CHARS, normalise_domain
from .model import InputError, PlannedName, Rule, Subject, Why

MAX_NAMES = 100  # AutoSSL's limit per website (virtual host): one certificate, 100 names
# A bound on one check's work, not AutoSSL's: a whole server is checked website by website.
MAX_CHECK_NAMES = 5_000

# (label, rule) in the order cPanel's SSL/TLS Status page tends to list them.
SERVICE_SUBDOMAINS: tuple[tuple[str, Rule], ...] = (
    ("cpanel", Rule.CPANEL),
    ("webmail", Rule.WEBMAIL),
    ("webdisk", Rule.WEBDISK),
    ("cpcalendars", Rule.CPCALENDARS),
    ("cpcontacts", Rule.CPCONTACTS),
)


def _zone_names(
    zone: str,
    addon: str | None,
    *,
    service_subdomains: bool,
    autodiscover: bool,
    reseller: bool,
) -> list[PlannedName]:
    """The names for one domain with its own zone (the main domain, or an addon when `addon`)."""

    def planned(name: str, rule: Rule) -> PlannedName:
        return PlannedName(name, Why(rule, addon))

    names = [
        planned(zone, Rule.DOMAIN),
        planned(f"www.{zone}", Rule.WWW),
        planned(f"mail.{zone}", Rule.MAIL),
    ]
    if service_subdomains:
        names += [planned(f"{label}.{zone}", rule) for label, rule in SERVICE_SUBDOMAINS]
        if autodiscover:
            names.append(planned(f"autodiscover.{zone}", Rule.AUTODISCOVER))
        if reseller:
            names.append(planned(f"whm.{zone}", Rule.RESELLER_WHM))
    return names


def normalise_subdomain(text: str, domain: str) -> str:
    """A subdomain in full (`blog.example.com`) or as a bare label (`blog`, meaning blog.D)."""
    stripped = text.strip() if isinstance(text, str) else text
    if isinstance(stripped, str) and stripped and "." not in stripped.rstrip("."):
        return normalise_domain(f"{stripped.rstrip('.')}.{domain}", what=Subject.SUBDOMAIN)
    return normalise_domain(text, what=Subject.SUBDOMAIN)


def plan_names(
    domain: str,
    *,
    service_subdomains: bool = True,
    autodiscover: bool = True,
    reseller: bool = False,
    addons: Iterable[str] = (),
    subdomains: Iterable[str] = (),
) -> list[PlannedName]:
    """Every name AutoSSL will ask the CA for, in a stable order, without duplicates.

    `domain`, `addons` and `subdomains` may be raw input; they are normalised here. A real
    subdomain with the same name as a service subdomain replaces it (its `why` wins). Each addon
    and each subdomain is its own website: AutoSSL's 100 names count per website
    (`over_limit`), so only more than MAX_CHECK_NAMES names in all are refused.
    """
    main = normalise_domain(domain)
    options = {
        "service_subdomains": service_subdomains,
        "autodiscover": autodiscover,
        "reseller": reseller,
    }
    planned = _zone_names(main, None, **options)
    for addon in addons:
        zone = normalise_domain(addon, what=Subject.ADDON)
        planned += _zone_names(zone, zone, **options)
        _refuse_too_many(planned)
    real_subdomains: list[PlannedName] = []
    for sub in subdomains:
        name = normalise_subdomain(sub, main)
        real_subdomains += [
            PlannedName(name, Why(Rule.SUBDOMAIN)),
            PlannedName(f"www.{name}", Why(Rule.SUBDOMAIN_WWW)),
        ]
        _refuse_too_many(planned + real_subdomains)

    by_name: dict[str, PlannedName] = {}
    for item in planned:
        by_name.setdefault(item.name, item)
    for item in real_subdomains:
        existing = by_name.get(item.name)
        if existing is None or existing.why.is_service:
            by_name[item.name] = item
    result = list(by_name.values())
    for item in result:
        if len(item.name) > MAX_HOST_CHARS or any(
            len(label) > 63 for label in item.name.split(".")
        ):
            raise InputError("name_too_long", value=item.name[:60] + "…")
    _refuse_too_many(result)
    return result


def _refuse_too_many(planned: list[PlannedName]) -> None:
    if len(planned) > MAX_CHECK_NAMES:
        raise InputError("too_many_names", limit=MAX_CHECK_NAMES)


def website_of(item: PlannedName, main: str) -> str:
    """The website (virtual host) a typed name belongs to, as cPanel groups them."""
    why = item.why
    if why.addon is not None:
        return why.addon
    if why.rule is Rule.SUBDOMAIN:
        return item.name
    if why.rule is Rule.SUBDOMAIN_WWW:
        return item.name.removeprefix("www.")
    return main


def over_limit(
    websites: Iterable[tuple[str, Sequence[str]]], limit: int = MAX_NAMES
) -> dict[str, tuple[str, int]]:
    """For each name past the `limit`-th of its website: (website, the website's name count).

    AutoSSL puts at most `limit` names in one website's certificate and reports
    CERTIFICATE_HAS_MAX_DOMAINS; the names past it, in AutoSSL's order, are the ones left out.
    """
    flagged: dict[str, tuple[str, int]] = {}
    for website, names in websites:
        for name in names[limit:]:
            flagged.setdefault(name, (website, len(names)))
    return flagged


def group_by_website(planned: Iterable[PlannedName], main: str) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for item in planned:
        grouped.setdefault(website_of(item, main), []).append(item.name)
    return list(grouped.items())


# The labels AutoSSL puts in front of a website's own name (the rules above).
ADDED_LABELS = frozenset(
    {"www", "mail", "autodiscover", "whm", *(label for label, _rule in SERVICE_SUBDOMAINS)}
)


def group_listed_names(names: list[str]) -> list[tuple[str, list[str]]]:
    """The websites of names listed as they are (a link's name=), as far as the names tell: a
    name is counted with the website `rest` when it is a label AutoSSL adds in front of another
    listed name `rest`, else as a website of its own."""
    listed = set(names)
    grouped: dict[str, list[str]] = {}
    for name in names:
        label, _, rest = name.partition(".")
        website = rest if label in ADDED_LABELS and rest in listed else name
        grouped.setdefault(website, []).append(name)
    return list(grouped.items())
