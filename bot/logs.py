"""No secret in any log line, at any level: every log record this process makes is redacted as
it is made, whoever logs it (Paceline, urllib3 writing a request line with `access_token=` in
its URL, slack_sdk writing a response body) and whoever handles it (the console, a file, a
test's capture). Redacted are the values of the settings' secrets (tokens, signing secret, AES
keys, the WeCom app secret, a database password) and anything shaped like a credential:
`access_token=`, `corpsecret=`, `key=`… in a URL or form, the same names as JSON keys,
`xoxb-…`/`xapp-…` Slack tokens, `Bearer …`, a password in a URL, Slack's response and webhook
URLs.

`install` is called by the command line (`bot.cli.main`), once the settings are read."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterable

HIDDEN = "***"
# Secrets shorter than this are not searched for: a three-letter WeCom Token would otherwise
# blank that word out of every line. The patterns below still catch them where they are named.
MIN_SECRET = 6

_NAMES = r"access_token|corpsecret|secret|client_secret|token|key|password|ticket|response_code"
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # name=value in a query string, a form body or a message: access_token=…, corpsecret=…
    (re.compile(rf"(?i)(?<![\w-])({_NAMES})=([^&\s'\",;)\]}}]+)"), rf"\1={HIDDEN}"),
    # the same names as JSON or Python dict keys: "access_token": "…", 'token': '…'
    (
        re.compile(rf"(?i)([\"'])({_NAMES})\1(\s*:\s*)([\"'])(?:(?!\4).)*\4"),
        rf"\1\2\1\3\4{HIDDEN}\4",
    ),
    (re.compile(r"(?i)\b(Bearer\s+)[A-Za-z0-9._~+/=-]+"), rf"\1{HIDDEN}"),
    # Slack tokens: bot (xoxb-), user (xoxp-), app-level (xapp-), and the rest of the family
    (re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+"), rf"\1-{HIDDEN}"),
    # a password in a URL: postgresql+psycopg://user:password@host/db
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), rf"\1{HIDDEN}@"),
    # Slack's response_url and incoming webhooks: whoever has one can post
    (re.compile(r"(https://hooks\.slack\.com/)[^\s'\"]+"), rf"\1{HIDDEN}"),
)


class Redactor:
    """A log record factory (`logging.setLogRecordFactory`) that redacts each record it makes:
    its message (formatted, then the arguments dropped), its traceback and its stack."""

    def __init__(self, secrets: Iterable[str | None], base: Callable[..., logging.LogRecord]):
        values = {s for s in secrets if s and len(s) >= MIN_SECRET}
        self.values = sorted(values, key=len, reverse=True)  # a longer one before its part
        self.base = base

    def redact(self, text: str) -> str:
        for value in self.values:
            if value in text:
                text = text.replace(value, HIDDEN)
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def __call__(self, *args, **kwargs) -> logging.LogRecord:
        record = self.base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, unredacted args aside
            record.args = ()
            return record
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = self.redact(text)  # what Formatter shows instead of formatting it
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return record


def install(secrets: Iterable[str | None]) -> Redactor:
    """Redact every log record from now on: the patterns, and these values. Installing again
    (another command in the same process, a test) replaces the values; it does not stack."""
    current = logging.getLogRecordFactory()
    base = current.base if isinstance(current, Redactor) else current
    redactor = Redactor(secrets, base)
    logging.setLogRecordFactory(redactor)
    return redactor


def uninstall() -> None:
    """Back to the record factory there was before `install`."""
    current = logging.getLogRecordFactory()
    if isinstance(current, Redactor):
        logging.setLogRecordFactory(current.base)
