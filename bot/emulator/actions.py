"""What emulated users do: write, share a contact, tap buttons, block the bot."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from bot.emulator.errors import ControlError
from bot.emulator.markup import command_entities
from bot.emulator.models import CallbackRecord, FileRecord, MessageRecord, new_file_ids, now

if TYPE_CHECKING:
    from bot.emulator.models import ChatRecord, UserRecord
    from bot.emulator.state import BotState

# A 1x1 PNG, used when a test sends a photo without caring about its bytes.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


class UserActions:
    """Control-API actions performed as a user; mixed into `Emulator`."""

    if TYPE_CHECKING:
        users: dict[int, UserRecord]

        def bot(self, token: str) -> BotState: ...
        def ensure_user(self, user_id: int) -> UserRecord: ...
        def chat(self, bot: BotState, chat_id: int | None) -> ChatRecord: ...

    def _post(
        self, token: str, user_id: int, *, deliver_twice: bool = False,
        reply_to_message_id: int | None = None, **content: Any,
    ) -> dict[str, Any]:
        bot = self.bot(token)
        user = self.ensure_user(user_id)
        chat = self.chat(bot, user_id)
        if chat.blocked:
            # Writing to a bot means the user unblocked it (Telegram's "Restart").
            self._set_blocked(bot, chat, False)
        chat.started = True
        reply_to = chat.messages.get(reply_to_message_id) if reply_to_message_id else None
        message = MessageRecord(chat.next_message_id(), chat.user, user, False,
                                reply_to=reply_to, **content)
        chat.messages[message.message_id] = message
        update = bot.updates.push({"message": message.to_api()})
        if deliver_twice:
            bot.updates.redeliver(update["update_id"])
        return update

    def send_text(
        self, token: str, user_id: int, text: str, *, deliver_twice: bool = False,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """Send a private text message from the user to the bot; return the update."""
        return self._post(token, user_id, deliver_twice=deliver_twice,
                          reply_to_message_id=reply_to_message_id, text=text,
                          entities=command_entities(text) or None)

    def share_contact(
        self, token: str, user_id: int, phone_number: str, *,
        contact_user_id: int | None = None, first_name: str | None = None,
        last_name: str | None = None, deliver_twice: bool = False,
    ) -> dict[str, Any]:
        """Send a contact; contact.user_id defaults to the sender (pass another to forge)."""
        user = self.ensure_user(user_id)
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or user.first_name,
            "user_id": user_id if contact_user_id is None else contact_user_id,
        }
        if last_name or (first_name is None and user.last_name):
            contact["last_name"] = last_name or user.last_name
        return self._post(token, user_id, deliver_twice=deliver_twice, contact=contact)

    def send_sticker(self, token: str, user_id: int, *, emoji: str = "👍",
                     deliver_twice: bool = False) -> dict[str, Any]:
        """Send a sticker from the user."""
        file_id, unique_id = new_file_ids("CAACAgIAAxkBAA")
        sticker = {"file_id": file_id, "file_unique_id": unique_id, "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False,
                   "emoji": emoji}
        return self._post(token, user_id, deliver_twice=deliver_twice, sticker=sticker)

    def send_photo(self, token: str, user_id: int, *, data: bytes = TINY_PNG,
                   caption: str | None = None, deliver_twice: bool = False) -> dict[str, Any]:
        """Send a photo from the user (its bytes are readable with `document`)."""
        bot = self.bot(token)
        file_id, unique_id = new_file_ids("AgACAgIAAxkBAA")
        record = FileRecord(file_id, unique_id, data, None, "image/png", kind="photo")
        bot.files[file_id] = record
        # Telegram marks commands in a caption as it does in a text (`caption_entities`).
        return self._post(token, user_id, deliver_twice=deliver_twice, photo=record,
                          caption=caption, entities=command_entities(caption or "") or None)

    def send_raw(self, token: str, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an arbitrary update body (its update_id is assigned by the emulator)."""
        body = {key: value for key, value in update.items() if key != "update_id"}
        if len(body) != 1:
            raise ControlError("an update needs exactly one field besides update_id")
        return self.bot(token).updates.push(body)

    def tap(
        self, token: str, user_id: int, message_id: int, callback_data: str, *,
        deliver_twice: bool = False,
    ) -> dict[str, Any]:
        """Tap an inline button carrying any callback_data on a message in the user's chat."""
        bot = self.bot(token)
        user = self.ensure_user(user_id)
        chat = self.chat(bot, user_id)
        message = _present(chat, message_id, user_id)
        query_id = str(secrets.randbits(63))
        bot.callbacks[query_id] = CallbackRecord(query_id, user_id, user_id, message_id,
                                                 callback_data)
        query = {"id": query_id, "from": user.to_api(), "message": message.to_api(),
                 "chat_instance": chat.chat_instance, "data": callback_data}
        update = bot.updates.push({"callback_query": query})
        if deliver_twice:
            bot.updates.redeliver(update["update_id"])
        return update

    def tap_button(
        self, token: str, user_id: int, message_id: int, text: str, *,
        deliver_twice: bool = False,
    ) -> dict[str, Any]:
        """Tap the inline button labelled `text` in the message's current keyboard."""
        chat = self.chat(self.bot(token), user_id)
        message = _present(chat, message_id, user_id)
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        labels = [button.get("text") for row in rows for button in row]
        for row in rows:
            for button in row:
                if button.get("text") == text:
                    if "callback_data" not in button:
                        raise ControlError(f"button {text!r} has no callback_data: {button}")
                    return self.tap(token, user_id, message_id, button["callback_data"],
                                    deliver_twice=deliver_twice)
        raise ControlError(
            f"message {message_id} in chat {user_id} has no button {text!r}; "
            f"its current buttons are {labels}"
        )

    def delete_by_user(self, token: str, user_id: int, message_id: int) -> None:
        """Make the user delete a message in their chat with the bot (gone for the bot too,
        as in a private chat: editing it is then "message to edit not found")."""
        chat = self.chat(self.bot(token), user_id)
        message = _present(chat, message_id, user_id)
        message.deleted = True

    def pin(self, token: str, user_id: int, message_id: int) -> dict[str, Any]:
        """Make the user pin a message of their chat with the bot; return the update.

        Telegram then posts a service message in the chat (its own message_id, the user as
        sender, `pinned_message` and no text), and the bot receives it as a message update.
        """
        bot = self.bot(token)
        user = self.ensure_user(user_id)
        chat = self.chat(bot, user_id)
        pinned = _present(chat, message_id, user_id)
        service = MessageRecord(chat.next_message_id(), chat.user, user, False,
                                extra={"pinned_message": pinned.to_api(with_reply=False)})
        chat.messages[service.message_id] = service
        return bot.updates.push({"message": service.to_api()})

    def forward(self, token: str, user_id: int, message_id: int) -> dict[str, Any]:
        """Make the user forward a message of their chat with the bot back to it.

        The copy is the user's message: the original's text (or caption) and entities, no
        buttons, and `forward_origin` naming who wrote it (the bot, for the bot's messages).
        """
        bot = self.bot(token)
        user = self.ensure_user(user_id)
        chat = self.chat(bot, user_id)
        original = _present(chat, message_id, user_id)
        author = original.sender
        origin = {"type": "user", "sender_user": author.to_api(), "date": original.date}
        copy = MessageRecord(chat.next_message_id(), chat.user, user, False,
                             text=original.visible_text() if original.text is not None else None,
                             caption=original.caption, entities=original.entities,
                             extra={"forward_origin": origin})
        chat.messages[copy.message_id] = copy
        return bot.updates.push({"message": copy.to_api()})

    def redeliver(self, token: str, update_id: int) -> dict[str, Any]:
        """Deliver an already-created update again, with the same update_id."""
        bot = self.bot(token)
        if update_id not in bot.updates.history:
            raise ControlError(f"no update {update_id}")
        return bot.updates.redeliver(update_id)

    def block(self, token: str, user_id: int) -> None:
        """Make the user block the bot: later sends to their chat get 403."""
        self.ensure_user(user_id)
        bot = self.bot(token)
        self._set_blocked(bot, self.chat(bot, user_id), True)

    def unblock(self, token: str, user_id: int) -> None:
        """Make the user unblock the bot."""
        self.ensure_user(user_id)
        bot = self.bot(token)
        self._set_blocked(bot, self.chat(bot, user_id), False)

    def _set_blocked(self, bot: BotState, chat: ChatRecord, blocked: bool) -> None:
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot.updates.push({"my_chat_member": {
            "chat": chat.user.chat_api(),
            "from": chat.user.to_api(),
            "date": now(),
            "old_chat_member": _member(bot, old),
            "new_chat_member": _member(bot, new),
        }})

    def callback_answers(self, token: str) -> list[dict[str, Any]]:
        """Return the bot's answers to callback queries, in order."""
        return list(self.bot(token).callback_answers)

    def stats(self, token: str) -> dict[str, Any]:
        """Return the bot's counters."""
        return self.bot(token).stats()


def _present(chat: ChatRecord, message_id: int, user_id: int) -> MessageRecord:
    """Return a message the user can still see in their chat, or say there is none."""
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise ControlError(f"no message {message_id} in chat {user_id}")
    return message


def _member(bot: BotState, status: str) -> dict[str, Any]:
    data: dict[str, Any] = {"user": bot.me.to_api(), "status": status}
    if status == "kicked":
        data["until_date"] = 0
    return data
