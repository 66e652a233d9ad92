"""Staff-entered 回访 in words: the entry card with its buttons, the pending list.

The card's state (the stars given so far and the channel) travels in its signed buttons, so
nothing is stored until the 回访 is saved: `State` packs it into five characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.i18n import N_, Translator
from bot.render.reports import QUESTION_LABELS as SHORT_LABELS
from bot.render.survey import KIND_LABELS, QUESTION_LABELS, star_line
from bot.staff import callbacks as cb
from scoring.questions import QUESTIONS
from surveys.outbox.ports import Button, Keyboard, OutgoingMessage
from surveys.outbox.revisit_payloads import RevisitListPayload
from surveys.survey.revisits import RevisitTarget

CHANNELS = {"p": "phone", "v": "visit"}
CHANNEL_LABELS = {"phone": N_("📞 Phone"), "visit": N_("🏠 Visit")}
STATUS_LABELS = {
    "skipped_unbound": N_("the owner is not in Telegram"),
    "undeliverable": N_("Telegram refused delivery (blocked)"),
    "expired": N_("expired without an answer"),
    "link_only": N_("the owner is not in Telegram and has not answered the web link"),
    "voided": N_("its earlier 回访 was voided on appeal: enter it again"),
}
WORDS, SAVE = "w", "s"


@dataclass(frozen=True)
class State:
    """The stars given so far (0: none) and the channel letter, as in the buttons."""

    stars: tuple[int, ...] = (0,) * len(QUESTIONS)
    channel: str = "p"

    @classmethod
    def parse(cls, text: str) -> State:
        """Read a packed state; raise ValueError on anything else."""
        stars, channel = text[:-1], text[-1:]
        if len(stars) != len(QUESTIONS) or channel not in CHANNELS or not stars.isdigit():
            raise ValueError(text)
        values = tuple(int(c) for c in stars)
        if any(v > 5 for v in values):
            raise ValueError(text)
        return cls(values, channel)

    def pack(self) -> str:
        """Return the five characters the buttons carry."""
        return "".join(str(v) for v in self.stars) + self.channel

    def rated(self, index: int, stars: int) -> State:
        """Return the state with one question rated."""
        values = list(self.stars)
        values[index] = stars
        return replace(self, stars=tuple(values))

    @property
    def complete(self) -> bool:
        return all(self.stars)

    @property
    def ratings(self) -> dict[str, int]:
        return dict(zip(QUESTIONS, self.stars, strict=True))

    @property
    def channel_name(self) -> str:
        return CHANNELS[self.channel]


class Pending(Protocol):
    """An order waiting for a 回访, as the service returns it or the morning list stores it."""

    @property
    def work_order(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def owner_name(self) -> str | None: ...
    @property
    def owner_phone(self) -> str | None: ...
    @property
    def building(self) -> str | None: ...
    @property
    def room(self) -> str | None: ...
    @property
    def reason(self) -> str: ...


def _home(t: Pending) -> str:
    return "-".join(part for part in (t.building, t.room) if part) or "—"


def target_lines(tr: Translator, t: RevisitTarget) -> list[str]:
    """Say which order, whom to call and why the bot could not ask them."""
    return [
        tr._("回访 of work order {id}: “{title}” ({kind})", id=t.work_order, title=t.title,
             kind=tr._(KIND_LABELS.get(t.kind, t.kind))),
        tr._("Owner: {name}, {phone}, home {home}", name=t.owner_name,
             phone=t.owner_phone or "—", home=_home(t)),
        tr._("Agent: {agent}. Why 回访: {why}.", agent=t.agent_name or "—",
             why=tr._(STATUS_LABELS.get(t.reason, t.reason))),
    ]


def card_text(tr: Translator, t: RevisitTarget, state: State) -> str:
    """Render the entry card: the order, the owner, the channel and the stars so far."""
    lines = target_lines(tr, t)
    lines.append(tr._("Channel: {channel}", channel=tr._(CHANNEL_LABELS[state.channel_name])))
    for q, stars in zip(QUESTIONS, state.stars, strict=True):
        lines.append(star_line(tr, tr._(QUESTION_LABELS[q]), stars))
    lines.append(tr._("Tap the owner's answers, then add their words or save.")
                 if not state.complete else
                 tr._("All answered: add the owner's words, or save without words."))
    return "\n".join(lines)


def card_buttons(key: bytes, tr: Translator, survey_id: int, state: State) -> Keyboard:
    """Lay out a row per question (name, 1–5 stars), the channel choice, words and save."""
    packed = state.pack()

    def button(text: str, action: str) -> Button:
        return Button(text, cb.pack(key, cb.REVISIT, survey_id, packed, action))

    rows: list[list[Button]] = []
    for i, (q, stars) in enumerate(zip(QUESTIONS, state.stars, strict=True)):
        rows.append([button(tr._(SHORT_LABELS[q]), f"q{i}0")]  # names the row, as on reviews
                    + [button(("✅" if stars == n else "") + f"{n}⭐", f"q{i}{n}")
                       for n in range(1, 6)])
    rows.append([button(("✅ " if state.channel == letter else "")
                        + tr._(CHANNEL_LABELS[name]), "c" + letter)
                 for letter, name in CHANNELS.items()])
    rows.append([button("✏️ " + tr._("Owner's words"), WORDS),
                 button("💾 " + tr._("Save without words"), SAVE)])
    return rows


def saved_text(tr: Translator, t: RevisitTarget, channel: str, ratings: Mapping[str, int],
               words: str | None, complaint: bool) -> str:
    """Confirm a saved 回访 with what was recorded."""
    lines = [tr._("回访 saved for work order {id} ({channel}).", id=t.work_order,
                  channel=tr._(CHANNEL_LABELS[channel]))]
    lines += [star_line(tr, tr._(QUESTION_LABELS[q]), ratings[q]) for q in QUESTIONS]
    if words:
        lines.append(tr._("Owner's words: {words}", words=words))
    if complaint:
        lines.append(tr._("A complaint was opened for the agent, as for a chat answer."))
    return "\n".join(lines)


def pending_text(tr: Translator, targets: Sequence[Pending], count: int) -> str:
    """Render the list of surveys waiting for a 回访 (complaint orders first)."""
    if not count:
        return tr._("No 回访 is waiting in your communities. Thank you!")
    lines = [tr.n_("{n} survey is waiting for a phone or visit 回访:",
                   "{n} surveys are waiting for a phone or visit 回访:", count)]
    for t in targets:
        lines.append(tr._("• {id} {title} — {name} {phone}, home {home} ({why})",
                          id=t.work_order, title=t.title, name=t.owner_name or "—",
                          phone=t.owner_phone or "—", home=_home(t),
                          why=tr._(STATUS_LABELS.get(t.reason, t.reason))))
    if count > len(targets):
        lines.append(tr._("…and {n} more.", n=count - len(targets)))
    lines.append(tr._("Record one with /revisit ORDER-ID."))
    return "\n".join(lines)


def revisit_list(payload: RevisitListPayload, tr: Translator, key: bytes, chat_id: int
                 ) -> OutgoingMessage:
    """Render the morning list of the 回访 staff (kind `revisit_list`)."""
    return OutgoingMessage(chat_id=chat_id, text=pending_text(tr, payload.orders, payload.count))
