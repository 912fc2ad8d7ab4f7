"""cPanel's domain lists: formats, websites, AutoSSL's names per website, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from autossl_check import texts
from autossl_check.domain_info import (
    MAX_NAMES_PER_WEBSITE,
    AutoSSLSettings,
    DomainInfoStream,
    DomainListFormat,
    read_domain_info,
)
from hypothesis import given, settings
from hypothesis import strategies as st

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"
SERVICES = ["cpanel", "webmail", "webdisk", "cpcalendars", "cpcontacts", "autodiscover"]


def fixture_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def zone(domain: str, services: list[str] = SERVICES) -> list[str]:
    return [domain, f"www.{domain}", f"mail.{domain}", *(f"{s}.{domain}" for s in services)]


def websites(text: str, **options: object) -> dict[str, list[str]]:
    info = read_domain_info(text, **options)  # type: ignore[arg-type]
    assert info.error is None, info.error
    return {site.name: [n.name for n in site.names] for a in info.accounts for site in a.websites}


def test_get_domain_info_gives_each_account_its_websites_and_names() -> None:
    info = read_domain_info(fixture_text("get_domain_info.json"))

    assert info.format is DomainListFormat.WHMAPI_GET_DOMAIN_INFO
    assert info.error is None
    assert [account.user for account in info.accounts] == ["bob", "carol"]
    bob = info.accounts[0]
    by_name = {site.name: site for site in bob.websites}
    assert list(by_name) == ["bob.example", "shop.bob.example", "blog.bob.example"]
    main = by_name["bob.example"]
    # A parked domain rides on the main website: www. and mail., no service subdomains.
    assert [n.name for n in main.names] == zone("bob.example") + zone("bob-old.example", [])
    assert (main.ipv4, main.ipv6) == ("203.0.113.10", "2001:db8::10")
    assert main.domains == ("bob.example", "bob-old.example")
    addon = by_name["shop.bob.example"]
    assert addon.kind == "addon"
    assert [n.name for n in addon.names] == [
        *zone("shop.example"),
        "shop.bob.example",
        "www.shop.bob.example",
    ]
    assert {n.why.key for n in addon.names} >= {"addon", "addon:www", "addon:subdomain"}
    assert [n.name for n in by_name["blog.bob.example"].names] == [
        "blog.bob.example",
        "www.blog.bob.example",
    ]
    assert info.accounts[1].owner == "carol"


def test_domains_data_and_get_domain_info_agree_on_the_names() -> None:
    from_whm = websites(fixture_text("get_domain_info.json"), user="bob")
    from_uapi = websites(fixture_text("domains_data.json"))

    assert {k: sorted(v) for k, v in from_uapi.items()} == {
        k: sorted(v) for k, v in from_whm.items()
    }
    assert read_domain_info(fixture_text("domains_data.json")).accounts[0].user == "bob"


def test_list_domains_names_the_account_it_is_given_and_lacks_the_addon_subdomain() -> None:
    info = read_domain_info(fixture_text("list_domains.json"), user="bob")
    from_list = websites(fixture_text("list_domains.json"), user="bob")
    from_whm = websites(fixture_text("get_domain_info.json"), user="bob")

    assert info.format is DomainListFormat.UAPI_LIST_DOMAINS
    assert info.accounts[0].user == "bob"
    assert read_domain_info(fixture_text("list_domains.json")).accounts[0].user is None
    assert sorted(from_list["shop.example"]) == sorted(
        set(from_whm["shop.bob.example"]) - {"shop.bob.example", "www.shop.bob.example"}
    )
    assert from_list["bob.example"] == from_whm["bob.example"]


@pytest.mark.parametrize(
    ("setting", "missing"),
    [
        ({"webmail": False}, ["webmail"]),
        ({"webdisk": False}, ["webdisk"]),
        ({"calendars_contacts": False}, ["cpcalendars", "cpcontacts"]),
        ({"autodiscover": False}, ["autodiscover"]),
        ({"service_subdomains": False}, SERVICES),
    ],
)
def test_roles_and_settings_decide_the_service_subdomains(
    setting: dict[str, bool], missing: list[str]
) -> None:
    names = websites(fixture_text("get_domain_info.json"), settings=AutoSSLSettings(**setting))
    kept = [s for s in SERVICES if s not in missing]
    assert names["carol.example"] == zone("carol.example", kept)
    assert names["shop.bob.example"][: 3 + len(kept)] == zone("shop.example", kept)


def test_a_reseller_gets_whm() -> None:
    names = websites(
        fixture_text("get_domain_info.json"),
        settings=AutoSSLSettings(resellers=frozenset({"carol"})),
    )
    assert "whm.carol.example" in names["carol.example"]
    assert not any(name.startswith("whm.") for name in names["bob.example"])


def domain_rows(user: str, main: str, parked: int = 0, addons: int = 0) -> list[dict[str, str]]:
    rows = [{"domain": main, "user": user, "domain_type": "main", "docroot": f"/home/{user}"}]
    rows += [
        {
            "domain": f"p{n}.{main}",
            "user": user,
            "domain_type": "parked",
            "docroot": f"/home/{user}",
        }
        for n in range(parked)
    ]
    rows += [
        {"domain": f"a{n}.example", "user": user, "domain_type": "addon", "docroot": f"/a{n}"}
        for n in range(addons)
    ]
    return rows


def whmapi(rows: list[dict[str, str]]) -> str:
    return json.dumps({"data": {"domains": rows}, "metadata": {"result": 1, "reason": "OK"}})


def test_a_website_over_one_hundred_names_is_flagged_as_autossl_would() -> None:
    info = read_domain_info(whmapi(domain_rows("bob", "bob.example", parked=31, addons=60)))
    sites = info.accounts[0].websites
    main = sites[0]

    assert len(main.names) == 9 + 3 * 31 > MAX_NAMES_PER_WEBSITE
    assert main.over_limit
    assert main.impediment == "CERTIFICATE_HAS_MAX_DOMAINS"
    # Sixty addons are sixty websites of nine names each: none is over the limit.
    assert len(sites) == 61
    assert not any(site.over_limit for site in sites[1:])
    assert len(info.accounts[0].names()) == 9 + 93 + 60 * 9


def test_user_picks_one_account() -> None:
    info = read_domain_info(fixture_text("get_domain_info.json"), user="carol")
    assert [account.user for account in info.accounts] == ["carol"]


def test_rows_of_one_account_apart_are_read_as_parts() -> None:
    rows = domain_rows("bob", "bob.example") + domain_rows("carol", "carol.example")
    rows += [{"domain": "late.example", "user": "bob", "domain_type": "addon", "docroot": "/l"}]
    accounts = read_domain_info(whmapi(rows)).accounts
    assert [(a.user, a.split) for a in accounts] == [
        ("bob", False),
        ("carol", False),
        ("bob", True),
    ]


def test_bad_rows_are_refused_with_their_key_and_the_rest_is_read() -> None:
    rows = [
        *domain_rows("bob", "bob.example"),
        {"domain": "192.0.2.1", "user": "bob", "domain_type": "addon"},
        {"domain": "*.bob.example", "user": "bob", "domain_type": "sub"},
        {"domain": "x.example", "user": "bob", "domain_type": "weird"},
        {"domain": 5, "user": "bob", "domain_type": "sub"},
        {"domain": "ok.example", "user": "bob; rm -rf /", "domain_type": "main"},
    ]
    accounts = read_domain_info(whmapi(rows)).accounts
    assert [n.name for n in accounts[0].websites[0].names] == zone("bob.example")
    assert [key for _, key in accounts[0].rejected] == [
        "is_ip",
        "wildcard",
        "unknown_domain_type",
        "not_text",
    ]
    assert accounts[1].user is None
    assert accounts[1].rejected[0][1] == "invalid_user"
    for _, key in accounts[0].rejected + accounts[1].rejected:
        assert texts.log_problem_text(key, "ja")
        assert texts.log_problem_text(key, "en")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (fixture_text("listaccts.json"), "json_other_api"),
        (fixture_text("get_domain_info-error.json"), "api_error"),
        (fixture_text("autossl.txt"), "not_json"),
        ("", "json_truncated"),
        ("{", "json_truncated"),
        ('{"result": {"status": 0, "errors": ["No such user"]}}', "api_error"),
        ('{"data": {"domains": [1, 2]}}', "json_other_api"),
        ("[1, 2, 3]", "not_json"),
    ],
)
def test_other_input_gets_a_clear_error_key(text: str, error: str) -> None:
    info = read_domain_info(text)
    assert info.error == error
    assert info.accounts == []
    assert texts.log_error_text(error, "en", **info.error_params) != error


@pytest.mark.parametrize("name", ["get_domain_info.json", "domains_data.json", "list_domains.json"])
def test_every_truncation_says_so(name: str) -> None:
    text = fixture_text(name)
    for cut in range(1, len(text.rstrip()), max(1, len(text) // 97)):
        info = read_domain_info(text[:cut])
        assert info.error in ("json_truncated", "json_invalid"), (cut, info.error)


def test_binary_data_gets_an_error_key() -> None:
    stream = DomainInfoStream([bytes(range(256)) * 100])
    assert list(stream) == []
    assert stream.error == "not_json"


def lazy_server(users: int, produced: list[int]) -> Iterator[bytes]:
    """whmapi1 get_domain_info for `users` accounts, made row by row as it is read."""
    yield b'{"data": {"domains": ['
    for number in range(users):
        produced[0] = number + 1
        row = {"domain": f"u{number}.example", "user": f"u{number}", "domain_type": "main"}
        yield (("," if number else "") + json.dumps(row)).encode()
    yield b']}, "metadata": {"result": 1}}'


def test_one_hundred_thousand_users_stop_at_the_limit_with_a_clear_key() -> None:
    produced = [0]
    stream = DomainInfoStream(lazy_server(100_000, produced))
    accounts = sum(1 for _ in stream)

    assert accounts == stream.accounts_read == 10_000
    assert stream.error == "too_many_users"
    assert stream.error_params == {"limit": "10000"}
    assert produced[0] < 10_100  # reading stopped there: bounded work
    assert "10000" in texts.log_error_text(stream.error, "ja", **stream.error_params)


def test_a_raised_limit_reads_them_all_streamed() -> None:
    produced = [0]
    stream = DomainInfoStream(lazy_server(20_000, produced), max_accounts=100_000)
    assert sum(len(a.websites) for a in stream) == 20_000
    assert stream.error is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_no_text_raises(text: str) -> None:
    read_domain_info(text)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "data",
                        "domains",
                        "result",
                        "main_domain",
                        "addon_domains",
                        "sub_domains",
                        "parked_domains",
                        "domain",
                        "user",
                        "domain_type",
                        "servername",
                        "serveralias",
                        "status",
                        "metadata",
                        "ip",
                        "ipv4",
                        "ipv6",
                        "docroot",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=30,
    )
)
def test_no_json_shape_raises(document: object) -> None:
    read_domain_info(json.dumps(document))


def test_each_name_says_whose_zone_it_belongs_to() -> None:
    info = read_domain_info(fixture_text("get_domain_info.json"), user="bob")
    main = info.accounts[0].websites[0]
    keys = {n.name: n.why.key for n in main.names}

    assert keys["bob.example"] == "domain"
    assert keys["bob-old.example"] == "parked"
    assert keys["mail.bob-old.example"] == "parked:mail"
    assert {n.why.parked for n in main.names if n.name.endswith("bob-old.example")} == {
        "bob-old.example"
    }
