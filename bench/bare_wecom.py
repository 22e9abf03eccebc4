"""The baseline for bench/wecom_bench.py: a bare intelligent-robot endpoint that only checks the
signature, decrypts and answers 200.

It is served by the same stack as `paceline serve`: `bot.web.make_server` (waitress, its THREADS,
the same WSGI function and routing to POST /wecom/aibot), with a door (bot/door.py's contract)
that reads the JSON body
and decrypts it with wechatpy's `WeChatCrypto(token, aes_key, "")` as `bot.wecom.WeComDoor`
does. Nothing else: no timestamp check, no msgid dedupe, no database, no answer.

    WECOM_AIBOT_TOKEN=... WECOM_AIBOT_ENCODING_AES_KEY=... \\
        python -m bench.bare_wecom --host 127.0.0.1 --port 3001
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

from bench.common import AnswersOnly
from bot.cli import LOG_FORMAT
from bot.door import Request, Response, Routes
from bot.settings import get_settings, revealed
from bot.web import make_server, settle
from bot.wecom import answer, refused
from bot.wecom.door import AIBOT_PATH, APP_PATH
from storage.db import Database, make_engine


class BareWeComDoor(AnswersOnly):
    """What `bot.web.make_app` calls for /wecom/aibot; the app callback is not served."""

    platform = "wecom"

    def __init__(self, *, token: str, aes_key: str) -> None:
        self.crypto = WeChatCrypto(token, aes_key, "")

    def routes(self) -> Routes:
        return {
            AIBOT_PATH: {"GET": self.aibot_check, "POST": self.aibot_message},
            APP_PATH: {"GET": self.not_configured, "POST": self.not_configured},
        }

    def aibot_check(self, request: Request) -> Response:
        query = request.query
        sig, ts, nonce = (query.get(k, "") for k in ("msg_signature", "timestamp", "nonce"))
        try:
            echo = self.crypto.check_signature(sig, ts, nonce, query["echostr"])
        except (KeyError, InvalidSignatureException):
            return refused(403, "bad signature")
        return answer(200, echo.encode())

    def aibot_message(self, request: Request) -> Response:
        query = request.query
        sig, ts, nonce = (query.get(k, "") for k in ("msg_signature", "timestamp", "nonce"))
        try:
            encrypt = json.loads(request.body)["encrypt"]
            self.crypto.decrypt_message({"Encrypt": encrypt}, sig, ts, nonce)
        except InvalidSignatureException:
            return refused(403, "bad signature")
        except Exception:
            return refused(400, "undecryptable body")
        return answer(200)

    def not_configured(self, request: Request) -> Response:
        return refused(404, "not configured")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bare_wecom", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("PACELINE_LOG_LEVEL", "WARNING").upper(), format=LOG_FORMAT
    )
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # as bot.web.serve does
    settings = get_settings()
    if not settings.wecom_aibot_enabled:
        parser.error("set WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY")
    door = BareWeComDoor(
        token=revealed(settings.wecom_aibot_token) or "",
        aes_key=revealed(settings.wecom_aibot_encoding_aes_key) or "",
    )
    # /healthz runs `SELECT 1`; an in-memory database answers it without touching the disk.
    db = Database(make_engine("sqlite://"))
    server = make_server(settings, db, host=args.host, port=args.port, doors=[door])
    try:
        settle()  # as `paceline serve` does
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
