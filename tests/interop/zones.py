"""The zones the interop suite serves, and what a check of each domain must conclude.

The cPanel server is 203.0.113.10 (`--server`); 198.51.100.x is some other host. Every check
runs with --no-service-subdomains, so a domain D is checked as D, www.D and mail.D.
"""

from __future__ import annotations

SERVER = "203.0.113.10"
ELSEWHERE = "198.51.100.7"

INTEROP = "interop.test"  # the scenarios' own zone
OTHER = "other.test"  # CNAME targets outside it
SIGNED = "signed.test"  # DNSSEC-signed; www is spoiled after signing
MOVING = "moving.test"  # served differently by the two authorities
DEAD = "dead.test"  # delegated to ::1 where nothing listens
TLD = "test"  # served too, so that CAA lookups climbing to it get an answer
SERVED = (TLD, INTEROP, OTHER, SIGNED, MOVING)

SOA = "@ 300 IN SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 300\n@ 300 IN NS ns.{zone}.\n"
SOA += "ns 300 IN A 127.0.0.1\n"


def zone_text(zone: str, records: str) -> str:
    body = "\n".join(line.strip() for line in records.strip().splitlines())
    return f"$ORIGIN {zone}.\n$TTL 300\n{SOA.format(zone=zone)}{body}\n"


INTEROP_RECORDS = f"""
ok A {SERVER}
ok CAA 0 issue "letsencrypt.org"
www.ok CNAME ok
mail.ok A {SERVER}
chain A {SERVER}
www.chain CNAME www.{OTHER}.
mail.chain CNAME mail.{OTHER}.
caa A {SERVER}
www.caa CNAME cdn.{OTHER}.
mail.caa A {SERVER}
wild A {SERVER}
*.wild A {SERVER}
"""

OTHER_RECORDS = f"""
www CNAME host
host A {SERVER}
mail A {ELSEWHERE}
cdn A {SERVER}
cdn CAA 0 issue "sectigo.com"
"""

SIGNED_RECORDS = f"""
@ A {SERVER}
www A {SERVER}
mail A {SERVER}
"""
SPOILED_FROM = f"www.{SIGNED}.\t300\tIN\tA\t{SERVER}"
SPOILED_TO = f"www.{SIGNED}.\t300\tIN\tA\t203.0.113.99"


def moving_zone(*, moved: bool) -> str:
    mail = ELSEWHERE if moved else SERVER
    return zone_text(MOVING, f"@ A {SERVER}\nwww CNAME @\nmail A {mail}")


def primary_zones() -> dict[str, str]:
    return {
        TLD: zone_text(TLD, ""),
        INTEROP: zone_text(INTEROP, INTEROP_RECORDS),
        OTHER: zone_text(OTHER, OTHER_RECORDS),
        SIGNED: zone_text(SIGNED, SIGNED_RECORDS),
        MOVING: moving_zone(moved=False),
    }


def spoil_signed_zone(text: str) -> str:
    """Change www's address after signing: its RRSIG no longer matches (DNSSEC bogus)."""
    return text.replace(SPOILED_FROM, SPOILED_TO)


# domain -> (verdict, {name: codes}) that the zones above imply for a check against one resolver
EXPECTED: dict[str, tuple[str, dict[str, list[str]]]] = {
    f"ok.{INTEROP}": (
        "ok",
        {f"ok.{INTEROP}": [], f"www.ok.{INTEROP}": [], f"mail.ok.{INTEROP}": []},
    ),
    # www follows two CNAMEs out of the zone to the server; mail's leads to another host.
    f"chain.{INTEROP}": (
        "action_needed",
        {
            f"chain.{INTEROP}": [],
            f"www.chain.{INTEROP}": [],
            f"mail.chain.{INTEROP}": ["ELSEWHERE"],
        },
    ),
    # www's CNAME target has CAA for another CA, which the CAA lookup of www meets.
    f"caa.{INTEROP}": (
        "action_needed",
        {f"caa.{INTEROP}": [], f"www.caa.{INTEROP}": ["CAA_FORBIDS"], f"mail.caa.{INTEROP}": []},
    ),
    f"wild.{INTEROP}": (
        "ok",
        {f"wild.{INTEROP}": [], f"www.wild.{INTEROP}": [], f"mail.wild.{INTEROP}": []},
    ),
    SIGNED: (
        "action_needed",
        {SIGNED: [], f"www.{SIGNED}": ["SERVFAIL"], f"mail.{SIGNED}": []},
    ),
    MOVING: ("ok", {MOVING: [], f"www.{MOVING}": [], f"mail.{MOVING}": []}),
}
# What a resolver asking the second authority (where mail moved) concludes instead.
EXPECTED_MOVED = (
    "action_needed",
    {MOVING: [], f"www.{MOVING}": [], f"mail.{MOVING}": ["ELSEWHERE"]},
)
