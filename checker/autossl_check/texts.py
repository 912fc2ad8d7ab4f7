"""Every word the checker shows a person, in Japanese and English.

Keys are stable; the words may improve. A missing key, or a sentence whose placeholders are not
exactly the parameters given, raises `TextError`: a reader never sees a key or a blank instead of
words. Values from input or DNS are plain text inside a sentence: whoever renders it (terminal,
Markdown, web page) must treat it as text, never as markup.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Final

from .model import (
    CaaRecord,
    Code,
    Ede,
    Fact,
    InputError,
    KnownProxy,
    LookupFailure,
    Param,
    Provider,
    QueryRef,
    ResolverId,
    ResolverView,
    Rule,
    Subject,
    Verdict,
    Why,
)

if TYPE_CHECKING:  # a type only: importing http_probe would load httpx
    from .http_probe import GradedFinding

LANGS = ("ja", "en")

if TYPE_CHECKING:
    from .autossl_log import LogLine

Pair = tuple[str, str]  # (English, Japanese)


class TextError(LookupError):
    """A text key is missing, or its placeholders differ from the parameters given."""


def normalise_lang(lang: object) -> str:
    text = str(lang).strip().lower() if isinstance(lang, str) else ""
    return "ja" if text.startswith("ja") else "en"


def docs_anchor(code: str) -> str:
    """Path of a finding's section, relative to the docs root of either language."""
    return f"findings/#{code}"


TITLES: dict[Code, Pair] = {
    Code.NXDOMAIN: ("Name does not exist", "名前が存在しない"),
    Code.NO_ADDRESS: ("No address", "アドレスがない"),
    Code.ELSEWHERE: ("Points to another server", "別のサーバーを指している"),
    Code.PARTIAL: ("Partly points elsewhere", "一部が別のサーバーを指している"),
    Code.AAAA_ELSEWHERE: ("IPv6 points elsewhere", "IPv6（AAAA）が別の場所を指している"),
    Code.SERVFAIL: ("Resolver failure (SERVFAIL)", "リゾルバーのエラー（SERVFAIL）"),
    Code.CAA_FORBIDS: ("CAA forbids the CA", "CAA が認証局を許可していない"),
    Code.CAA_ACCOUNT_BOUND: (
        "CAA allows only one Let's Encrypt account",
        "CAA が特定の Let's Encrypt アカウントだけを許可している",
    ),
    Code.RESOLVERS_DISAGREE: ("Resolvers disagree", "リゾルバーの回答が食い違う"),
    Code.LOOKUP_FAILED: ("Lookup failed", "問い合わせ失敗"),
    Code.BEHIND_PROXY: ("Behind a proxy (Cloudflare)", "プロキシ（Cloudflare）経由"),
    Code.MAX_DOMAINS: (
        "Past AutoSSL's names per website",
        "Web サイトあたりの名前の上限を超えている",
    ),
}

EXPLANATIONS: dict[Code, Pair] = {
    Code.NXDOMAIN: (
        "Public DNS has no such name, so the CA cannot validate it.",
        "公開 DNS にこの名前がないため、認証局は検証できません。",
    ),
    Code.NO_ADDRESS: (
        "The name exists but has no A or AAAA record, so the CA cannot reach it.",
        "名前はありますが A / AAAA レコードがなく、認証局が到達できません。",
    ),
    Code.ELSEWHERE: (
        "Its A records point to another server, so HTTP validation never reaches this one.",
        "A レコードが別のサーバーを指しているため、HTTP 検証がこのサーバーに届きません。",
    ),
    Code.PARTIAL: (
        "Some of its A records are not this server's; the CA may pick one of those and fail.",
        "A レコードの一部がこのサーバーのものではなく、認証局がそちらを選ぶと失敗します。",
    ),
    Code.AAAA_ELSEWHERE: (
        "It has an IPv6 address that is not this server's; validators try IPv6 first.",
        "このサーバーのものではない IPv6 アドレスがあります。検証は IPv6 が優先されます。",
    ),
    Code.SERVFAIL: (
        "The resolver could not get an answer (DNSSEC, a CNAME loop or a broken delegation).",
        "リゾルバーが回答を得られませんでした（DNSSEC、CNAME のループ、委任の不備など）。",
    ),
    Code.CAA_FORBIDS: (
        "The CAA records that apply do not let the chosen CA issue a certificate.",
        "適用される CAA レコードが、選んだ認証局による発行を許可していません。",
    ),
    Code.CAA_ACCOUNT_BOUND: (
        "The CAA records let Let's Encrypt issue only to one ACME account (accounturi); AutoSSL "
        "gets a certificate only if that is this server's account.",
        "CAA レコードが Let's Encrypt による発行を 1 つの ACME アカウント（accounturi）に限定して"
        "います。それがこのサーバーのアカウントでなければ AutoSSL は証明書を取得できません。",
    ),
    Code.RESOLVERS_DISAGREE: (
        "Public resolvers return different addresses; a change may still be spreading.",
        "公開リゾルバーごとに回答が異なります。変更がまだ反映途中かもしれません。",
    ),
    Code.LOOKUP_FAILED: (
        "No usable answer came back, so this name could not be checked.",
        "使える回答が得られず、この名前は確認できませんでした。",
    ),
    Code.BEHIND_PROXY: (
        "Every address of the name is the proxy's, so the CA (and cPanel's own check) fetches "
        "through it. Validation passes only if the proxy hands /.well-known/ on to this server "
        "over plain HTTP; DNS cannot show whether it does, so this is neither a certain failure "
        "nor certainly fine.",
        "この名前のアドレスはすべてプロキシのものなので、認証局（と cPanel 自身の確認）は"
        "プロキシを通して取得します。プロキシが /.well-known/ を平文の HTTP のままこの"
        "サーバーへ渡す場合だけ検証は成功します。DNS からはそれが分からないため、確実な失敗"
        "でも確実な成功でもありません。",
    ),
    Code.MAX_DOMAINS: (
        "Its website has more names than AutoSSL puts in one certificate "
        "(CERTIFICATE_HAS_MAX_DOMAINS), and this name is past the limit: AutoSSL leaves it out "
        "unless fewer names are left on the website.",
        "この名前の Web サイトには、AutoSSL が 1 枚の証明書に入れるより多くの名前があり"
        "（CERTIFICATE_HAS_MAX_DOMAINS）、この名前は上限を超えた分です。Web サイトの名前を"
        "減らさない限り、AutoSSL はこの名前を証明書に入れません。",
    ),
}

WHY: dict[Rule, Pair] = {
    Rule.DOMAIN: ("the account's domain", "アカウントのドメイン"),
    Rule.WWW: ("www. is added to every domain", "すべてのドメインに www. が付く"),
    Rule.MAIL: ("mail. is added for every DNS zone", "DNS ゾーンごとに mail. が付く"),
    Rule.CPANEL: ("service subdomain for cPanel", "cPanel のサービスサブドメイン"),
    Rule.WEBMAIL: ("service subdomain for Webmail", "Webmail のサービスサブドメイン"),
    Rule.WEBDISK: ("service subdomain for Web Disk", "Web Disk のサービスサブドメイン"),
    Rule.CPCALENDARS: ("service subdomain for Calendars", "カレンダーのサービスサブドメイン"),
    Rule.CPCONTACTS: ("service subdomain for Contacts", "連絡先のサービスサブドメイン"),
    Rule.AUTODISCOVER: (
        "service subdomain for mail client set-up (autodiscover)",
        "メールソフト自動設定のサービスサブドメイン（autodiscover）",
    ),
    Rule.RESELLER_WHM: (
        "service subdomain for WHM (reseller account)",
        "WHM のサービスサブドメイン（リセラーアカウント）",
    ),
    Rule.SUBDOMAIN: ("subdomain", "サブドメイン"),
    Rule.SUBDOMAIN_WWW: ("www. of a subdomain", "サブドメインの www."),
    Rule.LOGGED: ("named in AutoSSL's log for the account", "AutoSSL のログにあるアカウントの名前"),
    Rule.NAMED: ("listed in the link (checked as it is)", "リンクに書かれた名前（そのまま確認）"),
    Rule.SERVERALIAS: (
        "an alias of the website in cPanel's list",
        "cPanel の一覧にある Web サイトの別名",
    ),
}

PROVIDER_NAMES: dict[Provider, Pair] = {
    Provider.LETSENCRYPT: ("Let's Encrypt", "Let's Encrypt"),
    Provider.SECTIGO: ("Sectigo", "Sectigo"),
}

# The proxies whose ranges are shipped, by their data key (known_proxies).
PROXY_NAMES: dict[str, Pair] = {"cloudflare": ("Cloudflare", "Cloudflare")}

WHAT: dict[Subject, Pair] = {
    Subject.DOMAIN: ("domain", "ドメイン"),
    Subject.ADDON: ("addon domain", "アドオンドメイン"),
    Subject.SUBDOMAIN: ("subdomain", "サブドメイン"),
    Subject.SERVER: ("server address", "サーバーアドレス"),
    Subject.RESOLVER: ("resolver", "リゾルバー"),
    Subject.LINK: ("link", "リンク"),
    Subject.NAME: ("name", "名前"),
}

# The meaning of every Extended DNS Error code RFC 8914 assigns (IANA registry, codes 0-24).
EDE_MEANINGS: dict[int, Pair] = {
    0: ("Other Error", "その他のエラー"),
    1: ("Unsupported DNSKEY Algorithm", "未対応の DNSKEY アルゴリズム"),
    2: ("Unsupported DS Digest Type", "未対応の DS ダイジェスト方式"),
    3: ("Stale Answer", "期限切れキャッシュからの回答"),
    4: ("Forged Answer", "差し替えられた回答"),
    5: ("DNSSEC Indeterminate", "DNSSEC 検証結果が不定"),
    6: ("DNSSEC Bogus", "DNSSEC 検証失敗"),
    7: ("Signature Expired", "署名の有効期限切れ"),
    8: ("Signature Not Yet Valid", "署名の有効期間前"),
    9: ("DNSKEY Missing", "DNSKEY がない"),
    10: ("RRSIGs Missing", "RRSIG がない"),
    11: ("No Zone Key Bit Set", "ゾーン鍵フラグのない鍵"),
    12: ("NSEC Missing", "NSEC がない"),
    13: ("Cached Error", "キャッシュされたエラー"),
    14: ("Not Ready", "準備中"),
    15: ("Blocked", "遮断"),
    16: ("Censored", "検閲"),
    17: ("Filtered", "フィルター"),
    18: ("Prohibited", "拒否"),
    19: ("Stale NXDOMAIN Answer", "期限切れキャッシュからの NXDOMAIN"),
    20: ("Not Authoritative", "権威を持たない"),
    21: ("Not Supported", "未対応"),
    22: ("No Reachable Authority", "到達できる権威サーバーがない"),
    23: ("Network Error", "ネットワークエラー"),
    24: ("Invalid Data", "不正なデータ"),
}

# Small pieces sentences are built from: list joining, units, queries, views, EDE.
PIECES: dict[str, Pair] = {
    "list": ("{first}, {rest}", "{first}、{rest}"),
    "list.outer": ("{first}; {rest}", "{first} ／ {rest}"),
    "query.caa": ("CAA ({node})", "CAA（{node}）"),
    "view": ("{resolver}: {answer}", "{resolver}: {answer}"),
    "view.ttl": ("{resolver}: {answer} (TTL {ttl} s)", "{resolver}: {answer}（TTL {ttl} 秒）"),
    "view.none": ("—", "—"),
    "ede": ("EDE {code} ({meaning}): {text}", "EDE {code}「{meaning}」: {text}"),
    "ede.bare": ("EDE {code} ({meaning})", "EDE {code}「{meaning}」"),
    "ede.unassigned": ("unassigned code", "未割り当てのコード"),
    "why.addon": ("{why} (addon domain {addon})", "{why}（アドオンドメイン {addon}）"),
    "why.addon_domain": ("addon domain", "アドオンドメイン"),
    "why.parked": ("{why} (parked domain {parked})", "{why}（パークドメイン {parked}）"),
    "why.parked_domain": ("parked domain", "パークドメイン"),
}

# Sentences with {placeholders}, one per fact key (model.FACT_PARAMS).
SENTENCES: dict[str, Pair] = {
    # findings
    "nxdomain": ("{name} does not exist in public DNS.", "{name} は公開 DNS に存在しません。"),
    "nxdomain_target": (
        "The CNAME chain ends at {target}, which does not exist.",
        "CNAME の行き先 {target} が存在しません。",
    ),
    "no_address": (
        "{name} exists but has neither A nor AAAA records.",
        "{name} はありますが、A レコードも AAAA レコードもありません。",
    ),
    "elsewhere": (
        "A: {addresses}; the server is {servers}.",
        "A レコードは {addresses} で、サーバー（{servers}）ではありません。",
    ),
    "partial": (
        "A on the server: {matching}; A elsewhere: {others}.",
        "サーバーを指す A: {matching}。別の場所を指す A: {others}。",
    ),
    "aaaa_elsewhere": (
        "AAAA: {addresses}; the server is {servers}.",
        "AAAA レコードは {addresses} で、サーバー（{servers}）ではありません。",
    ),
    "aaaa_no_server_v6": (
        "AAAA: {addresses}, but no server IPv6 address is known ({servers}): remove the AAAA "
        "record or give the server's IPv6 address.",
        "AAAA レコード {addresses} がありますが、サーバーの IPv6 アドレスが不明です（{servers}）。"
        "AAAA レコードを消すか、サーバーの IPv6 アドレスを指定してください。",
    ),
    "servfail": (
        "{resolver} answered SERVFAIL for {queries}.",
        "{resolver} が {queries} に SERVFAIL を返しました。",
    ),
    "servfail.ede": (
        "{resolver} answered SERVFAIL for {queries}: {ede}.",
        "{resolver} が {queries} に SERVFAIL を返しました（{ede}）。",
    ),
    "disagree": ("{rdtype} differs: {views}.", "{rdtype} の回答が異なります: {views}。"),
    "caa.not_listed": (
        "CAA at {node} allows only {issuers}, not {provider} ({records}).",
        "{node} の CAA は {issuers} だけを許可しており、{provider} は含まれません（{records}）。",
    ),
    "caa.forbids_all": (
        "CAA at {node} forbids every CA ({records}).",
        "{node} の CAA はすべての認証局を禁止しています（{records}）。",
    ),
    "caa.critical": (
        "CAA at {node} has the unknown critical tag {tag}, so no CA may issue ({records}).",
        "{node} の CAA に未知の必須タグ {tag} があり、どの認証局も発行できません（{records}）。",
    ),
    "caa.method": (
        "CAA at {node} allows {provider} only with validationmethods={methods} ({records}); "
        "AutoSSL validates over HTTP (http-01).",
        "{node} の CAA は {provider} を validationmethods={methods} でのみ許可しています"
        "（{records}）。AutoSSL は HTTP（http-01）で検証します。",
    ),
    "caa.account_bound": (
        "CAA at {node} lets {provider} issue only to the ACME account {detail}. The checker "
        "cannot see this server's account: compare it with WHM » SSL/TLS » Manage AutoSSL » "
        "Provider Account ID ({records}).",
        "{node} の CAA は {provider} の発行を ACME アカウント {detail} だけに許可しています。"
        "このサーバーのアカウントはチェッカーからは見えないため、WHM »「SSL/TLS」»"
        "「Manage AutoSSL」»「Provider Account ID」と比べてください（{records}）。",
    ),
    "caa.issuer_spelling": (
        "CAA at {node} names {detail}, but Let's Encrypt accepts only letsencrypt.org written "
        "exactly so (lower case, no final dot) ({records}).",
        "{node} の CAA には {detail} と書かれていますが、Let's Encrypt が受け付けるのは"
        "そのとおりに書いた letsencrypt.org だけです（小文字、末尾のドットなし）（{records}）。",
    ),
    "caa.params_malformed": (
        "CAA at {node} names {provider}, but its parameter {detail} does not parse by "
        "Let's Encrypt's rules (tag=value; letters and digits in the tag; no spaces or ; in "
        "the value; no ; after the last parameter), so the CA skips that record ({records}).",
        "{node} の CAA は {provider} を指定していますが、パラメーター {detail} が "
        "Let's Encrypt の規則（tag=value、タグは英数字のみ、値に空白や ; を含めない、"
        "最後のパラメーターの後に ; を付けない）で読めないため、認証局はそのレコードを"
        "使いません（{records}）。",
    ),
    "caa.value_malformed": (
        "CAA at {node} names {detail}, but the value does not follow the grammar of RFC 8659, "
        "so {provider} may ignore that record ({records}).",
        "{node} の CAA には {detail} とありますが、値が RFC 8659 の文法に合っていないため、"
        "{provider} はそのレコードを無視する可能性があります（{records}）。",
    ),
    "caa.account_repeated": (
        "CAA at {node} names {provider} with accounturi given more than once ({detail}); "
        "such a record never allows issuance ({records}).",
        "{node} の CAA は {provider} に accounturi を複数指定しています（{detail}）。"
        "このようなレコードでは発行できません（{records}）。",
    ),
    "caa.account_empty": (
        "CAA at {node} names {provider} with an empty accounturi; such a record never "
        "allows issuance ({records}).",
        "{node} の CAA は {provider} に空の accounturi を指定しています。"
        "このようなレコードでは発行できません（{records}）。",
    ),
    "caa.account_foreign": (
        "CAA at {node} limits {provider} to the account {detail}, which is not a "
        "Let's Encrypt account URI, so that record never allows issuance ({records}).",
        "{node} の CAA は {provider} をアカウント {detail} に限定していますが、これは "
        "Let's Encrypt のアカウント URI ではないため、このレコードでは発行できません"
        "（{records}）。",
    ),
    "caa.method_empty": (
        "CAA at {node} names {provider} with an empty validationmethods, which allows no "
        "validation method at all ({records}).",
        "{node} の CAA は {provider} に空の validationmethods を指定しており、"
        "どの検証方法も許可されません（{records}）。",
    ),
    "caa.method_repeated": (
        "CAA at {node} names {provider} with validationmethods given more than once "
        "({detail}); Let's Encrypt never uses such a record ({records}).",
        "{node} の CAA は {provider} に validationmethods を複数指定しています（{detail}）。"
        "Let's Encrypt はこのようなレコードを使いません（{records}）。",
    ),
    "caa.method_malformed": (
        "CAA at {node} names {provider} with validationmethods={detail}, where an entry "
        "that is not a method name comes before http-01; Let's Encrypt then rejects the "
        "record ({records}).",
        "{node} の CAA は {provider} に validationmethods={detail} を指定しています。"
        "http-01 より前に検証方法名として読めない項目があるため、Let's Encrypt はこの"
        "レコードを使いません（{records}）。",
    ),
    "caa.method_case": (
        "CAA at {node} names {provider} with {detail} in validationmethods; method names "
        "are case-sensitive, and AutoSSL's HTTP validation matches only http-01 in lower "
        "case ({records}).",
        "{node} の CAA は {provider} の validationmethods に {detail} を指定しています。"
        "検証方法名は大文字と小文字を区別し、AutoSSL の HTTP 検証に合うのは小文字の "
        "http-01 だけです（{records}）。",
    ),
    "failed": ("{queries}: {reason}.", "{queries}: {reason}。"),
    "behind_proxy": (
        "Every address ({addresses}) is {proxy}'s.",
        "すべてのアドレス（{addresses}）が {proxy} のものです。",
    ),
    "behind_proxy.redirects": (
        "{provider} follows at most {redirects} redirects.",
        "{provider} がたどるリダイレクトは {redirects} 回までです。",
    ),
    "behind_proxy.no_redirect": (
        "{provider} follows no redirect at all.",
        "{provider} はリダイレクトを一切たどりません。",
    ),
    "behind_proxy.ipv4_fallback": (
        "IPv6 and IPv4 are both the proxy's: cPanel retries over IPv4 if IPv6 fails.",
        "IPv6 も IPv4 もプロキシのものなので、IPv6 で失敗すると cPanel は IPv4 で再試行します。",
    ),
    "behind_proxy.server_is_proxy": (
        "The server address compared with is the proxy's too: give the server's own address "
        "with --server.",
        "比較に使ったサーバーのアドレスもプロキシのものです。--server でサーバー自身の"
        "アドレスを指定してください。",
    ),
    # notes
    "max_domains": (
        "The website {website} has {count} names, more than the {limit} AutoSSL puts in one "
        "certificate (CERTIFICATE_HAS_MAX_DOMAINS): this name is past the limit and is left out "
        "unless you exclude others.",
        "Web サイト {website} の名前は {count} 個で、AutoSSL が 1 枚の証明書に入れる {limit} "
        "個を超えています（CERTIFICATE_HAS_MAX_DOMAINS）。この名前は上限を超えた分なので、"
        "ほかの名前を除外しない限り証明書に入りません。",
    ),
    "cpanel.http_ok": (
        "cPanel said OK: its own HTTP check of this name passed on the server.",
        "cPanel の判定は OK です。サーバー上での自身の HTTP の確認に通りました。",
    ),
    "cpanel.http_ok_via": (
        "cPanel said OK (via {via}): it took the parent's result for this name, as only a cPanel "
        "build without the fix does (update cPanel). Public DNS decides: see this row.",
        "cPanel の判定は OK（via {via}）ですが、親 {via} の結果で代用しています。これは修正前の "
        "cPanel のビルドだけの動きです（cPanel を更新してください）。決め手は公開 DNS で、"
        "この行の結果のとおりです。",
    ),
    "cpanel.http_error": (
        "cPanel's own HTTP check failed: {reason}",
        "cPanel 自身の HTTP の確認は失敗しました: {reason}",
    ),
    "resolver_failed": (
        "{queries}: {reason}; used the answer from {used}.",
        "{queries}: {reason}。{used} の回答を使いました。",
    ),
    "no_server": (
        "Not compared with the server: no server address is known.",
        "サーバーのアドレスが不明なため、比較していません。",
    ),
    "after_retry": ("{reason} (also after one retry)", "{reason}（再試行後も同じ）"),
    # lookup failures
    "fail.http_status": (
        "{resolver} answered HTTP {status}",
        "{resolver} が HTTP {status} を返しました",
    ),
    "fail.http_429": (
        "{resolver} answered HTTP 429 (too many requests)",
        "{resolver} が HTTP 429（リクエストが多すぎる）を返しました",
    ),
    "fail.http_404": (
        "{resolver} answered HTTP 404 (is the resolver URL right?)",
        "{resolver} が HTTP 404 を返しました（リゾルバーの URL は正しいですか）",
    ),
    "fail.html": (
        "{resolver} sent a web page instead of a DNS message (a captive portal or proxy?)",
        "{resolver} から DNS メッセージではなく Web ページが返りました"
        "（キャプティブポータルやプロキシ？）",
    ),
    "fail.content_type": (
        "{resolver} answered with {content_type} instead of a DNS message",
        "{resolver} が DNS メッセージではなく {content_type} を返しました",
    ),
    "fail.no_content_type": (
        "{resolver} answered without saying what it sent (no Content-Type)",
        "{resolver} の回答には種類の表示（Content-Type）がありませんでした",
    ),
    "fail.empty": ("{resolver} sent an empty answer", "{resolver} の回答が空でした"),
    "fail.not_dns": (
        "{resolver} sent something that is not a DNS message",
        "{resolver} の回答は DNS メッセージではありませんでした",
    ),
    "fail.not_response": (
        "{resolver} sent a DNS query back instead of an answer",
        "{resolver} が回答ではなく問い合わせを返しました",
    ),
    "fail.wrong_id": (
        "{resolver}'s answer carried message ID {id} instead of 0",
        "{resolver} の回答のメッセージ ID が 0 ではなく {id} でした",
    ),
    "fail.wrong_question": (
        "{resolver}'s answer was for a different question ({question})",
        "{resolver} の回答は別の問い合わせ（{question}）へのものでした",
    ),
    "fail.question_count": (
        "{resolver}'s answer held {count} questions instead of the one asked",
        "{resolver} の回答には問い合わせが 1 つではなく {count} 個ありました",
    ),
    "fail.truncated": (
        "{resolver}'s answer was truncated (TC bit)",
        "{resolver} の回答が途中で切れていました（TC ビット）",
    ),
    "fail.cname_loop": (
        "{resolver}'s answer holds a CNAME loop",
        "{resolver} の回答の CNAME がループしています",
    ),
    "fail.cname_chain_too_long": (
        "{resolver}'s answer holds a chain of more than {limit} CNAMEs",
        "{resolver} の回答の CNAME が {limit} 段を超えてつながっています",
    ),
    "fail.rcode": ("{resolver} answered {rcode}", "{resolver} が {rcode} を返しました"),
    "fail.timeout": (
        "no answer from {resolver} within {seconds} s",
        "{resolver} から {seconds} 秒以内に回答がありませんでした",
    ),
    "fail.unresponsive": (
        "not asked: {resolver} gave no answer within {seconds} s to earlier queries",
        "問い合わせず: {resolver} は先の問い合わせに {seconds} 秒以内に回答しませんでした",
    ),
    "fail.closed": (
        "{resolver} closed the connection without answering",
        "{resolver} が回答せずに接続を切りました",
    ),
    "fail.refused": ("{resolver} refused the connection", "{resolver} に接続を拒否されました"),
    "fail.tls": (
        "the TLS certificate of {resolver} could not be verified",
        "{resolver} の TLS 証明書を検証できませんでした",
    ),
    "fail.tls.cause": (
        "the TLS certificate of {resolver} could not be verified: {cause}",
        "{resolver} の TLS 証明書を検証できませんでした（理由: {cause}）",
    ),
    "fail.network": ("could not reach {resolver}", "{resolver} に接続できませんでした"),
    "fail.network.cause": (
        "could not reach {resolver} ({cause})",
        "{resolver} に接続できませんでした（{cause}）",
    ),
    "fail.proxy": (
        "could not reach {resolver} through the proxy",
        "プロキシ経由で {resolver} に接続できませんでした",
    ),
    "fail.proxy.cause": (
        "could not reach {resolver} through the proxy ({cause})",
        "プロキシ経由で {resolver} に接続できませんでした（{cause}）",
    ),
    "fail.too_large": (
        "{resolver} sent an answer too large to be a DNS message",
        "{resolver} の回答が DNS メッセージとしては大きすぎました",
    ),
    "fail.blocked": (
        "{resolver} is not an allowed resolver address",
        "{resolver} は使用を認めていないリゾルバーです",
    ),
    "fail.deadline": (
        "no answer from {resolver} before the check's {seconds} s time limit",
        "チェック全体の制限時間 {seconds} 秒までに {resolver} から回答がありませんでした",
    ),
    "fail.internal": (
        "the lookup via {resolver} stopped on an internal error ({error})",
        "{resolver} への問い合わせが内部エラーで止まりました（{error}）",
    ),
    # refused input
    "input.not_text": ("The {what} must be text.", "{what}は文字列で指定してください。"),
    "input.too_long_raw": (
        "The {what} is {length} characters long; anything over {limit} is refused.",
        "{what}が {length} 文字あります。{limit} 文字を超える値は受け付けません。",
    ),
    "input.empty": ("The {what} is empty.", "{what}が空です。"),
    "input.unreadable_url": (
        "'{value}' is not a URL or domain name I can read.",
        "「{value}」は URL としてもドメイン名としても読めません。",
    ),
    "input.no_host": (
        "'{value}' has no domain name in it.",
        "「{value}」にドメイン名が含まれていません。",
    ),
    "input.is_ip": (
        "'{value}' is an IP address; give the domain name instead.",
        "「{value}」は IP アドレスです。ドメイン名を指定してください。",
    ),
    "input.too_long_host": (
        "The {what} is longer than {limit} characters.",
        "{what}が {limit} 文字を超えています。",
    ),
    "input.wildcard": (
        "'{value}' is a wildcard; give a plain domain name.",
        "「{value}」はワイルドカードです。通常のドメイン名を指定してください。",
    ),
    "input.invalid_name": (
        "'{value}' is not a valid domain name.",
        "「{value}」は有効なドメイン名ではありません。",
    ),
    "input.single_label": (
        "'{value}' is not a full domain name (it needs a dot, like example.com).",
        "「{value}」は完全なドメイン名ではありません（example.com のようにドットが必要です）。",
    ),
    "input.server_zone": (
        "'{value}' has a zone index; give a global address.",
        "「{value}」にはゾーン ID が付いています。グローバルアドレスを指定してください。",
    ),
    "input.server_invalid": (
        "'{value}' is not an IPv4 or IPv6 address.",
        "「{value}」は IPv4 / IPv6 アドレスではありません。",
    ),
    "input.resolver_unknown": (
        "Unknown resolver '{value}': use cloudflare, google or both.",
        "不明なリゾルバー「{value}」: cloudflare、google、both のいずれかを指定してください。",
    ),
    "input.resolver_unknown_cli": (
        "Unknown resolver '{value}': use cloudflare, google, both or an https:// DoH URL.",
        "不明なリゾルバー「{value}」: cloudflare、google、both か https:// の DoH URL を指定して"
        "ください。",
    ),
    "input.resolver_plain_http": (
        "The resolver '{value}' uses plain http; only https is accepted (http only for "
        "127.0.0.1 or ::1 in tests).",
        "リゾルバー「{value}」は http です。https だけを受け付けます（http はテスト用の "
        "127.0.0.1 と ::1 のみ）。",
    ),
    "input.resolver_bad_url": (
        "The resolver '{value}' is not a URL I can use.",
        "リゾルバー「{value}」は使える URL ではありません。",
    ),
    "input.name_too_long": (
        "The name {value} would be longer than DNS allows.",
        "名前 {value} は DNS の長さの上限を超えます。",
    ),
    "input.too_many_names": (
        "That makes more than {limit} names to check; check fewer addon domains or subdomains "
        "at a time.",
        "確認する名前が {limit} を超えます。アドオンドメインやサブドメインを分けて"
        "確認してください。",
    ),
    "input.link_too_many_names": (
        "The link lists {count} names; one link checks at most {limit}. Check the rest with "
        "another link, or the whole log with the command-line tool (--from-log).",
        "リンクにある名前は {count} 個ですが、1 つのリンクで確認できるのは {limit} 個までです。"
        "残りは別のリンクで確認するか、ログ全体をコマンドライン版（--from-log）で確認して"
        "ください。",
    ),
    "input.link_names_with": (
        "A link with {param}= checks exactly those names, so it cannot also carry {value}=; "
        "put those names in {param}= as well.",
        "{param}= のあるリンクはその名前だけを確認するため、{value}= と一緒には使えません。"
        "その名前も {param}= に入れてください。",
    ),
    "input.provider_unknown": (
        "Unknown provider '{value}': use letsencrypt or sectigo.",
        "不明なプロバイダー「{value}」: letsencrypt か sectigo を指定してください。",
    ),
    "input.no_resolver": ("At least one resolver is needed.", "リゾルバーが 1 つ以上必要です。"),
    "input.bad_time_limit": (
        "The time limit must be more than 0 and at most {limit} seconds.",
        "制限時間は 0 秒より長く {limit} 秒以下にしてください。",
    ),
    "input.bad_in_flight": (
        "The number of queries in flight must be between 1 and {limit}.",
        "同時問い合わせ数は 1 から {limit} の間にしてください。",
    ),
    "input.domain_missing": ("No domain given.", "ドメインが指定されていません。"),
    "input.param_repeated": (
        "The parameter '{value}' appears more than once.",
        "パラメーター「{value}」が複数回指定されています。",
    ),
    "input.param_bad_value": (
        "The parameter '{name}' has an unknown value '{value}'.",
        "パラメーター「{name}」の値「{value}」は使えません。",
    ),
    "input.link_too_long": (
        "The link is too long ({length} characters; at most {limit}).",
        "リンクが長すぎます（{length} 文字。上限は {limit} 文字）。",
    ),
    "input.link_unreadable": (
        "The link's parameters cannot be read.",
        "リンクのパラメーターを読み取れません。",
    ),
}

LABELS: dict[str, Pair] = {
    "verdict.ok": (
        "OK: every name resolves to the server and CAA allows the CA.",
        "問題なし: すべての名前がサーバーを指し、CAA も認証局を許可しています。",
    ),
    "verdict.action_needed": (
        "Action needed: some names will fail validation or be left off the certificate.",
        "対応が必要: 検証に失敗する名前、または証明書から外れる名前があります。",
    ),
    "verdict.inconclusive": (
        "Inconclusive: some lookups failed; nothing definite is wrong.",
        "判定不能: 一部の問い合わせに失敗しました（確実な問題は見つかっていません）。",
    ),
    "verdict.check_needed": (
        "Check needed: nothing certain fails, but some names may (see each finding).",
        "要確認: 確実に失敗する名前はありませんが、失敗しうる名前があります（各項目を参照）。",
    ),
    "heading": ("AutoSSL DNS check", "AutoSSL DNS チェック"),
    "domain": ("Domain", "ドメイン"),
    "server": ("Server", "サーバー"),
    "server.apex": (
        "(taken from {domain}'s own A/AAAA records; pass --server to set it)",
        "（{domain} 自身の A/AAAA レコードから取得。--server で指定できます）",
    ),
    "server.apex.page": (
        "(taken from {domain}'s own A/AAAA records)",
        "（{domain} 自身の A/AAAA レコードから取得）",
    ),
    "server.unknown": ("unknown", "不明"),
    "provider": ("CA", "認証局"),
    "resolvers": ("Resolvers", "リゾルバー"),
    "checked_at": ("Checked at", "確認日時"),
    "queries": ("DNS queries", "DNS 問い合わせ数"),
    "col.name": ("Name", "名前"),
    "col.status": ("Status", "状態"),
    "col.why": ("Why AutoSSL asks for it", "AutoSSL が含める理由"),
    "col.addresses": ("Addresses", "アドレス"),
    "col.cname": ("CNAME", "CNAME"),
    "status.ok": ("ok", "OK"),
    "status.problem": ("needs action", "要対応"),
    "status.failed": ("not checked (lookup failed)", "確認できず（問い合わせ失敗）"),
    "status.check": ("to check", "要確認"),
    "none": ("none", "なし"),
    "details": ("Details", "詳細"),
    "notes": ("Notes", "補足"),
    "what_to_do": ("What to do", "対処方法"),
    "exclude_heading": (
        "Names to exclude from AutoSSL if the DNS is not fixed",
        "DNS を直さない場合に AutoSSL から除外する名前",
    ),
    "docs": ("Explained at", "解説"),
    "chain.skipped": ("… {count} …", "… {count} 件 …"),
    # the command line's own messages
    "cli.usage": ("{message} (see --help)", "{message}（--help を参照）"),
    "cli.interrupted": ("interrupted", "中断しました"),
    "cli.batch_single_only": (
        "--http, --docroot, --watch and --watch-for check one domain: they do not go with "
        "--from-log or --from-domain-info (see --help)",
        "--http、--docroot、--watch、--watch-for は 1 つのドメインを調べるときのオプションで、"
        "--from-log や --from-domain-info とは一緒に使えません（--help を参照）",
    ),
    "cli.watch_for_alone": (
        "--watch-for needs --watch (see --help)",
        "--watch-for は --watch と一緒に使います（--help を参照）",
    ),
    "cli.domain_and_batch": (
        "give a domain or --from-log / --from-domain-info, not both (see --help)",
        "ドメインか --from-log / --from-domain-info のどちらか一方を指定してください"
        "（--help を参照）",
    ),
    "cli.domain_required": (
        "the domain is required (see --help)",
        "ドメインを指定してください（--help を参照）",
    ),
    "cli.batch_only": (
        "--user and --rate go with --from-log or --from-domain-info (see --help)",
        "--user と --rate は --from-log か --from-domain-info と一緒に使います（--help を参照）",
    ),
    "cli.bad_rate": (
        "--rate must be more than 0 and at most {most} (see --help)",
        "--rate は 0 より大きく {most} 以下にしてください（--help を参照）",
    ),
    "batch.progress": (
        "{done}/{total} names, {rate}/s, about {left} s left",
        "{done}/{total} 件、毎秒 {rate} 件、残り約 {left} 秒",
    ),
    "batch.account": ("== Account {user} ==", "== アカウント {user} =="),
    "batch.summary": (
        "Accounts (user, names, verdict):",
        "アカウント（ユーザー、名前の数、判定）:",
    ),
    "batch.exclude": (
        "To exclude the failing names from AutoSSL, per account (WHM):",
        "失敗する名前を AutoSSL から除外するコマンド（アカウントごと、WHM）:",
    ),
    "batch.unreadable": ("cannot read the file: {detail}", "ファイルを読めません: {detail}"),
    "batch.no_names": (
        "no account with names to check was found (check --user).",
        "調べる名前のあるアカウントが見つかりませんでした（--user を確認してください）。",
    ),
    "cli.internal_error": (
        "internal error: {error}: {detail}",
        "内部エラー: {error}: {detail}",
    ),
    "cli.docroot_missing": (
        "--docroot {path}: not a directory ({error})",
        "{path} はディレクトリではありません（{error}）",
    ),
    "cli.docroot_denied": (
        "--docroot {path}: no permission to write the test file ({error})",
        "{path} にテストファイルを書き込む権限がありません（{error}）",
    ),
    "cli.docroot_failed": (
        "--docroot {path}: the test file could not be written ({error})",
        "{path} にテストファイルを書き込めませんでした（{error}）",
    ),
    "page.internal_error": (
        "The check stopped on an internal error ({error}).",
        "内部エラーでチェックが止まりました（{error}）。",
    ),
    "page.log_summary": (
        "{lines} lines read: {recognised} recognised, {not_recognised} not recognised. "
        "Names to check: {names}.",
        "{lines} 行を読みました（認識できた行 {recognised}、認識できなかった行 "
        "{not_recognised}）。確認する名前は {names} 個です。",
    ),
    "page.log_more": (
        "Show the next {count} lines ({left} left)",
        "次の {count} 行を表示（残り {left} 行）",
    ),
    "page.log_show_all": ("All lines", "すべての行"),
    "page.log_show_not_recognised": ("Lines not recognised", "認識できなかった行"),
    # cPanel's own HTTP DCV of a name, from the pasted log, beside the public DNS status.
    "page.cpanel.http_ok": ("cPanel said: OK", "cPanel の判定: OK"),
    "page.cpanel.http_ok_via": ("cPanel said: OK (via {via})", "cPanel の判定: OK（via {via}）"),
    "page.cpanel.http_error": ("cPanel said: failed", "cPanel の判定: 失敗"),
}

ADVICE: dict[str, Pair] = {
    "fix_dns": (
        "Fix the DNS where the zone is hosted: point the A (and AAAA) records of these names at "
        "{servers}, or delete records that should not exist. Then run AutoSSL again.",
        "ゾーンを管理している DNS で、これらの名前の A（と AAAA）レコードを {servers} に向けるか、"
        "不要なレコードを削除してから AutoSSL を再実行してください。",
    ),
    "fix_aaaa": (
        "Remove AAAA records that are not the server's, or give the server's IPv6 address: "
        "cPanel's own check and Let's Encrypt try IPv6 first.",
        "サーバーのものではない AAAA レコードを削除するか、サーバーの IPv6 アドレスを指定して"
        "ください（cPanel 自身の確認と Let's Encrypt は IPv6 を先に試します）。",
    ),
    "fix_caa": (
        "Add a CAA record that allows {provider} ({issuers}) on the node named above, or remove "
        "the one that forbids it.",
        "上に示したノードに {provider}（{issuers}）を許可する CAA レコードを追加するか、"
        "禁止している CAA レコードを削除してください。",
    ),
    "check_caa_account": (
        "CAA limits Let's Encrypt to one account: if the accounturi shown is not the Provider "
        "Account ID in WHM » SSL/TLS » Manage AutoSSL, add this server's account URI as another "
        "issue record, or drop accounturi from the record.",
        "CAA が Let's Encrypt を 1 つのアカウントに限定しています。表示された accounturi が WHM »"
        "「SSL/TLS」»「Manage AutoSSL」の「Provider Account ID」と違う場合は、このサーバーの"
        "アカウント URI を別の issue レコードとして追加するか、レコードから accounturi を外して"
        "ください。",
    ),
    "fix_servfail": (
        "SERVFAIL usually means broken DNSSEC or delegation: check the DS records at the registrar "
        "and the name servers.",
        "SERVFAIL は多くの場合 DNSSEC か委任の不備です。レジストラの DS レコードとネームサーバーを"
        "確認してください。",
    ),
    "wait_disagree": (
        "Resolvers disagree: if you changed DNS recently, wait for the TTL shown and check again.",
        "リゾルバーの回答が食い違っています。最近 DNS を変更したなら、表示された TTL だけ待って"
        "再確認してください。",
    ),
    "fit_max_domains": (
        "A website has more than {limit} names, AutoSSL's limit for one certificate: exclude the "
        "names it does not need (unused service subdomains, parked domains without visitors) "
        "until {limit} are left, or exclude the names past the limit that are listed below.",
        "名前が {limit} 個（AutoSSL が 1 枚の証明書に入れる上限）を超える Web サイトがあります。"
        "使っていないサービスサブドメインや訪問者のいないパークドメインなど、不要な名前を "
        "{limit} 個以下になるまで除外するか、下に挙げた上限を超えた分の名前を除外してください。",
    ),
    "exclude": (
        "Or exclude these names from AutoSSL: cPanel » SSL/TLS Status » select them » "
        "Exclude Domains from AutoSSL, or run one of the commands below.",
        "または、これらの名前を AutoSSL から除外します: cPanel »「SSL/TLS Status」» 名前を選択 »"
        "「Exclude Domains from AutoSSL」、または下のコマンドを実行してください。",
    ),
    "check_proxy": (
        "For names behind a proxy: while AutoSSL orders, set their records to DNS only (grey "
        "cloud); or make sure the proxy does not redirect /.well-known/ (Always Use HTTPS, "
        "redirect rules) and passes it to this server; or exclude them. `autossl-check --http` "
        "shows what the CA gets.",
        "プロキシ経由の名前は、AutoSSL が発行する間レコードを「DNS のみ」（グレーの雲）にするか、"
        "プロキシで /.well-known/ をリダイレクトせず（Always Use HTTPS やリダイレクトのルール）"
        "このサーバーへ渡すようにするか、除外してください。`autossl-check --http` で認証局が"
        "受け取る応答を確認できます。",
    ),
    "retry_lookup": (
        "Some lookups failed: run the check again, or try another resolver.",
        "一部の問い合わせに失敗しました。もう一度実行するか、別のリゾルバーで試してください。",
    ),
    "all_good": (
        "Nothing to fix in DNS. If AutoSSL still fails, read its log for the names it reports.",
        "DNS に直すところはありません。それでも AutoSSL が失敗する場合は、ログに出ている名前を"
        "確認してください。",
    ),
}

# The guide's generated tables (tools/site_hooks/docs_tables.py): headers and each row's words;
# option names, values and defaults come from the code.
DOCS: dict[str, Pair] = {
    "head.option": ("Option", "オプション"),
    "head.meaning": ("Meaning", "意味"),
    "head.code": ("Code", "コード"),
    "head.title": ("In one line", "ひとことで"),
    "head.parameter": ("Parameter", "パラメーター"),
    "head.value": ("Value", "値"),
    "head.default": ("Default", "省略したとき"),
    "values": ("{meaning} ({values})", "{meaning}（{values}）"),
    "records_example": (
        "What the checker writes for this example",
        "この例でチェッカーが示すレコード",
    ),
    "cli.domain": (
        "the account's main domain (required unless `--from-log` or `--from-domain-info`)",
        "アカウントのメインドメイン（`--from-log` か `--from-domain-info` を使うとき以外は必須）。",
    ),
    "cli.server": (
        "an IPv4 or IPv6 address of the cPanel server; repeat for each. Without it, the domain's "
        "own A/AAAA addresses are taken as the server's, and the output says so",
        "cPanel サーバーの IPv4 または IPv6 アドレス。繰り返して複数指定できます。省略すると、"
        "ドメイン本体の A / AAAA レコードのアドレスをサーバーのアドレスとみなし、"
        "結果にそう表示します。",
    ),
    "cli.provider": (
        "the AutoSSL provider whose CA the CAA check is for (default `{default}`)",
        "AutoSSL のプロバイダー。CAA の判定に使います。既定は `{default}` です。",
    ),
    "cli.resolver": (
        "the resolver to ask: `cloudflare`, `google`, `both`, or the `https://` URL of another "
        "DNS-over-HTTPS endpoint; repeat for several. Replaces the default, which is both "
        "Cloudflare (`{cloudflare}`) and Google (`{google}`). Plain `http://` is accepted for "
        "loopback addresses only (tests)",
        "問い合わせるリゾルバー。`cloudflare`、`google`、`both`、またはほかの DNS over HTTPS "
        "サーバーの `https://` の URL を指定します。繰り返して複数指定でき、指定すると既定の "
        "Cloudflare（`{cloudflare}`）と Google（`{google}`）の代わりに使われます。"
        "`http://` はテスト用にループバックアドレスだけ受け付けます。",
    ),
    "cli.service_subdomains": (
        "leave out the service subdomains: `cpanel.`, `webmail.`, `webdisk.`, `cpcalendars.`, "
        "`cpcontacts.` and `autodiscover.` (and `whm.`)",
        "サービスサブドメイン（`cpanel.`、`webmail.`、`webdisk.`、`cpcalendars.`、"
        "`cpcontacts.`、`autodiscover.`、それに `whm.`）を調べません。",
    ),
    "cli.autodiscover": ("leave out `autodiscover.` only", "`autodiscover.` だけを調べません。"),
    "cli.reseller": (
        "add `whm.` (reseller accounts; only while service subdomains are on)",
        "リセラーのアカウントとして `whm.` も調べます（サービスサブドメインが有効なときだけ）。",
    ),
    "cli.addon": (
        "add an addon domain with the same rules as the main domain; repeatable",
        "アドオンドメインを加えます。メインドメインと同じ規則で名前が増えます。繰り返して指定できます。",
    ),
    "cli.subdomain": (
        "add a subdomain and its `www.`; repeatable. `shop` means `shop.DOMAIN`",
        "サブドメインを加えます（その名前と `www.` 付きの名前）。繰り返して指定できます。"
        "`shop` のように最初のラベルだけを書くと `shop.DOMAIN` の意味になります。",
    ),
    "cli.json": (
        "print the result as one JSON object (schema 1, below)",
        "結果を JSON（スキーマ 1）で標準出力に出します。",
    ),
    "cli.markdown": (
        "print a block to paste into a support ticket; cannot be combined with `--json`",
        "サポートのチケットに貼るための Markdown を出します。`--json` とは同時に使えません。",
    ),
    "cli.lang": (
        "language of the text and Markdown output, and of refusals. Default: `ja` when the first "
        "of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set starts with `ja`, otherwise `en`. "
        "The JSON is the same in both",
        "人が読む出力（表と `--markdown`、入力の誤りの知らせ）の言語。既定では、`LC_ALL`、"
        "`LC_MESSAGES`、`LANG` のうち最初に設定されているものが `ja` で始まれば `ja`、"
        "それ以外は `en` です。JSON はどちらでも同じです。",
    ),
    "cli.docs_url": (
        "the address this guide is published at, for example "
        "`https://docs.example.org/autossl/latest`. With it, the `--markdown` block links each "
        "finding code to its section: `URL/en/findings/#CODE` in English, `URL/findings/#CODE` "
        "in Japanese. Without it, the block has no links",
        "このガイドを公開しているアドレス（例: `https://docs.example.org/autossl/latest`）。"
        "指定すると、`--markdown` の出力で検出コードごとに解説へのリンクを付けます。日本語では "
        "`URL/findings/#CODE`、英語では `URL/en/findings/#CODE` です。指定しなければリンクは"
        "付きません。",
    ),
    "cli.timeout": (
        "time limit for the whole check, more than 0 and at most {most} (default {default}). A "
        "single query waits at most {query} seconds, or the whole limit if that is shorter; a "
        "lookup still unanswered when time runs out is reported as `LOOKUP_FAILED`",
        "チェック全体の制限時間（秒）。0 より大きく {most} 以下で、既定は {default} 秒です。"
        "1 つの問い合わせは最長 {query} 秒（制限時間のほうが短ければその時間）まで待ちます。"
        "時間内に答えが得られなかった問い合わせは `LOOKUP_FAILED` になります。",
    ),
    "cli.max_in_flight": (
        "how many queries may wait for one resolver at the same time, 1 to {most} "
        "(default {default})",
        "1 つのリゾルバーに同時に送る問い合わせの上限。1 から {most} で、既定は {default} です。",
    ),
    "cli.proxy": (
        "send every query through this `http://` proxy, whatever the environment says (see "
        "[Proxies and HTTP versions](#proxies))",
        "すべての問い合わせをこの `http://` プロキシ経由で送ります。環境変数の設定より優先します"
        "（[プロキシと HTTP のバージョン](#proxies)を参照）。",
    ),
    "cli.watch": (
        "after the check, ask each failing name again when public resolvers' cached answer "
        "for it expires (never more often than every 30 seconds), print only what changed, "
        "and exit 0 as soon as every name is fine; otherwise the usual status when the watch "
        "ends. Ctrl-C ends it (status 130). See [After you change DNS](after-dns-change.md)",
        "チェックのあと、失敗した名前を公開リゾルバーのキャッシュが切れるたびに問い合わせ直し"
        "（間隔は 30 秒以上）、変わったことだけを表示します。すべての名前が正常になった時点で"
        "終了ステータス 0 で終わり、そうならなければ監視の終わりにいつもの終了ステータスを"
        "返します。"
        "Ctrl-C で中断できます（130）。[DNS を変更したあと](after-dns-change.md)を参照。",
    ),
    "cli.watch_for": (
        "how long `--watch` goes on: `90s`, `30m`, `2h` (default `2h`, at most `24h`)",
        "`--watch` を続ける時間。`90s`、`30m`、`2h` のように書きます（既定 `2h`、最長 `24h`）。",
    ),
    "cli.version": ("print the version and exit", "バージョンを表示して終わります。"),
    "cli.http": (
        "after the DNS check, send every address of every name the request the CA's validator "
        "sends (`http://NAME/.well-known/...` on port 80, redirects as the provider follows them) "
        "and report the answers; its findings count in the verdict",
        "DNS のチェックの後、各名前のすべてのアドレスへ認証局の検証と同じリクエスト（ポート 80 の "
        "`http://名前/.well-known/...`、リダイレクトはプロバイダーと同じ扱い）を送り、応答を"
        "表示します。その検出も判定に数えます。",
    ),
    "cli.docroot": (
        "implies `--http`: write a file with random content under `DIR/.well-known/`, fetch it "
        "through public DNS, compare it and delete it (also on Ctrl-C). For a run on the cPanel "
        "server, with the document root of the names checked",
        "`--http` を含みます。`DIR/.well-known/` の下にランダムな内容のファイルを書き、公開 DNS "
        "経由で取得して比べ、削除します（中断したときも削除します）。cPanel サーバー上で、調べる"
        "名前のドキュメントルートを指定して使います。",
    ),
    "cli.from_log": (
        "check exactly the names of an AutoSSL log: the text of WHM » Manage AutoSSL » View Log, "
        "a file under /var/cpanel/logs/autossl/ or `whmapi1 get_autossl_log` output (the form "
        "is detected; `-` reads standard input)",
        "AutoSSL のログにある名前だけを調べます。WHM »「Manage AutoSSL」»「View Log」の"
        "テキスト、/var/cpanel/logs/autossl/ のファイル、`whmapi1 get_autossl_log` の出力を"
        "読みます（形式は自動判定。`-` は標準入力）。",
    ),
    "cli.from_domain_info": (
        "check the names of cPanel's domain list: `whmapi1 --output=json get_domain_info` (a "
        "whole server), `uapi --output=json DomainInfo domains_data` or `list_domains` (one "
        "account); `-` reads standard input",
        "cPanel のドメイン一覧の名前を調べます。`whmapi1 --output=json get_domain_info`"
        "（サーバー全体）、`uapi --output=json DomainInfo domains_data` または `list_domains`"
        "（1 アカウント）を読みます（`-` は標準入力）。",
    ),
    "cli.user": (
        "with `--from-log` or `--from-domain-info`: check this account only",
        "`--from-log` か `--from-domain-info` と一緒に使い、このアカウントだけを調べます。",
    ),
    "cli.rate": (
        "with `--from-log` or `--from-domain-info`: queries per second to each resolver (default "
        "50, at most 1500: Google's published limit per address)",
        "`--from-log` か `--from-domain-info` と一緒に使い、リゾルバーごとの 1 秒あたりの"
        "問い合わせ数を決めます（省略時 50、上限 1500。Google が公表している 1 アドレスあたりの"
        "上限です）。",
    ),
    "link.domain": (
        "the account's main domain; any case, a trailing dot, a Unicode name or a pasted URL are "
        "accepted",
        "アカウントのドメイン（必須）。大文字、末尾のドット、日本語ドメイン名、URL の貼り付けも"
        "受け付けます。",
    ),
    "link.domain.default": ("required", "—"),
    "link.server": (
        "an address of the cPanel server, IPv4 or IPv6; repeat it for each address",
        "サーバーの IPv4 または IPv6 アドレス。複数あるときは繰り返します。",
    ),
    "link.server.default": (
        "the domain's own A/AAAA addresses",
        "ドメイン本体のアドレスをサーバーのアドレスとみなします",
    ),
    "link.provider": ("the AutoSSL provider, for the CAA check", "AutoSSL のプロバイダー"),
    "link.addon": (
        "an addon domain of the account, such as `example.net`; repeat for each",
        "アドオンドメイン（例: `example.net`）。複数あるときは繰り返します。",
    ),
    "link.addon.default": ("none", "なし"),
    "link.subdomain": (
        "a subdomain of the account, in full (`shop.example.com`) or as its first label "
        "(`shop`); repeat for each",
        "サブドメイン。`shop.example.com` のように全体を書くか、`shop` のように最初のラベル"
        "だけを書きます。複数あるときは繰り返します。",
    ),
    "link.subdomain.default": ("none", "なし"),
    "link.reseller": (
        "`1` if the account is a reseller (adds `whm.`)",
        "`1` でリセラー用の `whm.` を加えます。",
    ),
    "link.service": (
        "`0` if *Service subdomains* is off on the server",
        "`0` でサービスサブドメイン（`cpanel.` など）を調べません。",
    ),
    "link.autodiscover": (
        "`0` if `autodiscover_proxy_subdomains` is off",
        "`0` で `autodiscover.` を調べません。",
    ),
    "link.resolver": ("the resolvers to ask", "問い合わせるリゾルバー"),
    "link.name": (
        "a name to check exactly as it is, such as `www.example.com`; repeat for each (the "
        "names of a pasted AutoSSL log). Nothing is added to them (no `www.`, `mail.` or service "
        "names), `domain` may then be left out, and `addon` and `subdomain` are refused beside "
        "it; at most {limit} per link",
        "そのまま確認する名前（例: `www.example.com`）。複数あるときは繰り返します（貼り付けた "
        "AutoSSL のログの名前など）。`www.`、`mail.`、サービスサブドメインは加えません。この"
        "とき `domain` は省略でき、`addon` と `subdomain` は一緒に使えません。1 つのリンクに "
        "{limit} 個まで。",
    ),
    "link.name.default": (
        "none: the names follow from domain",
        "なし（ドメインから名前を決めます）",
    ),
}

# --- the AutoSSL log and cPanel's domain lists ------------------------------------------------
# Keys are autossl_log.LineKind / DcvReason values and the error keys of autossl_log and
# domain_info. Each line kind links to its section of the guide page "autossl-log".

LOG_GUIDE_PAGE = "autossl-log"

LOG_LINES: dict[str, Pair] = {
    "blank": ("", ""),
    "not_recognised": (
        "Not an AutoSSL line this checker knows; it is shown as it was and changes nothing.",
        "このチェッカーが知らない行です。そのまま表示し、結果には使いません。",
    ),
    "provider": (
        "The AutoSSL provider of this run: {provider}.",
        "この実行の AutoSSL プロバイダーは {provider} です。",
    ),
    "user": (
        "AutoSSL starts on the cPanel account {user}.",
        "AutoSSL が cPanel アカウント {user} の処理を始めます。",
    ),
    "user_suspended": (
        "The account {user} is suspended, so AutoSSL skips it.",
        "アカウント {user} は停止中のため、AutoSSL は処理しません。",
    ),
    "user_missing_feature": (
        "The account {user} lacks the AutoSSL feature in its feature list, so AutoSSL skips it.",
        "アカウント {user} の機能リストに AutoSSL がないため、AutoSSL は処理しません。",
    ),
    "user_batch": (
        "AutoSSL works through the accounts in batches of this size.",
        "AutoSSL はこの数ずつアカウントをまとめて処理します。",
    ),
    "website": (
        "A website (web server virtual host): {website}. AutoSSL orders one certificate per "
        "website.",
        "Web サイト（バーチャルホスト）{website}。AutoSSL は Web サイトごとに 1 "
        "枚の証明書を注文します。",
    ),
    "dynamic_dns": (
        "A dynamic DNS name of the account: {website}.",
        "アカウントのダイナミック DNS 名 {website}。",
    ),
    "dcv_results_for": (
        "AutoSSL weighs the validation results of the website {website}.",
        "AutoSSL が Web サイト {website} の検証結果を評価します。",
    ),
    "tls_status": (
        "The website's current certificate: {reason}. Anything but OK makes AutoSSL try to order.",
        "現在の証明書の状態: {reason}。OK 以外なら AutoSSL は注文を試みます。",
    ),
    "defect": (
        "Why the certificate counts as defective: {code}.",
        "証明書が不良とされる理由: {code}。",
    ),
    "certificate_expiry": (
        "When the current certificate expires.",
        "現在の証明書の有効期限です。",
    ),
    "issuer": ("Who signed the current certificate.", "現在の証明書の発行者です。"),
    "user_excluded": (
        "Names the account excluded from AutoSSL ({count}); AutoSSL does not order them.",
        "アカウントが AutoSSL から除外した名前（{count} 件）。AutoSSL は注文しません。",
    ),
    "provider_excluded": (
        "Names the provider will not secure ({count}).",
        "プロバイダーが対象外とする名前（{count} 件）。",
    ),
    "domain_count": (
        "How many names the website has; shown when it has more than one certificate can hold.",
        "Web サイトの名前の数。証明書 1 枚に入りきらないときに表示されます。",
    ),
    "certificate_limit": (
        "The provider's limit of names per certificate.",
        "プロバイダーの証明書 1 枚あたりの名前の上限です。",
    ),
    "cannot_secure_all": (
        "The website {website} has more names than one certificate can hold; some stay uncovered.",
        "Web サイト {website} の名前が証明書 1 枚の上限を超えています。一部は保護されません。",
    ),
    "coverage_optimal": (
        "Every name of this account is already covered; AutoSSL orders nothing.",
        "このアカウントの名前はすべて保護済みで、AutoSSL は何も注文しません。",
    ),
    "cannot_increase_coverage": (
        "AutoSSL can add no name for {user}: CAA or DNS management stopped every candidate.",
        "{user} について AutoSSL は名前を追加できません。CAA か DNS "
        "の管理状態で全候補が止まりました。",
    ),
    "caa_setup": (
        "AutoSSL adds CAA records for its CA where this server hosts the DNS zone.",
        "このサーバーが DNS ゾーンを持つ場合、AutoSSL は CA 用の CAA レコードを追加します。",
    ),
    "caa_check": (
        "AutoSSL looks up the CAA records of each name in public DNS.",
        "AutoSSL が各名前の CAA レコードを公開 DNS で確認します。",
    ),
    "ca_authorized": (
        "CAA allows the provider's CA to issue for {name}.",
        "CAA は {name} についてプロバイダーの CA の発行を許可しています。",
    ),
    "ca_forbidden": (
        "CAA forbids the provider's CA to issue for {name}; AutoSSL drops this name.",
        "CAA が {name} についてプロバイダーの CA の発行を禁止しています。AutoSSL "
        "はこの名前を外します。",
    ),
    "caa_summary": (
        "How many of the account's names CAA allows.",
        "アカウントの名前のうち CAA が許可する数です。",
    ),
    "management_check": (
        "AutoSSL checks that each name has working authoritative name servers.",
        "AutoSSL が各名前に機能する権威ネームサーバーがあるか確認します。",
    ),
    "managed": (
        "{name} has working authoritative name servers.",
        "{name} には機能する権威ネームサーバーがあります。",
    ),
    "unmanaged": (
        "{name} has no working authoritative name server (not registered, or lame delegation); "
        "AutoSSL drops it.",
        "{name} に機能する権威ネームサーバーがありません（未登録か委任の不備）。AutoSSL "
        "はこの名前を外します。",
    ),
    "management_summary": (
        "How many of the account's names have working name servers.",
        "アカウントの名前のうち、機能するネームサーバーを持つ数です。",
    ),
    "http_dcv_start": (
        "cPanel's own HTTP check starts: it fetches a file over http from each name.",
        "cPanel 自身の HTTP 検証が始まります。各名前から http でファイルを取得します。",
    ),
    "local_http_dcv_ok": (
        "cPanel fetched its test file from {name}: this server answers for it over http.",
        "cPanel は {name} からテストファイルを取得できました。このサーバーが http "
        "で応答しています。",
    ),
    "local_http_dcv_ok_via": (
        "cPanel accepted {name} because its parent {via} passed. This cPanel predates the fix "
        "(94.0.19, 98.0.13, 100.0.4, 102.0.0): CAs check every name on its own since November "
        "2021, so {name} may still fail at the CA. Check it in public DNS and update cPanel.",
        "親ドメイン {via} の結果で {name} を合格にしています。この cPanel は修正版（94.0.19、"
        "98.0.13、100.0.4、102.0.0）より前のものです。2021 年 11 月以降 CA "
        "は名前ごとに検証するため、"
        "{name} は CA で失敗することがあります。公開 DNS で確認し、cPanel を更新してください。",
    ),
    "local_http_dcv_error": (
        "cPanel's own HTTP check of {name} failed: {reason}",
        "cPanel 自身による {name} の HTTP 検証が失敗しました: {reason}",
    ),
    "local_http_dcv_impediment": (
        "cPanel could not HTTP-check {name}: {reason}",
        "cPanel は {name} を HTTP 検証できませんでした: {reason}",
    ),
    "bare_ok": (
        'An "OK:" line of older cPanel versions; it carries no name.',
        "古い cPanel の「OK:」行です。名前は含まれません。",
    ),
    "redirect": (
        "The http request for {name} was redirected to {target}.",
        "{name} への http リクエストが {target} へリダイレクトされました。",
    ),
    "redirect_forbidden": (
        "The provider {provider} accepts no redirect during validation (Sectigo); a redirect of "
        "/.well-known/ fails the name.",
        "プロバイダー {provider} は検証中のリダイレクトを認めません（Sectigo）。/.well-known/ の"
        "リダイレクトで失敗します。",
    ),
    "redirect_limit": (
        "The validation followed more redirects than the provider allows.",
        "検証がプロバイダーの許す回数を超えてリダイレクトされました。",
    ),
    "dns_dcv_step": (
        "A step of DNS validation (a TXT record in zones this server hosts).",
        "DNS 検証の手順です（このサーバーが持つゾーンに TXT レコードを置きます）。",
    ),
    "local_authority_ok": (
        "This server is authoritative for {name}, so DNS validation can be tried.",
        "このサーバーは {name} の権威サーバーなので、DNS 検証を試せます。",
    ),
    "local_authority_none": (
        "This server is not authoritative for {name} (external DNS): no DNS validation for it.",
        "このサーバーは {name} の権威サーバーではありません（外部 DNS）。DNS 検証はできません。",
    ),
    "local_authority_failed": (
        "cPanel could not tell whether it is authoritative for {name}.",
        "cPanel は {name} の権威サーバーかどうか判断できませんでした。",
    ),
    "local_dns_dcv_ok": (
        "The DNS check of {name} passed.",
        "{name} の DNS 検証に合格しました。",
    ),
    "local_dns_dcv_ok_via": (
        "The DNS check of {name} passed through its zone {via} (allowed for DNS validation).",
        "{name} の DNS 検証がゾーン {via} を通じて合格しました（DNS 検証では認められています）。",
    ),
    "local_dns_dcv_error": (
        "The DNS check of {name} failed: {reason}",
        "{name} の DNS 検証が失敗しました: {reason}",
    ),
    "provider_dcv_ok": (
        "The CA ({provider}) validated {name}.",
        "CA（{provider}）が {name} を検証しました。",
    ),
    "provider_dcv_error": (
        "The CA ({provider}) could not validate {name}: {reason}",
        "CA（{provider}）は {name} を検証できませんでした: {reason}",
    ),
    "impediment": (
        "Why AutoSSL orders nothing for this website: {code}.",
        "AutoSSL がこの Web サイトについて注文しない理由: {code}。",
    ),
    "domains_omitted": (
        "Names left out because one certificate holds at most the provider's limit.",
        "証明書 1 枚の上限のため外された名前です。",
    ),
    "replacing_external": (
        "AutoSSL replaces a certificate from another CA (the server allows it).",
        "AutoSSL が他の CA の証明書を置き換えます（サーバーの設定で許可されています）。",
    ),
    "will_request": (
        "AutoSSL orders a certificate for this website.",
        "AutoSSL がこの Web サイトの証明書を注文します。",
    ),
    "renew_set": (
        "The exact names AutoSSL asks the CA for, website by website. These are the names to "
        "check.",
        "AutoSSL が CA に申請する名前そのもの（Web サイトごと）。確認すべき名前はこれです。",
    ),
}

# Why a line was kept as not recognised (`LogLine.problem`). Other keys are inputs.InputError
# keys (a name that is not a valid domain name); they read as "invalid_name".
LOG_PROBLEMS: dict[str, Pair] = {
    "unknown_line": (
        "Not an AutoSSL line this checker knows.",
        "このチェッカーが知っている AutoSSL の行ではありません。",
    ),
    "binary": (
        "Not text (binary data or another encoding than UTF-8).",
        "テキストではありません（バイナリか UTF-8 以外の文字コード）。",
    ),
    "line_too_long": (
        "A line longer than {limit} characters: only its start was kept.",
        "{limit} 文字を超える行です。先頭だけを残しました。",
    ),
    "invalid_user": (
        "The account name on this line is not a cPanel user name.",
        "この行のアカウント名は cPanel のユーザー名ではありません。",
    ),
    "json_not_log_entry": (
        "A JSON entry without a log message.",
        "ログのメッセージを含まない JSON の項目です。",
    ),
    "wildcard": (
        "A wildcard name: only DNS validation can cover it, and the public DNS check does not "
        "apply.",
        "ワイルドカード名です。DNS 検証でしか扱えず、公開 DNS の確認の対象外です。",
    ),
    "unknown_domain_type": (
        "A domain type other than main, addon, sub or parked.",
        "メイン、アドオン、サブ、パーク以外のドメインの種類です。",
    ),
    "not_text": ("A value that is not text.", "テキストではない値です。"),
    "invalid_name": (
        "The name on this line is not a valid domain name, so it was not read.",
        "この行の名前は有効なドメイン名ではないため、読み取りませんでした。",
    ),
}

# One sentence about the whole input (`LogStream.error`, `LogReport`, `DomainInfo.error`).
LOG_ERRORS: dict[str, Pair] = {
    "nothing_recognised": (
        "Nothing in this text is an AutoSSL log line. Copy the log from WHM » Manage AutoSSL » "
        "View Log, or the files under /var/cpanel/logs/autossl/.",
        "このテキストには AutoSSL のログの行がありません。WHM »「Manage AutoSSL」»「View Log」か、"
        "/var/cpanel/logs/autossl/ のファイルからコピーしてください。",
    ),
    "truncated_paste": (
        "The text is longer than this page reads ({limit} characters); only its start was read.",
        "テキストがこのページで読める長さ（{limit} 文字）を超えたため、先頭だけを読みました。",
    ),
    "json_truncated": (
        "The JSON ends in the middle: the output was cut off. Copy it again in full.",
        "JSON が途中で切れています。出力全体をもう一度コピーしてください。",
    ),
    "json_invalid": (
        "This is not valid JSON.",
        "正しい JSON ではありません。",
    ),
    "json_other_api": (
        "This JSON is the answer of another API, not the one expected here.",
        "この JSON は別の API の応答で、ここで期待するものではありません。",
    ),
    "api_error": (
        "cPanel answered with an error: {reason}",
        "cPanel がエラーを返しました: {reason}",
    ),
    "too_many_users": (
        "More than {limit} accounts: the rest were not read. Pick accounts with --user.",
        "アカウントが {limit} を超えたため、残りは読み取っていません。--user "
        "でアカウントを選んでください。",
    ),
    "too_many_domains": (
        "More than {limit} domains: the rest were not read.",
        "ドメインが {limit} を超えたため、残りは読み取っていません。",
    ),
    "too_large": (
        "The text is longer than {limit} characters; run the command on the server instead.",
        "テキストが {limit} 文字を超えています。サーバー上でコマンドを実行してください。",
    ),
    "not_json": (
        "This is not JSON. Run the command with --output=json.",
        "JSON ではありません。コマンドに --output=json を付けて実行してください。",
    ),
    "user_required": (
        "This list (uapi DomainInfo list_domains) does not name its account: give the user name.",
        "この一覧（uapi DomainInfo list_domains）にはアカウント名がありません。"
        "ユーザー名を指定してください。",
    ),
    "names_dropped": (
        "The account {user} mentions more than {limit} names; the rest were not read.",
        "アカウント {user} の名前が {limit} を超えたため、残りは読み取っていません。",
    ),
}

# cPanel's HTTP DCV failure reasons (autossl_log.DcvReason) in a few words.
DCV_REASONS: dict[str, Pair] = {
    "no_address": (
        "cPanel's resolver found no address for the name.",
        "cPanel のリゾルバーは名前のアドレスを見つけられませんでした。",
    ),
    "not_on_server": (
        "The name points to an address that is not on this server.",
        "名前がこのサーバーにないアドレスを指しています。",
    ),
    "private_address": (
        "The name points to a private address the CA cannot reach; no public DNS finding matches.",
        "名前が CA から届かないプライベートアドレスを指しています。対応する公開 DNS "
        "の判定はありません。",
    ),
    "loopback": (
        "The name points to a loopback address (127.0.0.1 or ::1); no public DNS finding matches.",
        "名前がループバックアドレス（127.0.0.1 や ::1）を指しています。対応する公開 DNS "
        "の判定はありません。",
    ),
    "http_status": (
        "The web server answered with an error status (for example 404): a web server or "
        "rewrite problem, not DNS.",
        "Web サーバーがエラー（例: 404）を返しました。DNS ではなく Web "
        "サーバーや書き換え設定の問題です。",
    ),
    "content_mismatch": (
        "The file came back with other content (another site or a proxy answered); not a DNS "
        "finding.",
        "ファイルの内容が違いました（別のサイトやプロキシが応答）。DNS の判定ではありません。",
    ),
    "fetch_failed": (
        "The request failed (timeout, refused connection, TLS error).",
        "リクエストが失敗しました（タイムアウト、接続拒否、TLS エラー）。",
    ),
    "fetch_failed_cached": (
        "Not tried again: the same address and port had just failed for another name.",
        "再試行していません。同じアドレスとポートが別の名前で直前に失敗しています。",
    ),
    "redirects_forbidden": (
        "The provider allows no redirect and the request was redirected.",
        "プロバイダーはリダイレクトを認めず、リクエストはリダイレクトされました。",
    ),
    "too_many_redirects": (
        "More redirects than the provider allows.",
        "プロバイダーが認める回数を超えるリダイレクトです。",
    ),
    "no_document_root": (
        "The name has no document root on this server.",
        "この名前にはこのサーバー上のドキュメントルートがありません。",
    ),
    "response_too_long": (
        "The answer was far longer than a validation file.",
        "応答が検証ファイルよりはるかに長いものでした。",
    ),
    "internal_error": (
        "cPanel failed internally; its system log has the details.",
        "cPanel の内部エラーです。詳細はシステムログにあります。",
    ),
    "other": (
        "Another reason; see cPanel's words.",
        "その他の理由です。cPanel の文をご覧ください。",
    ),
}

# The records to enter after a fix, and the watch that follows it (zone_records, watch).
AFTER_FIX: dict[str, Pair] = {
    # the records to enter
    "records_title": (
        "Records to enter at the DNS host",
        "DNS ホストで設定するレコード",
    ),
    "records_for": ("{name} (zone {zone})", "{name}（ゾーン {zone}）"),
    "records_for_kind": ("{name} (zone {zone}): {kind}", "{name}（ゾーン {zone}）：{kind}"),
    "action_add": ("Add", "追加"),
    "action_delete": ("Delete", "削除"),
    "kind_add": ("add", "追加"),
    "kind_change": ("change", "変更"),
    "kind_delete": ("delete", "削除"),
    "kind_cname": ("change the CNAME", "CNAME を変更"),
    "option_replace_cname": (
        "Replace the CNAME: delete it, then add the server's addresses.",
        "CNAME を置き換える：CNAME を削除してから、サーバーのアドレスを追加します。",
    ),
    "option_retarget_cname": (
        "Or change the CNAME's target to a name that points at the server.",
        "または、CNAME の参照先をサーバーを指している名前に変更します。",
    ),
    "never_beside_cname": (
        "Never add an A or AAAA record beside the CNAME: a name with a CNAME can have no other "
        "records, and DNS hosts refuse or ignore them.",
        "CNAME と同じ名前に A / AAAA レコードを追加しないでください。CNAME のある名前は他のレコード"
        "を持てず、DNS ホストは受け付けないか無視します。",
    ),
    "field_type": ("Type", "タイプ"),
    "field_name": ("Name", "名前"),
    "field_value": ("Value", "値"),
    "field_ttl": ("TTL", "TTL"),
    "zone_lines": ("Zone-file lines", "ゾーンファイルの行"),
    "nothing_to_enter": (
        "Nothing to enter at the DNS host for this name.",
        "この名前について DNS ホストで設定するものはありません。",
    ),
    "servers_given": (
        "Server addresses: {servers} (as you gave them).",
        "サーバーのアドレス：{servers}（入力された値）。",
    ),
    "servers_inferred": (
        "Server addresses: {servers} (taken from the domain's own records; check they are the "
        "server's).",
        "サーバーのアドレス：{servers}（ドメイン自身のレコードから推定。サーバーのものか確認して"
        "ください）。",
    ),
    "ipv4": ("IPv4", "IPv4"),
    "ipv6": ("IPv6", "IPv6"),
    # notes (zone_records.Note keys)
    "zone_assumed": (
        "Zone {zone} is assumed: the answers carried no SOA record. If your DNS host keeps this "
        "name in another zone, write the name relative to that zone.",
        "ゾーンは {zone} と仮定しています（回答に SOA レコードがありませんでした）。DNS ホストで"
        "この名前が別のゾーンにある場合は、そのゾーンからの相対名で入力してください。",
    ),
    "zone_assumed_other": (
        "Zone {zone} is assumed: the SOA record in the answers is that of {seen}, the zone of "
        "the name's CNAME target, not of this name. If your DNS host keeps this name in another "
        "zone, write the name relative to that zone.",
        "ゾーンは {zone} と仮定しています（回答の SOA レコードはこの名前ではなく、CNAME の"
        "ターゲットのゾーン {seen} のものです）。DNS ホストでこの名前が別のゾーンにある場合は、"
        "そのゾーンからの相対名で入力してください。",
    ),
    "ttl_default": (
        "TTL {ttl} s: short, so that a mistake can be corrected quickly; raise it once every "
        "name is fine.",
        "TTL {ttl} 秒：誤りをすぐ直せるよう短くしています。すべての名前が正常になったら長くして"
        "構いません。",
    ),
    "ttl_given": ("TTL {ttl} s, as asked.", "TTL {ttl} 秒（指定どおり）。"),
    "no_server_address": (
        "The server's address is not known, so no record can be written; give it and check again.",
        "サーバーのアドレスが分からないため、レコードを書けません。アドレスを指定して再度確認して"
        "ください。",
    ),
    "aaaa_no_server_v6": (
        "The server has no IPv6 address here, so the name's AAAA records are deleted, not changed.",
        "サーバーに IPv6 アドレスがないため、この名前の AAAA レコードは変更ではなく削除します。",
    ),
    "cname_retarget_words": (
        "For the new target, use a name whose A record is {servers}.",
        "新しい参照先には、A レコードが {servers} の名前を使ってください。",
    ),
    "caa_at_cname_target": (
        "The name is a CNAME, so the CAA record is read at its target {node}; change it there.",
        "この名前は CNAME なので、CAA は参照先 {node} で読まれます。そちらで変更してください。",
    ),
    "caa_account_bound": (
        "The CAA record at {node} lets only one ACME account issue. The line below lets any "
        "account of {issuer} issue; to keep the binding, add a record with AutoSSL's own account "
        "URI instead.",
        "{node} の CAA レコードは 1 つの ACME アカウントにだけ発行を許しています。"
        "下の行は {issuer} のどのアカウントにも許可します。"
        "制限を残すには、代わりに AutoSSL 自身のアカウント URI を"
        "書いたレコードを追加してください。",
    ),
    "other_zone": (
        "Some records belong to another zone than the name's; enter them where that zone is "
        "hosted.",
        "一部のレコードはこの名前とは別のゾーンのものです。そのゾーンを管理している場所で設定して"
        "ください。",
    ),
    "cached_for": (
        "Public resolvers may keep the answer this check saw for up to {seconds} s more; the CA "
        "sees a change only after that (the watch asks again then).",
        "公開リゾルバーは、このチェックで得た回答を最長であと {seconds} 秒保持します。"
        "変更が認証局に見えるのはその後です（監視はその時点で問い合わせ直します）。",
    ),
    "disagree_wait": (
        "Resolvers disagree: if you already changed this name, wait for the old answers to expire "
        "(see the watch); the records show what the zone should end up with.",
        "リゾルバーの回答が食い違っています。すでに変更済みなら古い回答の期限切れを待ってください"
        "（監視を参照）。レコードは最終的にゾーンにあるべき内容です。",
    ),
    "servfail_other_advice": (
        "SERVFAIL is not fixed by adding records; see the finding's advice.",
        "SERVFAIL はレコードの追加では直りません。検出コードの説明を参照してください。",
    ),
    "lookup_failed_other_advice": (
        "The lookup failed, so nothing is known about this name's records; check again.",
        "問い合わせに失敗したため、この名前のレコードは分かりません。再度確認してください。",
    ),
    # the watch
    "status_ok": ("ok", "正常"),
    "watch_change": ("{name}: {before} -> {after}", "{name}: {before} → {after}"),
    "watch_addresses": (
        "{name}: {rtype} {before} -> {after}",
        "{name}: {rtype} {before} → {after}",
    ),
    "watch_none": ("none", "なし"),
    "watch_next": (
        "{name}: re-check in {countdown}",
        "{name}: {countdown}後に再確認",
    ),
    "watch_next_expiry": (
        "{name}: cached for another {expires}, re-check in {countdown}",
        "{name}: キャッシュの残り {expires}、{countdown}後に再確認",
    ),
    "watch_beyond": (
        "{name}: cached answers expire in {expires}, after the watch ends",
        "{name}: キャッシュの期限は {expires} 後で、監視の終了より後です",
    ),
    "watch_all_fine": ("Every name is fine.", "すべての名前が正常です。"),
    "watch_ended": (
        "The watch ended after {elapsed}; still failing: {names}",
        "監視を終了しました（{elapsed}経過）。まだ失敗している名前：{names}",
    ),
    "title_watching": ("Watching: {count} failing", "監視中：{count} 件失敗"),
    "title_fine": ("All fine", "すべて正常"),
    "title_ended": ("Watch ended: {count} failing", "監視終了：{count} 件失敗"),
    "watch_button": ("Watch until fixed", "直るまで監視する"),
    "watch_unavailable": (
        "Check again first: the watch follows the check shown on this page.",
        "先にもう一度チェックしてください。監視はこのページに表示したチェックの続きです。",
    ),
    "records_copy": ("Copy records", "レコードをコピー"),
    "countdown_seconds": ("{seconds} s", "{seconds} 秒"),
    "countdown_minutes": ("{minutes} min {seconds} s", "{minutes} 分 {seconds} 秒"),
    "countdown_hours": ("{hours} h {minutes} min", "{hours} 時間 {minutes} 分"),
}


# The checker page's own words (its furniture: form and table labels, and the messages shown
# before Python has started or when it cannot start). The build writes them into the page's
# `page-words.js` (tools/site_hooks/page_words.py); the keys are the ones the page's scripts and
# the template's data-i18n attributes use.
PAGE_WORDS: dict[str, Pair] = {
    "domainLabel": (
        "Domain",
        "ドメイン",
    ),
    "domainHint": (
        "The cPanel account's main domain, for example example.com (a pasted URL works too).",
        "cPanel アカウントのメインドメイン（例: example.com）。URL を貼り付けても構いません。",
    ),
    "serverLabel": (
        "Server address(es), optional",
        "サーバーの IP アドレス（省略可）",
    ),
    "serverHint": (
        "One IPv4 or IPv6 address per line. Left empty, the domain's own address is used.",
        ("IPv4 または IPv6 のアドレスを 1 行に 1 つ。空欄ならドメイン自体のアドレスを使います。"),
    ),
    "providerLabel": (
        "AutoSSL provider",
        "AutoSSL のプロバイダー",
    ),
    "advanced": (
        "More options",
        "詳細オプション",
    ),
    "serviceLabel": (
        "Service subdomains are on (cpanel., webmail., webdisk., cpcalendars., cpcontacts.)",
        "サービスサブドメインが有効（cpanel.、webmail.、webdisk.、cpcalendars.、cpcontacts.）",
    ),
    "autodiscoverLabel": (
        "autodiscover. is added (autodiscover_proxy_subdomains)",
        "autodiscover. も対象（autodiscover_proxy_subdomains）",
    ),
    "resellerLabel": (
        "The account is a reseller (adds whm.)",
        "リセラーアカウント（whm. が加わる）",
    ),
    "addonLabel": (
        "Addon domains, one per line",
        "アドオンドメイン（1 行に 1 つ）",
    ),
    "subdomainLabel": (
        "Subdomains, one per line",
        "サブドメイン（1 行に 1 つ）",
    ),
    "resolverLabel": (
        "Public DNS resolver",
        "問い合わせる公開 DNS リゾルバー",
    ),
    "resolverBoth": (
        "Both (and compare)",
        "両方（結果を比べる）",
    ),
    "check": (
        "Check",
        "確認する",
    ),
    "retry": (
        "Retry",
        "再試行",
    ),
    "colName": (
        "Name",
        "名前",
    ),
    "colWhy": (
        "Why AutoSSL asks for it",
        "AutoSSL が含める理由",
    ),
    "colStatus": (
        "Status",
        "状態",
    ),
    "colAddresses": (
        "Addresses",
        "アドレス",
    ),
    "colCname": (
        "CNAME chain",
        "CNAME の連鎖",
    ),
    "todoHeading": (
        "What to do",
        "対処方法",
    ),
    "uapiLabel": (
        "Exclude these names as the cPanel user (uapi):",
        "cPanel ユーザーとしてこれらの名前を除外する（uapi）:",
    ),
    "whmapiLabel": (
        "Or as root through the WHM API (whmapi1):",
        "または root で WHM API から除外する（whmapi1）:",
    ),
    "copyTicket": (
        "Copy for ticket",
        "チケット用にコピー",
    ),
    "copyJson": (
        "Copy JSON",
        "JSON をコピー",
    ),
    "copyLink": (
        "Copy link",
        "リンクをコピー",
    ),
    "copied": (
        "Copied.",
        "コピーしました。",
    ),
    "copyFailed": (
        "Could not copy: select the text by hand.",
        "コピーできませんでした。文字列を手で選択してください。",
    ),
    "stageStarting": (
        "Starting the checker…",
        "チェッカーを起動しています…",
    ),
    "stageRuntime": (
        "Loading the Python runtime…",
        "Python 実行環境を読み込んでいます…",
    ),
    "stageDownload": (
        (
            "Downloading the checker's runtime ({total}). Later visits load it from this "
            "browser's cache."
        ),
        (
            "チェッカーの実行環境（{total}）をダウンロードしています。"
            "次回からはこのブラウザーのキャッシュから読み込みます。"
        ),
    ),
    "downloadProgress": (
        "{received} of {total}",
        "{total} 中 {received}",
    ),
    "downloadLeft": (
        "{received} of {total}, about {seconds} s left",
        "{total} 中 {received}、残り約 {seconds} 秒",
    ),
    "megabytes": (
        "{value} MB",
        "{value} MB",
    ),
    "stagePackages": (
        "Loading the checker's packages…",
        "チェッカーのパッケージを読み込んでいます…",
    ),
    "stageReady": (
        "Ready.",
        "準備ができました。",
    ),
    "stageQueued": (
        "The check starts as soon as the checker has loaded…",
        "読み込みが終わりしだい確認を始めます…",
    ),
    "stageRunning": (
        "Checking…",
        "確認しています…",
    ),
    "stageDone": (
        "Done.",
        "完了しました。",
    ),
    "failTimeout": (
        (
            "The checker has not finished loading after {seconds} seconds. A proxy, a browser "
            "extension or a content filter may be blocking it, or the connection is slow; it "
            "keeps loading and carries on by itself if it gets there. Press Retry to start over, "
            "or use the command-line tool."
        ),
        (
            "{seconds} 秒たってもチェッカーの読み込みが終わりません。プロキシー、ブラウザー拡張、"
            "フィルターが妨げているか、回線が遅い可能性があります。読み込みは続けており、"
            "終われば自動で先へ進みます。最初からやり直すには「再試行」を押してください。"
            "コマンドライン版でも確認できます。"
        ),
    ),
    "failRuntime": (
        (
            "The Python runtime could not be loaded, so the checker cannot run. Press Retry; if "
            "this keeps happening, use the command-line tool."
        ),
        (
            "Python 実行環境を読み込めなかったため、チェッカーを動かせません。「再試行」"
            "を押してください。繰り返す場合はコマンドライン版を使ってください。"
        ),
    ),
    "failPackages": (
        (
            "The checker's own files could not be loaded, or did not match their published "
            "checksums and were refused. Press Retry; if this keeps happening, use the "
            "command-line tool."
        ),
        (
            "チェッカー本体のファイルを読み込めなかったか、"
            "公開されているチェックサムと一致しなかったため拒否しました。「再試行」"
            "を押してください。繰り返す場合はコマンドライン版を使ってください。"
        ),
    ),
    "failImport": (
        "The checker loaded but could not start. Press Retry, or use the command-line tool.",
        (
            "チェッカーは読み込めましたが、起動できませんでした。「再試行」を押すか、"
            "コマンドライン版を使ってください。"
        ),
    ),
    "failCrash": (
        "The checker stopped unexpectedly. Press Retry to start it again.",
        "チェッカーが予期せず停止しました。「再試行」を押すと起動し直します。",
    ),
    "failUnsupported": (
        (
            "This browser cannot run the checker (it needs module Web Workers and WebAssembly). "
            "Use a current browser or the command-line tool."
        ),
        (
            "このブラウザーではチェッカーを動かせません（モジュール形式の Web Worker と "
            "WebAssembly が必要です）。新しいブラウザーかコマンドライン版を使ってください。"
        ),
    ),
    "runFailed": (
        "The check stopped with an internal error. Press Retry to start the checker again.",
        "内部エラーで確認が止まりました。「再試行」を押すとチェッカーを起動し直します。",
    ),
    "runTimeout": (
        "The check did not finish in time. Press Retry to start the checker again.",
        "時間内に確認が終わりませんでした。「再試行」を押すとチェッカーを起動し直します。",
    ),
    "offline": (
        (
            "Your browser is offline: the DNS lookups cannot reach the resolver, so names will "
            "show as not checked."
        ),
        (
            "ブラウザーがオフラインです。DNS の問い合わせがリゾルバーに届かないため、"
            "名前は「確認できず」と表示されます。"
        ),
    ),
    "emptyDomain": (
        "Enter a domain to check.",
        "確認するドメインを入力してください。",
    ),
    "framedAskForClick": (
        (
            "This page is shown inside another site, so the check from the link has not been "
            "started. Look at the filled-in form and press Check to run it."
        ),
        (
            "このページは別のサイトの中に表示されているため、"
            "リンクの確認は自動では始めていません。入力内容を確かめてから「確認する」"
            "を押してください。"
        ),
    ),
    "detailPrefix": (
        "Details: ",
        "詳細: ",
    ),
    "statusPending": (
        "checking…",
        "確認中…",
    ),
    "serverGiven": (
        "Server: {servers} (as given)",
        "サーバー: {servers}（入力された値）",
    ),
    "serverApex": (
        "Server: {servers} (the domain's own address, since none was given)",
        "サーバー: {servers}（入力がないため、ドメイン自体のアドレス）",
    ),
    "serverUnknown": (
        "Server: unknown (the domain has no address and none was given)",
        "サーバー: 不明（ドメインにアドレスがなく、入力もありません）",
    ),
    "moreAbout": (
        "about this finding",
        "この指摘の説明",
    ),
    "pasteSummary": (
        "Paste your AutoSSL log",
        "AutoSSL のログを貼り付ける",
    ),
    "logLabel": (
        (
            "The AutoSSL log (WHM » Manage AutoSSL » View Log, or a file from "
            "/var/cpanel/logs/autossl/)"
        ),
        (
            "AutoSSL のログ（WHM »「Manage AutoSSL」»「View Log」、または "
            "/var/cpanel/logs/autossl/ のファイル）"
        ),
    ),
    "logHint": (
        (
            "It is read in your browser and never sent anywhere. Its names go in the field "
            "below, and the link carries them."
        ),
        (
            "ログはブラウザーの中で読み取り、どこにも送りません。ログにある名前が下の欄に入り、"
            "リンクにも含まれます。"
        ),
    ),
    "readLog": (
        "Read the log and check its names",
        "ログを読んで名前を確認する",
    ),
    "nameLabel": (
        "Exact names to check, one per line",
        "そのまま確認する名前（1 行に 1 つ）",
    ),
    "nameHint": (
        (
            "When filled, only these names are checked, as they are (nothing is added, and addon "
            "domains and subdomains are left aside)."
        ),
        (
            "入力があると、ここにある名前だけをそのまま確認します（名前は加えず、"
            "アドオンドメインとサブドメインの欄は使いません）。"
        ),
    ),
    "logHeading": (
        "The AutoSSL log, explained",
        "AutoSSL のログの説明",
    ),
    "logReading": (
        "Reading the log…",
        "ログを読んでいます…",
    ),
    "logMore": (
        "about this line",
        "この行の説明",
    ),
    "logShow": (
        "Show",
        "表示する行",
    ),
}


TABLES: Final[dict[str, Mapping[str, Pair]]] = {
    "sentence": SENTENCES,
    "label": LABELS,
    "advice": ADVICE,
    "piece": PIECES,
    "docs": DOCS,
    "log.line": LOG_LINES,
    "log.problem": LOG_PROBLEMS,
    "log.error": LOG_ERRORS,
    "log.dcv": DCV_REASONS,
    "after_fix": AFTER_FIX,
    "page": PAGE_WORDS,
}


def page_words(lang: str) -> dict[str, str]:
    """The checker page's own words in `lang`, key by key (see PAGE_WORDS)."""
    index = 0 if normalise_lang(lang) == "en" else 1
    return {key: pair[index] for key, pair in PAGE_WORDS.items()}


def placeholders(template: str) -> set[str]:
    """The `{names}` a template fills in."""
    import string  # only when words are needed: `import autossl_check.browser` stays light

    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _pick(pair: Pair | None, what: str, lang: str) -> str:
    if pair is None:
        raise TextError(f"no text for {what}")
    return pair[1] if normalise_lang(lang) == "ja" else pair[0]


def fill(table: str, key: str, lang: str, params: Mapping[str, str]) -> str:
    """The template `key` of `table` in `lang` with `params`, which must be exactly its
    placeholders (already words: see `value_text`)."""
    template = _pick(TABLES[table].get(key), f"{table} {key!r}", lang)
    wanted = placeholders(template)
    if wanted != set(params):
        raise TextError(f"{table} {key!r} fills {sorted(wanted)}, given {sorted(params)}")
    return template.format_map(params)


def join(items: Iterable[str], lang: str, *, outer: bool = False) -> str:
    """A list in the reader's language: 「、」 in Japanese, ", " in English."""
    shown = list(items)
    if not shown:
        return ""
    text = shown[-1]
    for item in reversed(shown[:-1]):
        text = fill("piece", "list.outer" if outer else "list", lang, {"first": item, "rest": text})
    return text


def title(code: Code | str, lang: str) -> str:
    return _pick(TITLES.get(Code(code)), f"title {code}", lang)


def explanation(code: Code | str, lang: str) -> str:
    return _pick(EXPLANATIONS.get(Code(code)), f"explanation {code}", lang)


def label(key: str, lang: str, **params: str) -> str:
    return fill("label", key, lang, params)


def after_fix_text(key: str, lang: str, **params: str) -> str:
    """Words of the records to enter and of the watch (values are plain text, never markup)."""
    return fill("after_fix", key, lang, params)


def advice_text(key: str, lang: str, **params: Param) -> str:
    return fill("advice", key, lang, {name: value_text(v, lang) for name, v in params.items()})


def verdict_text(verdict: Verdict, lang: str) -> str:
    """The verdict sentence: the same words in the terminal, the ticket block and the page."""
    return label(f"verdict.{verdict}", lang)


def _as_is(text: str) -> str:
    return text


# How data (DNS text, names, addresses, resolver URLs: never our words) is shown in a sentence.
DataStyle = Callable[[str], str]


def why_text(why: Why, lang: str, data: DataStyle = _as_is) -> str:
    inner = _pick(WHY.get(why.rule), f"why {why.rule}", lang)
    if why.parked is not None:
        if why.rule is Rule.DOMAIN:
            return fill("piece", "why.parked_domain", lang, {})
        return fill("piece", "why.parked", lang, {"why": inner, "parked": data(why.parked)})
    if why.addon is None:
        return inner
    if why.rule is Rule.DOMAIN:
        return fill("piece", "why.addon_domain", lang, {})
    return fill("piece", "why.addon", lang, {"why": inner, "addon": data(why.addon)})


def resolver_name(resolver: ResolverId, lang: str) -> str:
    """How a resolver is named to people: its host (with a port or an odd path)."""
    return resolver.label


def provider_name(provider: Provider | str, lang: str) -> str:
    return _pick(PROVIDER_NAMES.get(Provider(provider)), f"provider {provider}", lang)


def ede_text(ede: Ede, lang: str, data: DataStyle = _as_is) -> str:
    pair = EDE_MEANINGS.get(ede.code)
    meaning = _pick(pair, "", lang) if pair else fill("piece", "ede.unassigned", lang, {})
    params = {"code": str(ede.code), "meaning": meaning}
    if not ede.text:
        return fill("piece", "ede.bare", lang, params)
    return fill("piece", "ede", lang, {**params, "text": data(ede.text)})


def _view_text(view: ResolverView, lang: str, data: DataStyle) -> str:
    if view.rcode == "NXDOMAIN":
        answer = "NXDOMAIN"
    else:
        answer = join(map(data, view.addresses), lang) or fill("piece", "view.none", lang, {})
    params = {"resolver": data(resolver_name(view.resolver, lang)), "answer": answer}
    if view.ttl is None:
        return fill("piece", "view", lang, params)
    return fill("piece", "view.ttl", lang, {**params, "ttl": str(view.ttl)})


def value_text(value: Param, lang: str, data: DataStyle = _as_is) -> str:
    """One parameter in words. Enumerations first: they are strings too. Data in it (every
    other string) goes through `data`, e.g. into a Markdown code span."""
    if isinstance(value, Provider):
        return provider_name(value, lang)
    if isinstance(value, Subject):
        return _pick(WHAT.get(value), f"subject {value}", lang)
    if isinstance(value, enum.Enum):
        raise TextError(f"no words for {value!r}")
    if isinstance(value, str):
        return data(value)
    if isinstance(value, bool):
        raise TextError("a yes/no has no words of its own")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, ResolverId):
        return data(resolver_name(value, lang))
    if isinstance(value, KnownProxy):
        return _pick(PROXY_NAMES.get(value.key), f"proxy {value.key}", lang)
    if isinstance(value, QueryRef):
        if not value.node:
            return value.rdtype
        return fill("piece", "query.caa", lang, {"node": data(value.node)})
    if isinstance(value, ResolverView):
        return _view_text(value, lang, data)
    if isinstance(value, CaaRecord):
        return data(value.as_text())
    if isinstance(value, Ede):
        return ede_text(value, lang, data)
    if isinstance(value, Fact):
        return fact_text(value, lang, data)
    outer = any(isinstance(item, ResolverView | CaaRecord | Ede | Fact) for item in value)
    return join((value_text(item, lang, data) for item in value), lang, outer=outer)


def fact_text(fact: Fact, lang: str, data: DataStyle = _as_is) -> str:
    words = {name: value_text(value, lang, data) for name, value in fact.params.items()}
    return fill("sentence", fact.key, lang, words)


def failure_text(failure: LookupFailure, lang: str) -> str:
    return fact_text(failure.fact(), lang)


def input_error_text(error: InputError, lang: str) -> str:
    return fact_text(error.fact, lang)


# --- the HTTP probe (command line only): codes and params from http_probe -----------------

PROBE_TITLES: dict[str, Pair] = {
    "HTTP_NO_CONNECTION": ("No connection on port 80", "ポート 80 に接続できない"),
    "HTTP_NO_ANSWER": ("Connected, but no answer", "接続できたが応答がない"),
    "HTTP_BAD_REDIRECT": (
        "A redirect the CA will not follow",
        "認証局がたどらないリダイレクト",
    ),
    "HTTP_FORBIDDEN": ("Access refused (401/403)", "アクセス拒否（401/403）"),
    "HTTP_SERVER_ERROR": ("Server error (5xx)", "サーバーエラー（5xx）"),
    "HTTP_FILE_MISMATCH": (
        "The test file was not served",
        "テストファイルが返されない",
    ),
    "HTTP_UNEXPECTED_STATUS": (
        "Unexpected answer for a missing file",
        "存在しないファイルへの想定外の応答",
    ),
    "HTTP_OTHER_SERVER": ("Another web server answers", "別の Web サーバーが応答している"),
    "HTTP_PROXY_SEEN": ("Answered through Cloudflare", "Cloudflare 経由の応答"),
    "HTTP_NOT_COMPARED": (
        "Not compared with the server",
        "サーバーと比較できなかった",
    ),
}

PROBE_EXPLANATIONS: dict[str, Pair] = {
    "HTTP_NO_CONNECTION": (
        "The validator connects to port 80 of every address of the name. Here the connection "
        "was refused (nothing listens) or not answered in time (a firewall drops it, or the "
        "host is down), so validation through this address fails.",
        "検証はこの名前の各アドレスのポート 80 に接続します。ここでは接続が拒否された"
        "（待ち受けていない）か、時間内に応答がなかった（ファイアウォールが破棄している、"
        "またはホストが停止している）ため、このアドレスでの検証は失敗します。",
    ),
    "HTTP_NO_ANSWER": (
        "The connection was made, but no complete HTTP answer came back in time, or the "
        "server closed the connection without one. The validator gives up the same way.",
        "接続はできましたが、時間内に HTTP の応答が返らなかったか、応答なしで接続が"
        "切られました。検証も同じように失敗します。",
    ),
    "HTTP_BAD_REDIRECT": (
        "Sectigo follows no redirect at all. Let's Encrypt follows at most 10, only to http or "
        "https URLs on ports 80 or 443. This redirect breaks one of those rules, so the file "
        "is never fetched.",
        "Sectigo はリダイレクトを一切たどりません。Let's Encrypt がたどるのは 10 回まで、"
        "ポート 80 か 443 の http / https の URL だけです。このリダイレクトはそのどれかに"
        "反するため、ファイルは取得されません。",
    ),
    "HTTP_FORBIDDEN": (
        "The web server refuses the validator's request: typically basic authentication, "
        "ModSecurity, a WAF, an IP restriction or a rule in .htaccess.",
        "Web サーバーが検証のリクエストを拒否しています。ベーシック認証、ModSecurity、WAF、"
        "IP 制限、.htaccess のルールなどが典型的な原因です。",
    ),
    "HTTP_SERVER_ERROR": (
        "The web server fails on the validation path (5xx): the validator cannot read the file.",
        "検証用のパスで Web サーバーがエラー（5xx）を返しており、検証がファイルを読めません。",
    ),
    "HTTP_FILE_MISMATCH": (
        "A file with random content was written under the given document root, but this "
        "address did not return exactly that content: the name is not served from that "
        "document root, or something in front rewrites the answer.",
        "指定したドキュメントルートにランダムな内容のファイルを書きましたが、このアドレスは"
        "その内容をそのまま返しませんでした。この名前はそのドキュメントルートから配信されて"
        "いないか、手前の何かが応答を書き換えています。",
    ),
    "HTTP_UNEXPECTED_STATUS": (
        "The probe asks for a random file that does not exist; the expected answer is 404. "
        "Another answer means something other than plain files serves this path (a catch-all "
        "rule, an application, a proxy), which may also hide the real validation file.",
        "プローブは存在しないランダムなファイルを要求するので、404 が返るのが正常です。"
        "それ以外の応答は、このパスを通常のファイル以外（すべてを受けるルール、アプリ、"
        "プロキシなど）が処理していることを示し、本物の検証ファイルも隠れるおそれがあります。",
    ),
    "HTTP_OTHER_SERVER": (
        "The same request sent straight to the server's address (with the same Host header) "
        "got another answer: another status, another Server header or another 404 page. The "
        "name probably reaches another web server, or a proxy in front of this one. A 404 page "
        "that changes on every request also looks like this.",
        "同じリクエストを（同じ Host ヘッダーで）サーバーのアドレスへ直接送ると、応答が"
        "異なりました（ステータス、Server ヘッダー、404 ページのいずれか）。この名前は別の "
        "Web サーバーか、手前のプロキシに届いている可能性があります。リクエストごとに内容が"
        "変わる 404 ページでも同じように見えます。",
    ),
    "HTTP_PROXY_SEEN": (
        "The answer carries Cloudflare's headers: the request went through Cloudflare, and "
        "whether the validation file reaches this server depends on Cloudflare's settings.",
        "応答に Cloudflare のヘッダーがあり、リクエストは Cloudflare を通っています。検証"
        "ファイルがこのサーバーに届くかは Cloudflare の設定しだいです。",
    ),
    "HTTP_NOT_COMPARED": (
        "The server's own address did not answer the same request, so whether this name "
        "reaches the same web server could not be checked.",
        "サーバー自身のアドレスが同じリクエストに応答しなかったため、この名前が同じ Web "
        "サーバーに届くかは確認できませんでした。",
    ),
}

PROBE_ADVICE: dict[str, Pair] = {
    "HTTP_NO_CONNECTION": (
        "Open port 80 to everyone, in the server's firewall (CSF, firewalld) and any network "
        "firewall, including country blocks: CAs validate from several places abroad. Or "
        "remove the address from DNS if it is not meant to serve the site.",
        "サーバーのファイアウォール（CSF、firewalld など）とネットワークのファイアウォールで、"
        "国別のブロックも含め、ポート 80 を全体に開けてください。認証局は海外の複数の場所から"
        "検証します。サイトを配信しないアドレスなら DNS から削除してください。",
    ),
    "HTTP_NO_ANSWER": (
        "Check the web server's error log and load at the time of the probe; a validator waits "
        "no longer than this probe did.",
        "プローブした時刻の Web サーバーのエラーログと負荷を確認してください。検証もこの"
        "プローブより長くは待ちません。",
    ),
    "HTTP_BAD_REDIRECT": (
        "Exempt /.well-known/ from the redirect (in .htaccess, the web server or the proxy), "
        "or, for Let's Encrypt, make it a plain redirect to https on the same name.",
        "/.well-known/ をリダイレクトの対象から外してください（.htaccess、Web サーバー、"
        "プロキシのいずれか）。Let's Encrypt なら、同じ名前の https への単純なリダイレクト"
        "にします。",
    ),
    "HTTP_FORBIDDEN": (
        "Let /.well-known/acme-challenge/ and /.well-known/pki-validation/ through without a "
        "password or block; check the ModSecurity audit log for the probe's request.",
        "/.well-known/acme-challenge/ と /.well-known/pki-validation/ をパスワードやブロック"
        "なしで通してください。ModSecurity の監査ログでプローブのリクエストを確認できます。",
    ),
    "HTTP_SERVER_ERROR": (
        "Read the web server's error log for the probe's request and fix the cause.",
        "Web サーバーのエラーログでプローブのリクエストを探し、原因を直してください。",
    ),
    "HTTP_FILE_MISMATCH": (
        "Give the document root this name is really served from (for a subdomain or an addon "
        "domain it is its own), and check the rules in front of it.",
        "この名前を実際に配信しているドキュメントルートを指定し（サブドメインやアドオン"
        "ドメインは固有のものです）、手前のルールも確認してください。",
    ),
    "HTTP_UNEXPECTED_STATUS": (
        "Make sure files under /.well-known/ are served as plain files, before any rewrite "
        "rule; run again with --docroot to test a real file.",
        "/.well-known/ 以下のファイルが、書き換えルールより先に通常のファイルとして配信される"
        "ようにしてください。--docroot を付けて実際のファイルで試せます。",
    ),
    "HTTP_OTHER_SERVER": (
        "Check that the name's A and AAAA records point at this server, or that the proxy in "
        "front forwards /.well-known/ to it.",
        "この名前の A / AAAA レコードがこのサーバーを指しているか、手前のプロキシが "
        "/.well-known/ をこのサーバーへ転送しているか確認してください。",
    ),
    "HTTP_PROXY_SEEN": (
        "See “Behind Cloudflare or another proxy”: DNS only while issuing, or no redirect for "
        "/.well-known/.",
        "「Cloudflare などのプロキシの背後にある場合」を参照してください（発行中は DNS のみに"
        "する、または /.well-known/ をリダイレクトしない）。",
    ),
    "HTTP_NOT_COMPARED": (
        "Check the --server address, or that the server answers on port 80.",
        "--server のアドレスと、サーバーがポート 80 で応答するかを確認してください。",
    ),
}

# One sentence per finding, chosen by code and (where given) reason; {params} are plain text.
PROBE_SENTENCES: dict[str, Pair] = {
    "HTTP_NO_CONNECTION.refused": (
        "{address}: connection refused ({url}).",
        "{address}: 接続が拒否されました（{url}）。",
    ),
    "HTTP_NO_CONNECTION.connect_timeout": (
        "{address}: no answer to the connection in time ({url}).",
        "{address}: 接続に時間内の応答がありません（{url}）。",
    ),
    "HTTP_NO_CONNECTION.connect_error": (
        "{address}: could not connect ({url}).",
        "{address}: 接続できませんでした（{url}）。",
    ),
    "HTTP_NO_CONNECTION.fallback": (
        "Let's Encrypt would then try IPv4, but cPanel's own check fails the name when IPv6 fails.",
        "Let's Encrypt はこの後 IPv4 を試しますが、cPanel 自身の確認は IPv6 で失敗した時点で"
        "この名前を失敗とします。",
    ),
    "HTTP_NO_ANSWER.no_answer": (
        "{address}: connected, but no complete answer in time ({url}).",
        "{address}: 接続できましたが、時間内に応答が完了しませんでした（{url}）。",
    ),
    "HTTP_NO_ANSWER.closed": (
        "{address}: the server closed the connection without an answer ({url}).",
        "{address}: サーバーが応答せずに接続を閉じました（{url}）。",
    ),
    "HTTP_NO_ANSWER.reset": (
        "{address}: the connection broke ({url}).",
        "{address}: 接続が切断されました（{url}）。",
    ),
    "HTTP_NO_ANSWER.protocol": (
        "{address}: the answer was not HTTP ({url}).",
        "{address}: 応答が HTTP ではありませんでした（{url}）。",
    ),
    "HTTP_NO_ANSWER.other": (
        "{address}: the request failed ({url}).",
        "{address}: リクエストが失敗しました（{url}）。",
    ),
    "HTTP_BAD_REDIRECT.provider_forbids": (
        "{address}: {url} redirects to {location}; Sectigo follows no redirect.",
        "{address}: {url} が {location} へリダイレクトします。"
        "Sectigo はリダイレクトをたどりません。",
    ),
    "HTTP_BAD_REDIRECT.scheme": (
        "{address}: {url} redirects to {location}, which is not http or https.",
        "{address}: {url} が http / https 以外の {location} へリダイレクトします。",
    ),
    "HTTP_BAD_REDIRECT.port": (
        "{address}: {url} redirects to {location}, on a port other than 80 or 443.",
        "{address}: {url} が 80 / 443 以外のポートの {location} へリダイレクトします。",
    ),
    "HTTP_BAD_REDIRECT.loop": (
        "{address}: the redirects loop ({url} → {location}, already fetched).",
        "{address}: リダイレクトがループしています（{url} → 取得済みの {location}）。",
    ),
    "HTTP_BAD_REDIRECT.too_many": (
        "{address}: still redirecting after {redirects} redirects ({url} → {location}).",
        "{address}: {redirects} 回リダイレクトしてもまだリダイレクトします（{url} → {location}）。",
    ),
    "HTTP_BAD_REDIRECT.malformed": (
        "{address}: {url} redirects to {location}, which is not a usable URL.",
        "{address}: {url} のリダイレクト先 {location} は使える URL ではありません。",
    ),
    "HTTP_BAD_REDIRECT.unresolvable": (
        "{address}: {url} redirects to {location}, whose host name has no address.",
        "{address}: {url} のリダイレクト先 {location} のホスト名にアドレスがありません。",
    ),
    "HTTP_FORBIDDEN": (
        "{address}: {status} for {url}.",
        "{address}: {url} に {status} が返りました。",
    ),
    "HTTP_SERVER_ERROR": (
        "{address}: {status} for {url}.",
        "{address}: {url} に {status} が返りました。",
    ),
    "HTTP_FILE_MISMATCH.not_found": (
        "{address}: 404 for the file just written ({url}).",
        "{address}: 書き込んだばかりのファイルに 404 が返りました（{url}）。",
    ),
    "HTTP_FILE_MISMATCH.different": (
        "{address}: 200 for {url}, but with other content.",
        "{address}: {url} に 200 が返りましたが、内容が異なります。",
    ),
    "HTTP_FILE_MISMATCH.status": (
        "{address}: {status} for the file just written ({url}).",
        "{address}: 書き込んだばかりのファイルに {status} が返りました（{url}）。",
    ),
    "HTTP_UNEXPECTED_STATUS": (
        "{address}: {status} for a file that does not exist ({url}); 404 was expected.",
        "{address}: 存在しないファイル（{url}）に {status} が返りました。404 が正常です。",
    ),
    "HTTP_OTHER_SERVER": (
        "{address} answers {status} “{server_header}”, the server {server_address} answers "
        "{server_status} “{server_server_header}” (differs: {differs}).",
        "{address} は {status}「{server_header}」、サーバー {server_address} は "
        "{server_status}「{server_server_header}」を返します（違い: {differs}）。",
    ),
    "HTTP_PROXY_SEEN": (
        "{address}: {evidence} in the answer for {url}.",
        "{address}: {url} の応答に {evidence} があります。",
    ),
    "HTTP_NOT_COMPARED": (
        "The server's address did not answer, so {address} was not compared with it.",
        "サーバーのアドレスが応答しなかったため、{address} と比較できませんでした。",
    ),
}

PROBE_DIFFERENCES: dict[str, Pair] = {
    "status": ("status", "ステータス"),
    "server": ("Server header", "Server ヘッダー"),
    "body": ("page content", "ページの内容"),
}

# Short forms for a table cell: how an exchange ended without an answer, or why a redirect was
# not followed.
PROBE_OUTCOMES: dict[str, Pair] = {
    "refused": ("connection refused", "接続拒否"),
    "connect_timeout": ("connection timed out", "接続タイムアウト"),
    "connect_error": ("no connection", "接続不可"),
    "no_answer": ("no answer in time", "時間内に応答なし"),
    "closed": ("closed without answer", "応答なしで切断"),
    "reset": ("connection broke", "接続断"),
    "protocol": ("not HTTP", "HTTP ではない応答"),
    "other": ("request failed", "リクエスト失敗"),
    "provider_forbids": ("redirect not allowed", "リダイレクト不可"),
    "scheme": ("not http(s)", "http(s) 以外"),
    "port": ("port not 80/443", "80 / 443 以外のポート"),
    "loop": ("redirect loop", "ループ"),
    "too_many": ("too many redirects", "リダイレクト過多"),
    "malformed": ("unusable URL", "使えない URL"),
    "unresolvable": ("no address", "アドレスなし"),
    "redirect_refused": ("not followed", "たどらない"),
}

PROBE_SEVERITIES: dict[str, Pair] = {
    "problem": ("fails", "失敗する"),
    "check": ("to check", "要確認"),
    "info": ("note", "参考"),
}

PROBE_VERDICTS: dict[str, Pair] = {
    "ok": (
        "OK: every address answered as the CA needs",
        "OK: すべてのアドレスが認証局の必要とする応答を返しました",
    ),
    "action_needed": (
        "Action needed: validation fails for at least one name",
        "対応が必要: 少なくとも 1 つの名前で検証が失敗します",
    ),
    "check_needed": (
        "Check needed: nothing certain fails, but at least one name may (see each finding)",
        "要確認: 確実な失敗はありませんが、失敗しうる名前があります（各項目を参照）",
    ),
}

# Labels of the probe report.
PROBE_LABELS: dict[str, Pair] = {
    "heading": ("HTTP validation probe", "HTTP 検証プローブ"),
    "provider": ("Provider", "認証局"),
    "path": ("Path asked for", "要求したパス"),
    "docroot": ("Test file under", "テストファイルの場所"),
    "servers": ("Compared with", "比較先"),
    "user_agent": ("User-Agent", "User-Agent"),
    "col.address": ("Address", "アドレス"),
    "col.answers": ("Answers", "応答"),
    "col.server": ("Server header", "Server ヘッダー"),
    "col.time": ("Time", "時間"),
    "no_address": ("no A or AAAA address to probe", "プローブする A / AAAA アドレスがありません"),
    "all_good": (
        "every address answered as the CA needs",
        "すべてのアドレスが認証局の必要とする応答を返しました",
    ),
    "validator_order": ("Validator tries", "検証が試す順"),
    "docs": ("Explained at", "解説"),
    "single_vantage": (
        "Probed from this machine only: a firewall or country block elsewhere is not seen.",
        "このマシンからだけの確認です。他の場所からのファイアウォールや国別ブロックは分かりません。",
    ),
}


PROBE: Final[dict[str, Mapping[str, Pair]]] = {
    "title": PROBE_TITLES,
    "explanation": PROBE_EXPLANATIONS,
    "advice": PROBE_ADVICE,
    "difference": PROBE_DIFFERENCES,
    "outcome": PROBE_OUTCOMES,
    "severity": PROBE_SEVERITIES,
    "verdict": PROBE_VERDICTS,
    "label": PROBE_LABELS,
}


def probe_text(table: str, key: str, lang: str) -> str:
    """A word of the probe's report without parameters: a code's title, explanation or advice,
    a label, an outcome, a severity (the model's value) or the probe's own verdict."""
    return _pick(PROBE[table].get(key), f"probe {table} {key!r}", lang)


def probe_docs_anchor(code: str) -> str:
    """Path of a probe code's section, relative to the docs root of either language."""
    return f"beyond-dns/#{code}"


def _probe_fill(key: str, lang: str, params: Mapping[str, str]) -> str:
    """A probe sentence. Every placeholder must be given; a probe finding's params are a record
    shared with the JSON, so a sentence may leave some of them out."""
    template = _pick(PROBE_SENTENCES.get(key), f"probe sentence {key!r}", lang)
    missing = placeholders(template) - set(params)
    if missing:
        raise TextError(f"probe sentence {key!r} lacks {sorted(missing)}")
    return template.format_map(params)


def probe_finding_text(finding: GradedFinding, lang: str) -> str:
    """The sentence that says what exactly the probe saw, from the finding's params."""
    params = dict(finding.params)
    code = finding.code
    if "differs" in params:
        params["differs"] = join(
            (probe_text("difference", what.strip(), lang) for what in params["differs"].split(",")),
            lang,
        )
    reason_key = f"{code}.{params.get('reason', '')}"
    text = _probe_fill(reason_key if reason_key in PROBE_SENTENCES else code, lang, params)
    if code == "HTTP_NO_CONNECTION" and params.get("ipv4_fallback") == "yes":
        separator = "" if normalise_lang(lang) == "ja" else " "
        text += separator + _probe_fill("HTTP_NO_CONNECTION.fallback", lang, params)
    return text


def log_line_text(line: LogLine, lang: str) -> str:
    """The explanation of a log line, its values (the line's own fields) filled in as text."""
    template = _pick(LOG_LINES.get(str(line.kind)), f"log line {line.kind}", lang)
    values = {name: getattr(line, name) for name in placeholders(template)}
    words = {name: "" if value is None else str(value) for name, value in values.items()}
    return fill("log.line", str(line.kind), lang, words)


def log_line_anchor(kind: str) -> str:
    """Path of the line kind's section, relative to the docs root of either language."""
    return f"{LOG_GUIDE_PAGE}/#{kind.replace('_', '-')}"


def log_problem_text(key: str, lang: str, **params: str) -> str:
    """Why a line or an entry was not read; an InputError key reads as "invalid_name"."""
    return fill("log.problem", key if key in LOG_PROBLEMS else "invalid_name", lang, params)


def log_error_text(key: str, lang: str, **params: str) -> str:
    """One sentence about a whole log or domain list that could not be read (in full)."""
    return fill("log.error", key, lang, params)


def dcv_reason_text(key: str, lang: str) -> str:
    return fill("log.dcv", key, lang, {})
