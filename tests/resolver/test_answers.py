"""DNS answers: what a recursive resolver would say about the shared zone data."""

from __future__ import annotations

import http.client

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import pytest

from tests.resolver.client import (
    answer_texts,
    ask,
    encode,
    extended_errors,
    get,
    make_query,
    post,
    request,
)
from tests.support.doh_resolver import DohResolver

SERVER = "203.0.113.10"


def test_get_answers_with_dns_message_and_echoes_id_and_question(doh_resolver: DohResolver):
    wire = make_query("cpanel.ok.example", "A", query_id=4242)
    reply = get(doh_resolver.url, wire)
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/dns-message"
    message = reply.message()
    query = dns.message.from_wire(wire)
    assert message.id == 4242
    assert message.question == query.question
    assert message.flags & dns.flags.QR
    assert message.flags & dns.flags.RA
    assert message.flags & dns.flags.RD
    assert answer_texts(message) == [("cpanel.ok.example.", "A", SERVER)]


def test_get_tolerates_base64_padding(doh_resolver: DohResolver):
    # A wire length that is not a multiple of 3 needs padding in standard base64.
    for name in ("ok.example", "mail.ok.example", "webdisk.ok.example"):
        reply = get(doh_resolver.url, make_query(name), padding=True)
        assert reply.status == 200
        assert answer_texts(reply.message())[-1][2] == SERVER


def test_post_answers_like_get(doh_resolver: DohResolver):
    wire = make_query("www.ok.example", "A", query_id=7)
    by_post = post(doh_resolver.url, wire)
    by_get = get(doh_resolver.url, wire)
    assert by_post.status == 200
    assert by_post.header("Content-Type") == "application/dns-message"
    assert by_post.body == by_get.body
    assert [record.path for record in doh_resolver.queries] == ["/dns-query", "/dns-query"]


def test_post_with_another_content_type_is_refused(doh_resolver: DohResolver):
    reply = request(
        doh_resolver.url,
        "POST",
        body=make_query("ok.example"),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert reply.status == 415


@pytest.mark.parametrize(
    "suffix", ["", "?dns=", "?dns=not*base64", "?dns=AAAA", "?other=1"], ids=repr
)
def test_a_request_without_a_usable_query_gets_400(doh_resolver: DohResolver, suffix: str):
    reply = request(doh_resolver.url, path_suffix=suffix)
    assert reply.status == 400
    assert reply.header("Access-Control-Allow-Origin") == "*"


def test_unknown_paths_get_404(doh_resolver: DohResolver):
    reply = request(doh_resolver.base_url + "/resolve", path_suffix="?name=ok.example")
    assert reply.status == 404


def test_cors_headers_on_answers_and_preflight(doh_resolver: DohResolver):
    reply = get(doh_resolver.url, make_query("ok.example"))
    assert reply.header("Access-Control-Allow-Origin") == "*"
    preflight = request(
        doh_resolver.url,
        "OPTIONS",
        headers={
            "Origin": "http://127.0.0.1:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Origin") == "*"
    assert preflight.header("Access-Control-Allow-Headers") == "content-type, accept"
    assert "POST" in (preflight.header("Access-Control-Allow-Methods") or "")
    assert doh_resolver.preflights == 1
    assert len(doh_resolver.queries) == 1


def test_cache_control_is_the_lowest_ttl(doh_resolver: DohResolver):
    assert get(doh_resolver.url, make_query("ok.example")).header("Cache-Control") == "max-age=300"
    mail = get(doh_resolver.url, make_query("mail.ok.example"))
    assert mail.header("Cache-Control") == "max-age=3600"


def test_cache_max_age_can_be_fixed(doh_resolver_factory):
    resolver = doh_resolver_factory(cache_max_age=0)
    assert get(resolver.url, make_query("ok.example")).header("Cache-Control") == "max-age=0"


def test_cname_chain_is_followed_into_the_answer(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "www.ok.example")
    assert message.rcode() == dns.rcode.NOERROR
    assert answer_texts(message) == [
        ("www.ok.example.", "CNAME", "ok.example."),
        ("ok.example.", "A", SERVER),
    ]


def test_long_cname_chain_resolves_in_order(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "cpanel.hostile.example")
    owners = [owner for owner, _, _ in answer_texts(message)]
    assert owners == ["cpanel.hostile.example."] + [
        f"hop{index}.hostile.example." for index in range(1, 11)
    ]
    assert answer_texts(message)[-1] == ("hop10.hostile.example.", "A", SERVER)


def test_a_cname_query_returns_only_the_cname(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "www.ok.example", "CNAME")
    assert answer_texts(message) == [("www.ok.example.", "CNAME", "ok.example.")]


@pytest.mark.parametrize("name", ["webdisk.hostile.example", "endless.hostile.example"])
def test_cname_loop_and_overlong_chain_are_servfail(doh_resolver: DohResolver, name: str):
    message = ask(doh_resolver.url, name)
    assert message.rcode() == dns.rcode.SERVFAIL
    assert message.answer == []


def test_wildcard_answers_with_the_asked_name(doh_resolver: DohResolver):
    for name in ("cpanel.wild.example", "a.b.wild.example"):
        message = ask(doh_resolver.url, name)
        assert answer_texts(message) == [(name + ".", "A", SERVER)]


def test_wildcard_does_not_cover_existing_names(doh_resolver: DohResolver):
    explicit = ask(doh_resolver.url, "explicit.wild.example")
    assert explicit.rcode() == dns.rcode.NOERROR
    assert explicit.answer == []
    empty_non_terminal = ask(doh_resolver.url, "ent.wild.example")
    assert empty_non_terminal.rcode() == dns.rcode.NOERROR
    assert empty_non_terminal.answer == []
    below_it = ask(doh_resolver.url, "y.ent.wild.example")
    assert below_it.rcode() == dns.rcode.NXDOMAIN


def test_wildcard_cname(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "webmail.addon.example.net")
    assert answer_texts(message) == [
        ("webmail.addon.example.net.", "CNAME", "addon.example.net."),
        ("addon.example.net.", "A", SERVER),
    ]


def test_nxdomain_carries_an_soa(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "cpanel.mixed.example")
    assert message.rcode() == dns.rcode.NXDOMAIN
    assert message.answer == []
    [soa] = message.authority
    assert soa.rdtype == dns.rdatatype.SOA
    assert soa.name.to_text() == "mixed.example."


def test_nxdomain_for_a_wholly_unknown_domain(doh_resolver: DohResolver):
    assert ask(doh_resolver.url, "nxdomain.example").rcode() == dns.rcode.NXDOMAIN


def test_nodata_when_the_type_is_missing(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "webdisk.mixed.example", "A")
    assert message.rcode() == dns.rcode.NOERROR
    assert message.answer == []
    assert message.authority[0].rdtype == dns.rdatatype.SOA
    txt = ask(doh_resolver.url, "webdisk.mixed.example", "TXT")
    assert answer_texts(txt) == [
        ("webdisk.mixed.example.", "TXT", '"this name exists but has no address"')
    ]


def test_nodata_through_a_cname_keeps_the_chain(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "www.ok.example", "AAAA")
    assert message.rcode() == dns.rcode.NOERROR
    assert answer_texts(message) == [("www.ok.example.", "CNAME", "ok.example.")]


def test_servfail_with_extended_dns_error(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "cpcalendars.mixed.example")
    assert message.rcode() == dns.rcode.SERVFAIL
    assert extended_errors(message) == [(6, "DNSSEC Bogus")]
    assert get(doh_resolver.url, make_query("bogus.example")).header("Cache-Control") == (
        "max-age=0"
    )


def test_servfail_without_edns_in_the_query_has_no_opt(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "cpcalendars.mixed.example", edns=False)
    assert message.rcode() == dns.rcode.SERVFAIL
    assert message.edns < 0


def test_servfail_variants(doh_resolver: DohResolver):
    unreachable = ask(doh_resolver.url, "unreachable.example", "AAAA")
    assert extended_errors(unreachable) == [(22, "No Reachable Authority")]
    plain = ask(doh_resolver.url, "noede.example")
    assert plain.rcode() == dns.rcode.SERVFAIL
    assert extended_errors(plain) == []


def test_edns_is_copied_only_when_present(doh_resolver: DohResolver):
    assert ask(doh_resolver.url, "ok.example", edns=True).edns == 0
    assert ask(doh_resolver.url, "ok.example", edns=False).edns < 0


def test_partial_and_aaaa_answers(doh_resolver: DohResolver):
    webmail = ask(doh_resolver.url, "webmail.mixed.example")
    assert sorted(data for _, _, data in answer_texts(webmail)) == sorted([SERVER, "198.51.100.8"])
    autodiscover = ask(doh_resolver.url, "autodiscover.mixed.example", "AAAA")
    assert answer_texts(autodiscover) == [("autodiscover.mixed.example.", "AAAA", "2001:db8::99")]


def test_caa_presentation_form(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "caa.example", "CAA")
    assert answer_texts(message) == [("caa.example.", "CAA", '0 issue "sectigo.com"')]
    [rrset] = message.answer
    [caa] = list(rrset)
    assert (caa.flags, caa.tag, caa.value) == (0, b"issue", b"sectigo.com")
    forbid_all = ask(doh_resolver.url, "webdisk.caa.example", "CAA")
    assert answer_texts(forbid_all) == [("webdisk.caa.example.", "CAA", '0 issue ";"')]
    inherited = ask(doh_resolver.url, "mail.caa.example", "CAA")
    assert inherited.rcode() == dns.rcode.NOERROR
    assert inherited.answer == []


def test_caa_through_a_cname(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "www.cnamecaa.example", "CAA")
    assert answer_texts(message) == [
        ("www.cnamecaa.example.", "CNAME", "edge.cdn.example.org."),
        ("edge.cdn.example.org.", "CAA", '0 issue "sectigo.com"'),
    ]


def test_hostile_data_travels_as_bytes(doh_resolver: DohResolver):
    www = ask(doh_resolver.url, "www.hostile.example")
    target = www.answer[0][0].target
    assert target.labels[0] == b"<img src=x onerror=alert(1)>"
    assert answer_texts(www)[-1][2] == SERVER
    mail = ask(doh_resolver.url, "mail.hostile.example")
    assert mail.answer[0][0].target.labels[0] == b'odd\xc8\x00";bytes'
    caa = ask(doh_resolver.url, "hostile.example", "CAA")
    values = sorted(rdata.value for rdata in caa.answer[0])
    assert values == [b'<script>alert("caa")</script>', b"javascript:alert('iodef')"]


def test_names_compare_case_insensitively(doh_resolver: DohResolver):
    message = ask(doh_resolver.url, "WWW.Ok.Example")
    assert message.question[0].name.to_text() == "WWW.Ok.Example."
    # Name compression may reuse the question's spelling, so compare the final owner loosely.
    owner, rdtype, data = answer_texts(message)[-1]
    assert (owner.lower(), rdtype, data) == ("ok.example.", "A", SERVER)


def test_ipv6_server_zone(doh_resolver: DohResolver):
    for name in ("v6.example", "cpanel.v6.example", "autodiscover.v6.example"):
        assert answer_texts(ask(doh_resolver.url, name, "AAAA"))[-1][2] == "2001:db8::10"
        assert answer_texts(ask(doh_resolver.url, name, "A"))[-1][2] == SERVER


def test_dict_zone_data_and_names_that_exist(doh_resolver_factory):
    resolver = doh_resolver_factory(
        {
            "ttl": 60,
            "soa": False,
            "records": {"a.test": {"A": ["192.0.2.1"], "ttl": 5}},
            "names_that_exist": ["empty.test."],
        }
    )
    message = ask(resolver.url, "a.test")
    assert answer_texts(message) == [("a.test.", "A", "192.0.2.1")]
    assert message.answer[0].ttl == 5
    empty = ask(resolver.url, "empty.test")
    assert (empty.rcode(), empty.answer, empty.authority) == (dns.rcode.NOERROR, [], [])
    missing = ask(resolver.url, "missing.test")
    assert (missing.rcode(), missing.authority) == (dns.rcode.NXDOMAIN, [])


def test_keep_alive_serves_many_queries_on_one_connection(doh_resolver: DohResolver):
    connection = http.client.HTTPConnection("127.0.0.1", doh_resolver.port, timeout=5)
    try:
        for name in ("ok.example", "www.ok.example", "mail.ok.example"):
            connection.request("GET", "/dns-query?dns=" + encode(make_query(name)))
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Connection") != "close"
            response.read()
    finally:
        connection.close()
    assert len(doh_resolver.queries) == 3


def test_private_network_preflight_is_allowed(doh_resolver: DohResolver):
    preflight = request(
        doh_resolver.url,
        "OPTIONS",
        headers={
            "Origin": "http://192.0.2.80",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Private-Network") == "true"


def test_the_root_and_odd_names_get_negative_answers(doh_resolver: DohResolver):
    assert ask(doh_resolver.url, ".", "SOA").rcode() == dns.rcode.NOERROR
    nxdomain = ask(doh_resolver.url, "nothing\\000here.hostile.example")
    assert nxdomain.rcode() == dns.rcode.NXDOMAIN
