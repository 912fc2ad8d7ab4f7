"""Whatever a client sends, the resolver answers over HTTP and keeps serving."""

from __future__ import annotations

from urllib.parse import quote

import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdatatype
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.resolver.client import get, make_query, post, request
from tests.support.doh_resolver import SHARED_ZONES, DohResolver, ZoneData

ZONES = ZoneData.load(SHARED_ZONES)
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
labels = st.sampled_from(
    ["www", "mail", "ok", "wild", "*", "hostile", "x", "ent", "example", "net", "a-b", "\\000"]
)
names = st.lists(labels, min_size=0, max_size=6).map(lambda parts: ".".join([*parts, ""]) or ".")
rdtypes = st.sampled_from(["A", "AAAA", "CNAME", "CAA", "TXT", "MX", "SOA", "ANY", "NS"])


@EXAMPLES
@given(name=names, rdtype=rdtypes)
def test_resolve_never_raises(name: str, rdtype: str):
    resolution = ZONES.resolve(dns.name.from_text(name), dns.rdatatype.from_text(rdtype))
    assert resolution.rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.SERVFAIL)


@EXAMPLES
@given(body=st.binary(max_size=600))
def test_arbitrary_post_bodies_get_an_http_answer(doh_resolver: DohResolver, body: bytes):
    reply = post(doh_resolver.url, body)
    assert reply.status in (200, 400)
    if reply.status == 200:
        dns.message.from_wire(reply.body)


@EXAMPLES
@given(text=st.text(max_size=200))
def test_arbitrary_get_parameters_get_an_http_answer(doh_resolver: DohResolver, text: str):
    reply = request(doh_resolver.url, path_suffix="?dns=" + quote(text, safe=""))
    assert reply.status in (200, 400)


def test_other_opcodes_and_classes_are_answered(doh_resolver: DohResolver):
    notify = dns.message.make_query("ok.example", "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    assert post(doh_resolver.url, notify.to_wire()).status in (200, 400)
    chaos = dns.message.make_query("version.bind", "TXT", "CH")
    assert post(doh_resolver.url, chaos.to_wire()).status in (200, 400)
    # Still serving afterwards.
    assert get(doh_resolver.url, make_query("ok.example")).status == 200
