"""Talking to an LRS: the xAPI statements resource over HTTP(S), with the standard library.

Every failure becomes an LrsError whose message a person can act on. No message, log line or
exception ever carries the credentials: they travel only in the Authorization header, and
redirects are refused rather than followed (a redirect would carry that header to another
address).
"""

from __future__ import annotations

import base64
import json
import socket
import urllib.error
import urllib.request
from typing import Iterator
from urllib.parse import urlencode, urljoin

from leadgame import __version__
from leadgame.lrs.config import LrsConfig

XAPI_VERSION = "1.0.3"
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_PAGES = 100_000


class LrsError(Exception):
    """The LRS could not take or give statements; the message says why, in words."""


class Unreachable(LrsError):
    """No answer, or the LRS failed on its side: try again later."""


class CredentialsRefused(LrsError):
    """The LRS does not accept the username and password (or they lack permission)."""


class Refused(LrsError):
    """The LRS says the statements are invalid (HTTP 400)."""


class Conflict(LrsError):
    """The LRS already holds a different statement with one of these ids (HTTP 409)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl.split('?')[0]}", headers, fp)


class Client:
    def __init__(self, config: LrsConfig):
        self.config = config
        self.url = config.statements_url
        self.headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json",
                        "User-Agent": f"leadgame/{__version__}"}
        if config.username:
            token = base64.b64encode(f"{config.username}:{config.password}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"
        self.opener = urllib.request.build_opener(_NoRedirects)

    def post(self, lines: list[str]) -> None:
        """Store a batch of statements, each given as its JSON text."""
        self._request("POST", self.url, ("[" + ",".join(lines) + "]").encode("utf-8"))

    def put(self, statement_id: str, line: str) -> None:
        """Store one statement under its id (204 stored, or already there and the same)."""
        self._request("PUT", f"{self.url}?{urlencode({'statementId': statement_id})}", line.encode("utf-8"))

    def check(self) -> None:
        """Ask for one statement: proves the address and credentials work (raises LrsError)."""
        self._request("GET", f"{self.url}?limit=1")

    def statements(self, **filters: str) -> Iterator[dict]:
        """Every statement matching the xAPI query filters, following the LRS's pages."""
        url = f"{self.url}?{urlencode(filters)}" if filters else self.url
        for _ in range(MAX_PAGES):
            page = json.loads(self._request("GET", url) or b"{}")
            statements = page.get("statements", []) if isinstance(page, dict) else []
            yield from (s for s in statements if isinstance(s, dict))
            more = page.get("more") if isinstance(page, dict) else None
            if not more or not statements:
                return
            url = urljoin(self.url, more)

    def _request(self, method: str, url: str, body: bytes | None = None) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=self.headers)
        where = self.config.where
        try:
            with self.opener.open(request, timeout=self.config.timeout) as response:
                return response.read(MAX_RESPONSE_BYTES + 1)[:MAX_RESPONSE_BYTES]
        except urllib.error.HTTPError as error:
            raise _http_error(error, where) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise Unreachable(f"cannot reach the LRS at {where} ({_words(reason)})") from None
        except OSError as error:
            raise Unreachable(f"cannot reach the LRS at {where} ({_words(error)})") from None


def _http_error(error: urllib.error.HTTPError, where: str) -> LrsError:
    detail = _detail(error)
    if error.code in (401, 403):
        return CredentialsRefused(f"the LRS at {where} refused the credentials (HTTP {error.code}): check the username "
                                  "and password in the [lrs] settings or LEADGAME_LRS_USERNAME / LEADGAME_LRS_PASSWORD")
    if error.code == 409:
        return Conflict(f"the LRS at {where} already holds a different statement with the same id{detail}")
    if error.code == 400:
        return Refused(f"the LRS at {where} refused the statements as invalid{detail}")
    if 300 <= error.code < 400:
        return Unreachable(f"the LRS at {where} answered with a redirect ({error.msg}); set 'endpoint' to the address "
                           "it names")
    if error.code == 404:
        return Unreachable(f"there is no xAPI statements resource at {where.rstrip('/')}/statements (HTTP 404): "
                           "check 'endpoint'")
    return Unreachable(f"the LRS at {where} answered HTTP {error.code}{detail}")


def _detail(error: urllib.error.HTTPError) -> str:
    """The LRS's own explanation, if it gave one, shortened and made printable."""
    try:
        body = error.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    try:
        data = json.loads(body)
        body = data.get("detail", body) if isinstance(data, dict) else body
    except ValueError:
        pass
    text = " ".join(str(body).split())[:300]
    return f": {''.join(c for c in text if c.isprintable())}" if text else ""


def _words(reason: object) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused: is it running?"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    return str(reason).strip() or reason.__class__.__name__
