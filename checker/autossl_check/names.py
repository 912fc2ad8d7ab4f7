"""The names AutoSSL puts in a certificate order, each with the rule that put it there.

cPanel works from the web server's virtual hosts: every domain gets `www.`, every DNS zone gets
`mail.`, and while the "Service subdomains" setting is on, the service names below are added to the
main domain and to each addon domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .inputs import MAX_HOST_CHARS, InputError, normalise_domain

MAX_NAMES = 100

# (label, why) in the order cPanel's SSL/TLS Status page tends to list them.
SERVICE_SUBDOMAINS: tuple[tuple[str, str], ...] = (
    ("cpanel", "service:cpanel"),
    ("webmail", "service:webmail"),
    ("webdisk", "service:webdisk"),
    ("cpcalendars", "service:cpcalendars"),
    ("cpcontacts", "service:cpcontacts"),
)


@dataclass(frozen=True, slots=True)
class PlannedName:
    name: str
    why: str


def _zone_names(
    zone: str,
    prefix: str,
    *,
    service_subdomains: bool,
    autodiscover: bool,
    reseller: bool,
) -> list[PlannedName]:
    """The names for one domain with its own zone (the main domain or an addon)."""

    def key(base: str) -> str:
        return f"{prefix}:{base}" if prefix else base

    planned = [
        PlannedName(zone, prefix or "domain"),
        PlannedName(f"www.{zone}", key("www")),
        PlannedName(f"mail.{zone}", key("mail")),
    ]
    if service_subdomains:
        planned += [PlannedName(f"{label}.{zone}", key(why)) for label, why in SERVICE_SUBDOMAINS]
        if autodiscover:
            planned.append(PlannedName(f"autodiscover.{zone}", key("autodiscover")))
        if reseller:
            planned.append(PlannedName(f"whm.{zone}", key("reseller:whm")))
    return planned


def normalise_subdomain(text: str, domain: str) -> str:
    """A subdomain in full (`blog.example.com`) or as a bare label (`blog`, meaning blog.D)."""
    stripped = text.strip() if isinstance(text, str) else text
    if isinstance(stripped, str) and stripped and "." not in stripped.rstrip("."):
        return normalise_domain(f"{stripped.rstrip('.')}.{domain}", what="subdomain")
    return normalise_domain(text, what="subdomain")


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
    subdomain with the same name as a service subdomain replaces it (its `why` wins).
    """
    main = normalise_domain(domain)
    options = {
        "service_subdomains": service_subdomains,
        "autodiscover": autodiscover,
        "reseller": reseller,
    }
    planned = _zone_names(main, "", **options)
    for addon in addons:
        planned += _zone_names(normalise_domain(addon, what="addon domain"), "addon", **options)
        _refuse_too_many(planned)
    real_subdomains: list[PlannedName] = []
    for sub in subdomains:
        name = normalise_subdomain(sub, main)
        real_subdomains += [
            PlannedName(name, "subdomain"),
            PlannedName(f"www.{name}", "subdomain:www"),
        ]
        _refuse_too_many(planned + real_subdomains)

    by_name: dict[str, PlannedName] = {}
    for item in planned:
        by_name.setdefault(item.name, item)
    for item in real_subdomains:
        existing = by_name.get(item.name)
        if existing is None or _is_service(existing.why):
            by_name[item.name] = item
    result = list(by_name.values())
    for item in result:
        if len(item.name) > MAX_HOST_CHARS or any(
            len(label) > 63 for label in item.name.split(".")
        ):
            raise InputError("name_too_long", value=item.name[:60] + "…")
    _refuse_too_many(result)
    return result


def _is_service(why: str) -> bool:
    base = why.removeprefix("addon:")
    return base.startswith(("service:", "reseller:")) or base == "autodiscover"


def _refuse_too_many(planned: list[PlannedName]) -> None:
    if len(planned) > MAX_NAMES:
        raise InputError("too_many_names", limit=str(MAX_NAMES))
