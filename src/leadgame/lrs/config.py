"""Learning-record settings: the `[lrs]` table of config.toml, overridden by environment variables.

    [lrs]
    endpoint = "https://lrs.example.org/xAPI/"   # the LRS's xAPI endpoint
    username = "leadgame"                         # HTTP basic credentials
    password = "..."
    actor = "anonymous"        # anonymous | account | mbox_sha1sum: how learners are identified
    account_name = "..."       # actor = "account": the learner's account name ...
    account_homepage = "..."   # ... on this system (e.g. the organisation's LMS)
    email = "..."              # actor = "mbox_sha1sum": hashed before it leaves the machine
    base = "https://learning.example.org/leadgame"   # activity ids are made under this IRI

Every key has an environment variable, LEADGAME_LRS_<KEY> (e.g. LEADGAME_LRS_PASSWORD), which wins
over the file. The password is never printed, logged or written anywhere by leadgame.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from leadgame import locations

ANONYMOUS, ACCOUNT, MBOX = "anonymous", "account", "mbox_sha1sum"
ACTOR_POLICIES = (ANONYMOUS, ACCOUNT, MBOX)
DEFAULT_BASE = "https://leadgame.invalid/xapi"
KEYS = ("endpoint", "username", "password", "actor", "account_name", "account_homepage", "email", "base", "batch", "timeout")
ENV_PREFIX = "LEADGAME_LRS_"
DEVICE_FILE = "device-id"
MAX_CONFIG_BYTES = 64 * 1024


class ConfigError(ValueError):
    """Settings that cannot be used; the message names the file or variable and the key."""


@dataclass(frozen=True)
class LrsConfig:
    endpoint: str = ""
    username: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    actor: str = ANONYMOUS
    account_name: str = field(default="", repr=False)
    account_homepage: str = ""
    email: str = field(default="", repr=False)
    base: str = DEFAULT_BASE
    batch: int = 100
    timeout: float = 10.0
    source: str = ""  # where the settings came from, in words

    @property
    def configured(self) -> bool:
        return bool(self.endpoint)

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"

    @property
    def where(self) -> str:
        """The endpoint as it may be shown: never with credentials in it."""
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


def load(path: Path | None = None, environ: dict | None = None) -> LrsConfig:
    """The settings from `path` (default: locations.config_file()) and the environment."""
    path = Path(path) if path is not None else locations.config_file()
    environ = os.environ if environ is None else environ
    values = _from_file(path)
    sources = [str(path)] if values else []
    from_env = {key: environ[ENV_PREFIX + key.upper()] for key in KEYS if environ.get(ENV_PREFIX + key.upper())}
    if from_env:
        sources.append("environment (" + ", ".join(ENV_PREFIX + key.upper() for key in sorted(from_env)) + ")")
    values.update(from_env)
    return _checked(values, " and ".join(sources) or "no settings")


def _from_file(path: Path) -> dict:
    if not path.exists():
        return {}
    import tomllib

    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: too large to be a leadgame settings file")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    table = data.get("lrs", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'lrs' should be a table ([lrs])")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: [lrs] has unknown key '{unknown[0]}' (known: {', '.join(KEYS)})")
    return dict(table)


def _checked(values: dict, source: str) -> LrsConfig:
    def text(key: str) -> str:
        value = values.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(f"{source}: '{key}' should be text")
        return value.strip()

    def number(key: str, default: float, low: float, high: float) -> float:
        value = values.get(key, default)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{source}: '{key}' should be a number") from None
        if not low <= value <= high:
            raise ConfigError(f"{source}: '{key}' should be between {low:g} and {high:g}")
        return value

    config = LrsConfig(
        endpoint=_endpoint(text("endpoint"), source), username=text("username"), password=values.get("password", "") or "",
        actor=text("actor") or ANONYMOUS, account_name=text("account_name"), account_homepage=text("account_homepage"),
        email=text("email"), base=_iri(text("base") or DEFAULT_BASE, "base", source).rstrip("/"),
        batch=int(number("batch", 100, 1, 1000)), timeout=number("timeout", 10.0, 0.1, 300), source=source,
    )
    if not isinstance(config.password, str):
        raise ConfigError(f"{source}: 'password' should be text")
    if config.actor not in ACTOR_POLICIES:
        raise ConfigError(f"{source}: 'actor' should be one of {', '.join(ACTOR_POLICIES)}, not '{config.actor[:40]}'")
    if config.actor == ACCOUNT and not (config.account_name and config.account_homepage):
        raise ConfigError(f"{source}: actor 'account' needs both account_name and account_homepage")
    if config.actor == ACCOUNT:
        _iri(config.account_homepage, "account_homepage", source)
    if config.actor == MBOX and "@" not in config.email:
        raise ConfigError(f"{source}: actor 'mbox_sha1sum' needs the learner's email address in 'email'")
    if config.endpoint and bool(config.username) != bool(config.password):
        raise ConfigError(f"{source}: give both username and password for the LRS, or neither")
    return config


def _endpoint(value: str, source: str) -> str:
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.username or parts.password:
        raise ConfigError(f"{source}: put the LRS credentials in 'username' and 'password', not in the endpoint address")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{source}: 'endpoint' should be the LRS's https:// xAPI address")
    if parts.query or parts.fragment:
        raise ConfigError(f"{source}: 'endpoint' should be the xAPI base address, without ?query or #fragment")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ConfigError(f"{source}: 'endpoint' must use https:// (plain http would send the credentials readable "
                          "by anyone on the network); http:// is allowed only for this computer")
    return value


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _iri(value: str, key: str, source: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ConfigError(f"{source}: '{key}' should be an http(s) address, e.g. https://learning.example.org/leadgame")
    return value


def device_id(config_path: Path | None = None) -> str:
    """This device's anonymous learner id: random, made once, kept beside the settings file.
    It is derived from nothing (no name, no hardware address), so it tells the LRS nothing."""
    import uuid

    from leadgame.core.saves import atomic_write

    path = (Path(config_path) if config_path is not None else locations.config_file()).parent / DEVICE_FILE
    try:
        existing = path.read_text(encoding="utf-8").strip()
        return str(uuid.UUID(existing))
    except (OSError, ValueError):
        pass
    made = str(uuid.uuid4())
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, made + "\n")
    return made
