"""Every word of the HTTP probe, in English and Japanese (pairs are `(en, ja)`, as in texts.py;
BEHIND_PROXY and the `check_needed` verdict of a whole check are in texts.py).

Keys are stable codes and params from `http_probe`; values filled into a
sentence (names, addresses, headers, URLs) come from DNS or from a web server and are plain text:
a renderer must escape them, never render them as markup or links.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from .http_probe import GradedFinding


def _is_ja(lang: str) -> bool:
    return str(lang).strip().lower().startswith("ja")


def _pick(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if _is_ja(lang) else pair[0]


def docs_anchor(code: str) -> str:
    """Path of a code's section, relative to the docs root of either language."""
    return f"beyond-dns/#{code}"


TITLES: dict[str, tuple[str, str]] = {
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

EXPLANATIONS: dict[str, tuple[str, str]] = {
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

ADVICE: dict[str, tuple[str, str]] = {
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
SENTENCES: dict[str, tuple[str, str]] = {
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

DIFFERENCES: dict[str, tuple[str, str]] = {
    "status": ("status", "ステータス"),
    "server": ("Server header", "Server ヘッダー"),
    "body": ("page content", "ページの内容"),
}

# Short forms for a table cell: how an exchange ended without an answer, or why a redirect was
# not followed.
OUTCOMES: dict[str, tuple[str, str]] = {
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

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "problem": ("fails", "失敗する"),
    "check": ("to check", "要確認"),
    "info": ("note", "参考"),
}

VERDICTS: dict[str, tuple[str, str]] = {
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

# Labels for the probe report.
LABELS: dict[str, tuple[str, str]] = {
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


# Each takes (key, lang): a code, a reason, a label key, a severity or a verdict.
title = functools.partial(_pick, TITLES)
explanation = functools.partial(_pick, EXPLANATIONS)
advice = functools.partial(_pick, ADVICE)
label = functools.partial(_pick, LABELS)
severity_label = functools.partial(_pick, SEVERITY_LABELS)
outcome = functools.partial(_pick, OUTCOMES)
verdict_text = functools.partial(_pick, VERDICTS)  # check_needed too; texts.py has the others


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(key: str, lang: str, params: Mapping[str, str]) -> str:
    return _pick(SENTENCES, key, lang).format_map(_Defaulting(params))


def finding_text(finding: GradedFinding, lang: str) -> str:
    """The sentence that says what exactly was seen, from the finding's params."""
    params = dict(finding.params)
    code = finding.code
    if "differs" in params:
        params["differs"] = ", ".join(
            _pick(DIFFERENCES, what.strip(), lang) for what in params["differs"].split(",")
        )
    key = (
        f"{code}.{params['reason']}"
        if "reason" in params and f"{code}.{params['reason']}" in SENTENCES
        else code
    )
    text = _fill(key, lang, params)
    if code == "HTTP_NO_CONNECTION" and params.get("ipv4_fallback") == "yes":
        text += ("" if _is_ja(lang) else " ") + _fill("HTTP_NO_CONNECTION.fallback", lang, params)
    return text
