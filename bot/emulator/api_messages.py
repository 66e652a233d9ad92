"""Bot API methods that send, edit and delete messages, and answer callback queries."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bot.emulator.errors import NOT_MODIFIED, QUERY_TOO_OLD, bad_request
from bot.emulator.markup import check_reply_markup, check_text, inline_markup, utf16_len
from bot.emulator.models import Edit, FileRecord, MessageRecord, new_file_ids, now
from bot.emulator.params import Params, UploadedFile
from bot.emulator.registry import api_method

if TYPE_CHECKING:
    from bot.emulator.core import Emulator
    from bot.emulator.models import ChatRecord
    from bot.emulator.state import BotState

MAX_ANSWER_TEXT = 200  # answerCallbackQuery's text, as Telegram limits it
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})


def chat_id(p: Params) -> int | None:
    """Return chat_id as an integer; '@names' are unknown here, as for private chats."""
    value = p.raw("chat_id")
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None


def _reply_to(chat: ChatRecord, p: Params) -> MessageRecord | None:
    params = p.decoded("reply_parameters") or {}
    target = params.get("message_id") if isinstance(params, dict) else None
    if target is None:
        target = p.integer("reply_to_message_id")
    if target is None:
        return None
    message = chat.messages.get(int(target))
    if message is None or message.deleted:
        allow = params.get("allow_sending_without_reply") if isinstance(params, dict) else None
        if allow or p.flag("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return message


def _store(emu: Emulator, bot: BotState, chat: ChatRecord, **content: Any) -> dict[str, Any]:
    emu.spend(bot, chat.user.user_id)
    message = MessageRecord(chat.next_message_id(), chat.user, bot.me, True, **content)
    chat.messages[message.message_id] = message
    return message.to_api()


@api_method("sendMessage")
async def send_message(emu: Emulator, bot: BotState, p: Params) -> Any:
    """sendMessage."""
    chat = emu.chat_for_send(bot, chat_id(p))
    text, mode = p.string("text"), p.string("parse_mode")
    shown = check_text(text, mode)
    markup = check_reply_markup(p.decoded("reply_markup"))
    reply_to = _reply_to(chat, p)
    return _store(emu, bot, chat, text=text, shown_text=shown, parse_mode=mode,
                  entities=p.decoded("entities"), reply_markup=markup, reply_to=reply_to)


def _file(bot: BotState, p: Params, field: str, kind: str, prefix: str) -> FileRecord:
    value = p.file(field)
    if isinstance(value, UploadedFile):
        file_id, unique_id = new_file_ids(prefix)
        record = FileRecord(file_id, unique_id, value.data, value.filename, value.mime_type,
                            kind=kind)
        bot.files[file_id] = record
        return record
    if not value:
        raise bad_request(f"there is no {field} in the request")
    if value in bot.files:
        return bot.files[value]
    if value.startswith(("http://", "https://")):
        file_id, unique_id = new_file_ids(prefix)
        name = value.rsplit("/", 1)[-1] or None
        record = FileRecord(file_id, unique_id, b"", name, None, kind=kind, url=value)
        bot.files[file_id] = record
        return record
    raise bad_request("wrong file identifier/HTTP URL specified")


async def _send_file(emu: Emulator, bot: BotState, p: Params, field: str, prefix: str) -> Any:
    chat = emu.chat_for_send(bot, chat_id(p))
    caption, mode = p.string("caption"), p.string("parse_mode")
    check_text(caption, mode, caption=True)
    markup = check_reply_markup(p.decoded("reply_markup"))
    reply_to = _reply_to(chat, p)
    record = _file(bot, p, field, field, prefix)
    return _store(emu, bot, chat, caption=caption or None, parse_mode=mode,
                  reply_markup=markup, reply_to=reply_to, **{field: record})


@api_method("sendDocument")
async def send_document(emu: Emulator, bot: BotState, p: Params) -> Any:
    """sendDocument."""
    return await _send_file(emu, bot, p, "document", "BQACAgIAAxkBAA")


@api_method("sendPhoto")
async def send_photo(emu: Emulator, bot: BotState, p: Params) -> Any:
    """sendPhoto."""
    return await _send_file(emu, bot, p, "photo", "AgACAgIAAxkBAA")


@api_method("sendChatAction")
async def send_chat_action(emu: Emulator, bot: BotState, p: Params) -> Any:
    """sendChatAction."""
    emu.chat_for_send(bot, chat_id(p))
    if p.string("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def _editable(emu: Emulator, bot: BotState, p: Params) -> tuple[ChatRecord, MessageRecord]:
    if p.string("inline_message_id"):
        raise bad_request("message to edit not found")
    chat = emu.chat(bot, chat_id(p))
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _edit_markup(p: Params) -> dict[str, Any] | None:
    markup = check_reply_markup(p.decoded("reply_markup"))
    if markup is not None and inline_markup(markup) is None:
        raise bad_request("inline keyboard expected")
    return markup


def _remember(message: MessageRecord) -> None:
    message.edits.append(Edit(message.text, message.caption, message.parse_mode,
                              message.reply_markup, message.edit_date or message.date))
    message.edit_date = now()


@api_method("editMessageText")
async def edit_message_text(emu: Emulator, bot: BotState, p: Params) -> Any:
    """editMessageText (no reply_markup removes the inline keyboard, as on Telegram)."""
    chat, message = _editable(emu, bot, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, mode = p.string("text"), p.string("parse_mode")
    shown = check_text(text, mode)
    markup = _edit_markup(p)
    if (text, mode, markup) == (message.text, message.parse_mode,
                                inline_markup(message.reply_markup)):
        raise bad_request(NOT_MODIFIED)
    emu.spend(bot, chat.user.user_id, edit=True)
    _remember(message)
    message.text, message.shown_text, message.parse_mode = text, shown, mode
    message.entities = p.decoded("entities")
    message.reply_markup = markup
    return message.to_api()


@api_method("editMessageCaption")
async def edit_message_caption(emu: Emulator, bot: BotState, p: Params) -> Any:
    """editMessageCaption."""
    chat, message = _editable(emu, bot, p)
    if message.text is not None:
        raise bad_request("there is no caption in the message to edit")
    caption, mode = p.string("caption"), p.string("parse_mode")
    check_text(caption, mode, caption=True)
    markup = _edit_markup(p)
    if (caption or None, markup) == (message.caption, inline_markup(message.reply_markup)):
        raise bad_request(NOT_MODIFIED)
    emu.spend(bot, chat.user.user_id, edit=True)
    _remember(message)
    message.caption, message.parse_mode, message.reply_markup = caption or None, mode, markup
    return message.to_api()


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(emu: Emulator, bot: BotState, p: Params) -> Any:
    """editMessageReplyMarkup."""
    chat, message = _editable(emu, bot, p)
    markup = _edit_markup(p)
    if markup == inline_markup(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    emu.spend(bot, chat.user.user_id, edit=True)
    _remember(message)
    message.reply_markup = markup
    return message.to_api()


@api_method("deleteMessage")
async def delete_message(emu: Emulator, bot: BotState, p: Params) -> Any:
    """deleteMessage."""
    chat = emu.chat(bot, chat_id(p))
    message = chat.messages.get(p.integer("message_id") or 0)
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    message.deleted = True
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(emu: Emulator, bot: BotState, p: Params) -> Any:
    """answerCallbackQuery (each query can be answered once, within the timeout)."""
    query = bot.callbacks.get(p.string("callback_query_id") or "")
    too_old = query is not None and time.monotonic() - query.created > emu.callback_timeout
    if query is None or query.answer is not None or too_old:
        raise bad_request(QUERY_TOO_OLD)
    if utf16_len(p.string("text") or "") > MAX_ANSWER_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = {
        "callback_query_id": query.query_id,
        "user_id": query.user_id,
        "chat_id": query.chat_id,
        "message_id": query.message_id,
        "data": query.data,
        "text": p.string("text"),
        "show_alert": p.flag("show_alert"),
        "url": p.string("url"),
        "cache_time": p.integer("cache_time", 0),
        "time": time.time(),
    }
    bot.callback_answers.append(query.answer)
    return True


@api_method("getFile")
async def get_file(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getFile."""
    record = bot.files.get(p.string("file_id") or "")
    if record is None:
        raise bad_request("invalid file_id")
    return {"file_id": record.file_id, "file_unique_id": record.file_unique_id,
            "file_size": len(record.data), "file_path": record.file_path}
