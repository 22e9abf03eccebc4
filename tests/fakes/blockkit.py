"""Slack's Block Kit limits, checked the way Slack checks what an app sends: a message (chat.*,
a post to a response_url) holds at most 50 blocks, a section's text 3000 characters, a header
150, a button's text 75, a menu 2–5 options…; a view (views.*) at most 100 blocks. The Slack
tests run every payload the bot sent through `assert_block_kit_limits`."""

from __future__ import annotations

__all__ = [
    "BLOCK_KIT_METHODS",
    "RESPONSE_URL_USES",
    "TEXT_TYPES",
    "assert_block_kit_limits",
]

# Methods whose payloads carry Block Kit; posts to a response_url ("respond:<name>") too.
BLOCK_KIT_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "views.open",
        "views.publish",
        "views.update",
        "views.push",
    }
)
RESPONSE_URL_USES = 5  # Slack takes at most five posts to one response_url
TEXT_TYPES = ("plain_text", "mrkdwn")
INPUT_ELEMENTS = ("users_select", "datepicker", "conversations_select", "channels_select")


def assert_block_kit_limits(payload: dict) -> None:
    """Every Block Kit limit a message (chat.*, a response_url post) or a view (views.*) must
    keep; raises AssertionError listing each one broken."""
    problems: list[str] = []
    if "view" in payload:
        _check_view(payload["view"], problems)
    else:
        _check_message(payload, problems)
    assert not problems, "Block Kit limits broken:\n  " + "\n  ".join(problems)


def _too_long(problems: list[str], where: str, value: object, limit: int) -> None:
    if value is not None and len(str(value)) > limit:
        problems.append(f"{where}: {len(str(value))} characters, at most {limit}")


def _text(problems: list[str], where: str, obj: object, limit: int, *, plain=False) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in TEXT_TYPES:
        problems.append(f"{where}: not a text object: {obj!r:.80}")
        return
    if plain and obj["type"] != "plain_text":
        problems.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: empty text")
    else:
        _too_long(problems, where, text, limit)


def _options(problems: list[str], where: str, options: list) -> None:
    for i, option in enumerate(options):
        _text(problems, f"{where}[{i}].text", option.get("text"), 75, plain=True)
        value = option.get("value")
        if not value:
            problems.append(f"{where}[{i}]: an option needs a value")
        _too_long(problems, f"{where}[{i}].value", value, 150)
        if "description" in option:
            _text(problems, f"{where}[{i}].description", option["description"], 75, plain=True)


def _element(problems: list[str], where: str, element: dict) -> None:
    kind = element.get("type")
    _too_long(problems, f"{where}.action_id", element.get("action_id"), 255)
    if "placeholder" in element:
        _text(problems, f"{where}.placeholder", element["placeholder"], 150, plain=True)
    if kind == "button":
        _text(problems, f"{where}.text", element.get("text"), 75, plain=True)
        _too_long(problems, f"{where}.value", element.get("value"), 2000)
        _too_long(problems, f"{where}.url", element.get("url"), 3000)
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(f"{where}: style {element['style']!r}")
    elif kind == "overflow":
        options = element.get("options") or []
        if not 2 <= len(options) <= 5:
            problems.append(f"{where}: an overflow menu takes 2–5 options, not {len(options)}")
        _options(problems, f"{where}.options", options)
    elif kind == "static_select":
        options = element.get("options") or []
        if not 1 <= len(options) <= 100:
            problems.append(f"{where}: a select takes 1–100 options, not {len(options)}")
        _options(problems, f"{where}.options", options)
    elif kind == "plain_text_input":
        if not 0 < element.get("max_length", 3000) <= 3000:
            problems.append(f"{where}: max_length {element['max_length']}")
        _too_long(problems, f"{where}.initial_value", element.get("initial_value"), 3000)
    elif kind not in INPUT_ELEMENTS:
        problems.append(f"{where}: unexpected element type {kind!r}")


def _check_blocks(problems: list[str], where: str, blocks: list, *, inputs: bool) -> None:
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        at, kind = f"{where}[{i}]", block.get("type")
        block_id = block.get("block_id")
        if block_id is not None:
            _too_long(problems, f"{at}.block_id", block_id, 255)
            if block_id in block_ids:
                problems.append(f"{at}: block_id {block_id!r} twice")
            block_ids.add(block_id)
        elements: list[dict] = []
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{at}: a section needs text or fields")
            if "text" in block:
                _text(problems, f"{at}.text", block["text"], 3000)
            if "fields" in block:
                fields = block["fields"]
                if not 1 <= len(fields) <= 10:
                    problems.append(f"{at}: a section takes 1–10 fields, not {len(fields)}")
                for j, item in enumerate(fields):
                    _text(problems, f"{at}.fields[{j}]", item, 2000)
            if "accessory" in block:
                elements.append(block["accessory"])
        elif kind == "header":
            _text(problems, f"{at}.text", block.get("text"), 150, plain=True)
        elif kind == "context":
            items = block.get("elements") or []
            if not 1 <= len(items) <= 10:
                problems.append(f"{at}: a context takes 1–10 elements, not {len(items)}")
            for j, item in enumerate(items):
                _text(problems, f"{at}.elements[{j}]", item, 3000)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"{at}: an actions block takes 1–25 elements, not {len(elements)}")
        elif kind == "input" and inputs:
            _text(problems, f"{at}.label", block.get("label"), 2000, plain=True)
            if "hint" in block:
                _text(problems, f"{at}.hint", block["hint"], 2000, plain=True)
            elements.append(block.get("element") or {})
        elif kind != "divider":
            problems.append(f"{at}: unexpected block type {kind!r}")
        action_ids = [e["action_id"] for e in elements if "action_id" in e]
        if len(action_ids) != len(set(action_ids)):
            problems.append(f"{at}: an action_id twice in one block: {action_ids}")
        for j, element in enumerate(elements):
            _element(problems, f"{at}.element[{j}]", element)


def _check_message(message: dict, problems: list[str]) -> None:
    blocks, text = message.get("blocks") or [], message.get("text") or ""
    if not blocks and not text:
        problems.append("a message with neither text nor blocks")
    _too_long(problems, "text", text, 40000)
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks in a message, at most 50")
    if message.get("response_type", "ephemeral") not in ("in_channel", "ephemeral"):
        problems.append(f"response_type {message['response_type']!r}")
    _check_blocks(problems, "blocks", blocks, inputs=False)


def _check_view(view: dict, problems: list[str]) -> None:
    kind, blocks = view.get("type"), view.get("blocks") or []
    if kind not in ("modal", "home"):
        problems.append(f"view type {kind!r}")
    if len(blocks) > 100:
        problems.append(f"{len(blocks)} blocks in a view, at most 100")
    if kind == "modal":
        _text(problems, "view.title", view.get("title"), 24, plain=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                _text(problems, f"view.{key}", view[key], 24, plain=True)
        if any(b.get("type") == "input" for b in blocks) and not view.get("submit"):
            problems.append("a modal with inputs needs a submit button")
    _too_long(problems, "view.private_metadata", view.get("private_metadata"), 3000)
    _too_long(problems, "view.callback_id", view.get("callback_id"), 255)
    _too_long(problems, "view.external_id", view.get("external_id"), 255)
    _check_blocks(problems, "view.blocks", blocks, inputs=kind == "modal")
