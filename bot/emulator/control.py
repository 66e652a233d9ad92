"""The control API under /control/...: play users, inspect chats, inject faults."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.emulator.core import Emulator
from bot.emulator.errors import ApiError, ControlError

Args = dict[str, Any]


def _opt_int(args: Args, name: str) -> int | None:
    value = args.get(name)
    return None if value is None else int(value)


def _actions(emu: Emulator) -> dict[str, Callable[[Args], Any]]:
    return {
        "reset": lambda a: emu.reset(),
        "user": lambda a: emu.user(
            int(a["user_id"]), a.get("first_name") or f"User{a['user_id']}", a.get("last_name"),
            a.get("username"), a.get("language_code", "zh-hans")).to_api(),
        "bot": lambda a: _name_bot(emu, a),
        "send_text": lambda a: emu.send_text(
            a["token"], int(a["user_id"]), a["text"],
            deliver_twice=bool(a.get("deliver_twice")),
            reply_to_message_id=_opt_int(a, "reply_to_message_id")),
        "share_contact": lambda a: emu.share_contact(
            a["token"], int(a["user_id"]), a["phone_number"],
            contact_user_id=_opt_int(a, "contact_user_id"), first_name=a.get("first_name"),
            last_name=a.get("last_name"), deliver_twice=bool(a.get("deliver_twice"))),
        "send_sticker": lambda a: emu.send_sticker(
            a["token"], int(a["user_id"]), emoji=a.get("emoji", "👍"),
            deliver_twice=bool(a.get("deliver_twice"))),
        "send_photo": lambda a: _send_photo(emu, a),
        "send_raw": lambda a: emu.send_raw(a["token"], a["update"]),
        "tap": lambda a: emu.tap(
            a["token"], int(a["user_id"]), int(a["message_id"]), str(a["callback_data"]),
            deliver_twice=bool(a.get("deliver_twice"))),
        "tap_button": lambda a: emu.tap_button(
            a["token"], int(a["user_id"]), int(a["message_id"]), a["text"],
            deliver_twice=bool(a.get("deliver_twice"))),
        "redeliver": lambda a: emu.redeliver(a["token"], int(a["update_id"])),
        "delete_by_user": lambda a: emu.delete_by_user(
            a["token"], int(a["user_id"]), int(a["message_id"])),
        "forward": lambda a: emu.forward(a["token"], int(a["user_id"]), int(a["message_id"])),
        "pin": lambda a: emu.pin(a["token"], int(a["user_id"]), int(a["message_id"])),
        "block": lambda a: emu.block(a["token"], int(a["user_id"])),
        "unblock": lambda a: emu.unblock(a["token"], int(a["user_id"])),
        "chat": lambda a: emu.chat_messages(a["token"], int(a["chat_id"])),
        "callback_answers": lambda a: emu.callback_answers(a["token"]),
        "requests": lambda a: emu.requests(a["token"], a.get("method")),
        "stats": lambda a: emu.stats(a["token"]),
        "commands": lambda a: emu.commands(a["token"]),
        "updates": lambda a: _updates(emu, a),
        "flood_limits": lambda a: emu.set_flood_limits(
            bool(a.get("on", True)), float(a.get("per_bot", 30)), float(a.get("per_chat", 1)),
            a.get("burst_bot"), a.get("burst_chat")),
        "fault": lambda a: emu.inject_fault(
            a["method"], a.get("kind", "status"), count=int(a.get("count", 1)),
            status=int(a.get("status", 502)), retry_after=int(a.get("retry_after", 1)),
            delay=float(a.get("delay", 1.0)), description=a.get("description")),
        "faults": lambda a: emu.faults.to_json(),
        "clear_faults": lambda a: emu.faults.clear(),
        "latency": lambda a: emu.set_latency(float(a.get("seconds", 0))),
    }


def _name_bot(emu: Emulator, args: Args) -> dict[str, Any]:
    bot = emu.bot(args["token"])
    if args.get("username"):
        bot.me.username = args["username"]
    if args.get("first_name"):
        bot.me.first_name = args["first_name"]
    return bot.me.to_api()


def _send_photo(emu: Emulator, args: Args) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if args.get("data_base64"):
        extra["data"] = base64.b64decode(args["data_base64"])
    return emu.send_photo(args["token"], int(args["user_id"]), caption=args.get("caption"),
                          deliver_twice=bool(args.get("deliver_twice")), **extra)


def _updates(emu: Emulator, args: Args) -> dict[str, Any]:
    queue = emu.bot(args["token"]).updates
    return {"pending": [p.update for p in queue.pending],
            "history": list(queue.history.values())}


async def _args(request: web.Request) -> Args:
    args: Args = dict(request.query)
    if request.can_read_body:
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    return args


def add_control_routes(app: web.Application, emu: Emulator) -> None:
    """Mount /control/<action> (GET or POST, JSON in and out) and /control/document."""
    actions = _actions(emu)

    async def control(request: web.Request) -> web.Response:
        action = actions.get(request.match_info["action"])
        if action is None:
            return _reply(404, {"ok": False, "error": "unknown control action",
                                "actions": sorted(actions)})
        try:
            result = action(await _args(request))
        except (ApiError, ControlError, KeyError, ValueError, TypeError) as exc:
            message = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            return _reply(400, {"ok": False, "error": message})
        return _reply(200, {"ok": True, "result": result})

    async def document(request: web.Request) -> web.Response:
        args = await _args(request)
        try:
            data = emu.document(args["token"], args["file_id"])
        except (ControlError, KeyError) as exc:
            return _reply(404, {"ok": False, "error": str(exc)})
        return web.Response(body=data, content_type="application/octet-stream")

    app.router.add_route("*", "/control/document", document)
    app.router.add_route("*", "/control/{action}", control)


def _reply(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status,
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))
