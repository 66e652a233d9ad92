"""Print a readable chat transcript: who said what, bot messages, buttons, edits, toasts."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from bot.i18n import N_, Translator, translator
from bot.logging import mask_phones

Message = dict[str, Any]

# Codes the narration names (survey status, answer channel, comment polarity, question):
# `Transcript.word` shows them as words of the narration's language.
CODES = frozenset((N_("pending"), N_("sent"), N_("submitted"), N_("chat"), N_("web"),
                   N_("phone"), N_("visit"), N_("positive"), N_("negative"), N_("neutral"),
                   N_("mixed"), N_("overall"), N_("attitude"), N_("clarity"),
                   N_("timeliness")))


def _buttons(message: Message) -> list[str]:
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    lines = []
    for row in rows:
        labels = [b.get("text", "") if isinstance(b, dict) else str(b) for b in row]
        if labels:
            lines.append(" ".join(f"[{label}]" for label in labels))
    return lines


def _visible(message: Message, tr: Translator) -> str:
    text = message.get("plain_text") or message.get("text") or message.get("caption")
    if message.get("document"):  # the file's name, then its caption
        name = message["document"].get("file_name") or tr._("(file)")
        return f"📎 {name}" + (f"\n{text}" if text else "")
    if message.get("photo"):
        return "🖼 " + (str(text) if text else tr._("(picture)"))
    if text:
        return str(text)
    return f"({message.get('kind', 'message')})"


class Transcript:
    """Collect and print chat events as the demo plays them, narrated in `locale`."""

    def __init__(self, out: TextIO | None = None, width: int = 78,
                 locale: str | None = None) -> None:
        self.out = out or sys.stdout
        self.width = width
        self.lines = 0
        self.tr = translator(locale)  # the narration's language (zh_CN unless told)

    def write(self, text: str = "") -> None:
        """Print one line (phone numbers masked)."""
        print(mask_phones(text), file=self.out, flush=True)
        self.lines += 1

    def section(self, title: str) -> None:
        """Print a section heading."""
        self.write()
        self.write(f"━━ {title} " + "━" * max(3, self.width - len(title) * 2 - 4))

    def note(self, message: str, /, **values: object) -> None:
        """Print a narrator's remark: a msgid and its values, in the narration's language."""
        self.write(f"   · {self.tr._(message, **values)}")

    def word(self, code: object) -> str:
        """Return a code the narration names (e.g. a survey status) as a word to read."""
        text = str(code)
        return self.tr._(text) if text in CODES else text

    def user(self, name: str, action: str) -> None:
        """Print what a person did (`action` as typed, or worded by `self.tr`)."""
        self.write(f"👤 {name}: {action}")

    def bot_message(self, message: Message, to: str) -> None:
        """Print a new bot message to a person, with its buttons."""
        lines = _visible(message, self.tr).splitlines() or [""]
        self.write(f"   🤖 → {to}: {lines[0]}")
        for line in lines[1:]:
            self.write(f"      {line}" if line else "")
        for row in _buttons(message):
            self.write(f"      {row}")

    def bot_edit(self, old: Message, new: Message, to: str) -> None:
        """Print how a bot message to a person changed (only the lines that differ)."""
        before = set(_visible(old, self.tr).splitlines())
        changed = [line for line in _visible(new, self.tr).splitlines()
                   if line and line not in before]
        self.write("   ✏️  " + self.tr._("message #{number} to {name} edited in place:",
                                         number=new["message_id"], name=to))
        for line in changed or [self.tr._("(buttons changed)")]:
            self.write(f"      {line}")
        rows = _buttons(new)
        if rows != _buttons(old):
            for row in rows or [self.tr._("(no buttons)")]:
                self.write(f"      {row}")

    def toast(self, text: str | None) -> None:
        """Print the short notice a tap got."""
        if text:
            self.write(f"   💬 {text}")
