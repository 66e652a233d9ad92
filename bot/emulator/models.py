"""In-memory records of users, chats, messages and files, with their API shapes."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.markup import inline_markup, plain_text


def now() -> int:
    """Return the current Unix time in whole seconds, as Telegram dates are."""
    return int(time.time())


def new_file_ids(prefix: str) -> tuple[str, str]:
    """Return a fresh (file_id, file_unique_id) pair."""
    return f"{prefix}{secrets.token_urlsafe(24)}", f"AQAD{secrets.token_urlsafe(8)}"


@dataclass
class UserRecord:
    """A Telegram user registered through the control API."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "zh-hans"
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        """Return the User object."""
        data: dict[str, Any] = {
            "id": self.user_id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def chat_api(self) -> dict[str, Any]:
        """Return the Chat object of this user's private chat."""
        data: dict[str, Any] = {"id": self.user_id, "type": "private",
                                "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        return data


@dataclass
class FileRecord:
    """An uploaded file: its bytes and the ids Telegram would give it."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    kind: str = "document"
    url: str | None = None

    @property
    def file_path(self) -> str:
        """Return the path under /file/bot<token>/ that serves the bytes."""
        return f"{self.kind}s/{self.file_unique_id}"

    def info(self) -> dict[str, Any]:
        """Return a JSON summary (no bytes) for logs and the control API."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
            "url": self.url,
        }


@dataclass
class Edit:
    """A previous state of a message, kept when it is edited."""

    text: str | None
    caption: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    date: int

    def to_control(self) -> dict[str, Any]:
        """Return the JSON shape used by the control API."""
        return {
            "text": self.text,
            "caption": self.caption,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "date": self.date,
        }


@dataclass
class MessageRecord:
    """One message in a chat, from the bot or from the user."""

    message_id: int
    chat: UserRecord
    sender: UserRecord
    from_bot: bool
    date: int = field(default_factory=now)
    text: str | None = None
    shown_text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] | None = None
    reply_markup: dict[str, Any] | None = None
    document: FileRecord | None = None
    photo: FileRecord | None = None
    contact: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    reply_to: MessageRecord | None = None
    edit_date: int | None = None
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """Return what the message carries: text, document, photo, contact, sticker or, for a
        service message (a pin), the field that says what happened."""
        for name in ("document", "photo", "contact", "sticker"):
            if getattr(self, name) is not None:
                return name
        if self.text is None and self.extra:
            return next(iter(self.extra))
        return "text"

    def visible_text(self) -> str | None:
        """Return the text or caption as a person sees it (markup applied)."""
        if self.text is not None:
            return self.shown_text if self.shown_text is not None else self.text
        if self.caption is not None:
            return plain_text(self.caption, self.parse_mode)
        return None

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """Return the Message object as the Bot API shows it."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.chat_api(),
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.shown_text if self.shown_text is not None else self.text
            if self.entities:
                data["entities"] = self.entities
        if self.caption is not None:
            data["caption"] = plain_text(self.caption, self.parse_mode)
            if self.entities and self.text is None:
                data["caption_entities"] = self.entities
        if self.document is not None:
            doc = self.document
            data["document"] = {"file_id": doc.file_id, "file_unique_id": doc.file_unique_id,
                                "file_size": len(doc.data)}
            if doc.file_name:
                data["document"]["file_name"] = doc.file_name
            if doc.mime_type:
                data["document"]["mime_type"] = doc.mime_type
        if self.photo is not None:
            data["photo"] = [photo_size(self.photo)]
        if self.contact is not None:
            data["contact"] = self.contact
        if self.sticker is not None:
            data["sticker"] = self.sticker
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        markup = inline_markup(self.reply_markup)
        if markup is not None:
            data["reply_markup"] = markup
        data.update(self.extra)
        return data

    def to_control(self) -> dict[str, Any]:
        """Return the full record (current content, history, flags) for tests."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat.user_id,
            "sender": "bot" if self.from_bot else "user",
            "from": self.sender.to_api(),
            "date": self.date,
            "kind": self.kind,
            "text": self.text,
            "plain_text": self.visible_text(),
            "caption": self.caption,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "edit_date": self.edit_date,
            "edits": [edit.to_control() for edit in self.edits],
            "deleted": self.deleted,
            "document": self.document.info() if self.document else None,
            "photo": self.photo.info() if self.photo else None,
            "contact": self.contact,
            "sticker": self.sticker,
            "reply_to_message_id": self.reply_to.message_id if self.reply_to else None,
        }


def photo_size(record: FileRecord) -> dict[str, Any]:
    """Return a PhotoSize for an uploaded picture (PNG sizes are read from its header)."""
    width, height = 800, 600
    data = record.data
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
    return {"file_id": record.file_id, "file_unique_id": record.file_unique_id,
            "width": width, "height": height, "file_size": len(data)}


@dataclass
class ChatRecord:
    """A private chat between one bot and one user."""

    user: UserRecord
    messages: dict[int, MessageRecord] = field(default_factory=dict)
    last_message_id: int = 0
    blocked: bool = False
    started: bool = False
    menu_button: dict[str, Any] | None = None
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(62)))

    def next_message_id(self) -> int:
        """Consume and return the next message id of this chat."""
        self.last_message_id += 1
        return self.last_message_id


@dataclass
class CallbackRecord:
    """A callback query created by a tap, and how the bot answered it."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created: float = field(default_factory=time.monotonic)
    answer: dict[str, Any] | None = None
