"""The names AutoSSL asks for."""

from __future__ import annotations

import pytest
from autossl_check.model import InputError
from autossl_check.names import (
    MAX_CHECK_NAMES,
    MAX_NAMES,
    group_by_website,
    over_limit,
    plan_names,
)

DEFAULT = [
    ("example.com", "domain"),
    ("www.example.com", "www"),
    ("mail.example.com", "mail"),
    ("cpanel.example.com", "service:cpanel"),
    ("webmail.example.com", "service:webmail"),
    ("webdisk.example.com", "service:webdisk"),
    ("cpcalendars.example.com", "service:cpcalendars"),
    ("cpcontacts.example.com", "service:cpcontacts"),
    ("autodiscover.example.com", "autodiscover"),
]


def pairs(planned: list) -> list[tuple[str, str]]:
    return [(item.name, item.why.key) for item in planned]


def test_default_set() -> None:
    assert pairs(plan_names("Example.COM.")) == DEFAULT


def test_options() -> None:
    assert pairs(plan_names("example.com", service_subdomains=False)) == DEFAULT[:3]
    assert pairs(plan_names("example.com", autodiscover=False)) == DEFAULT[:8]
    assert pairs(plan_names("example.com", reseller=True))[-1] == (
        "whm.example.com",
        "reseller:whm",
    )


def test_addon_gets_the_same_rules() -> None:
    planned = pairs(plan_names("example.com", addons=["Shop.Example.NET"]))
    addon = [pair for pair in planned if pair[0].endswith("example.net")]
    assert addon[0] == ("shop.example.net", "addon")
    assert ("www.shop.example.net", "addon:www") in addon
    assert ("cpanel.shop.example.net", "addon:service:cpanel") in addon
    assert ("autodiscover.shop.example.net", "addon:autodiscover") in addon
    assert len(addon) == 9


def test_subdomains_full_or_label() -> None:
    planned = pairs(plan_names("example.com", subdomains=["blog", "shop.example.com."]))
    assert planned[-4:] == [
        ("blog.example.com", "subdomain"),
        ("www.blog.example.com", "subdomain:www"),
        ("shop.example.com", "subdomain"),
        ("www.shop.example.com", "subdomain:www"),
    ]


def test_real_subdomain_replaces_service_name() -> None:
    planned = dict(pairs(plan_names("example.com", subdomains=["cpanel.example.com"])))
    assert planned["cpanel.example.com"] == "subdomain"
    assert len([name for name in planned if name == "cpanel.example.com"]) == 1


def test_duplicates_are_dropped() -> None:
    planned = plan_names("example.com", addons=["example.com"])
    names = [item.name for item in planned]
    assert len(names) == len(set(names)) == 9


def test_the_hundred_names_count_per_website_so_sixty_addons_are_checked() -> None:
    addons = [f"addon{index}.example" for index in range(60)]
    planned = plan_names("example.com", addons=addons)

    assert len(planned) == 9 * 61 > MAX_NAMES
    websites = group_by_website(planned, "example.com")
    assert len(websites) == 61
    assert all(len(names) == 9 for _website, names in websites)
    assert over_limit(websites) == {}


def test_a_website_over_the_limit_flags_the_names_past_it() -> None:
    names = [f"n{index}.example.com" for index in range(MAX_NAMES + 3)]
    flagged = over_limit([("example.com", names), ("small.example", ["small.example"])])
    assert flagged == {name: ("example.com", MAX_NAMES + 3) for name in names[MAX_NAMES:]}


def test_only_a_runaway_addon_list_is_refused() -> None:
    addons = [f"addon{index}.example" for index in range(MAX_CHECK_NAMES // 9 + 2)]
    with pytest.raises(InputError) as caught:
        plan_names("example.com", addons=addons)
    assert str(MAX_CHECK_NAMES) in str(caught.value)


def test_name_longer_than_dns_allows_is_refused() -> None:
    domain = ".".join(["a" * 60] * 4) + ".ex"  # 246 chars: fine alone, too long with a prefix
    assert len(plan_names(domain, service_subdomains=False)) == 3
    with pytest.raises(InputError):
        plan_names(domain)


def test_bad_addon_is_refused() -> None:
    with pytest.raises(InputError):
        plan_names("example.com", addons=["not a domain"])
