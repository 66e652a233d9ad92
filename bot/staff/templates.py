"""Reply templates (话术模板): the agent taps 💬 Reply, sees the templates, picks one or types.

The default templates are catalog texts (zh_CN and en); a company rewords, hides or adds
templates per language with `ownervoice templates` (`surveys.complaints.templates` stores
them). A template is shown and sent in the *owner's* language, so the agent sees exactly the
words the owner will get; the button labels are in the agent's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.i18n import N_, Translator, pick_locale, translator
from bot.render.errors import error_text
from bot.render.not_told import not_told
from bot.staff import callbacks as cb
from bot.staff.actions import StaffAction
from bot.staff.deps import StaffDeps
from surveys.complaints import handling
from surveys.complaints.templates import (
    TemplateRow,
    company_templates,
    complaint_owner_language,
)
from surveys.core.errors import DomainError
from surveys.outbox.ports import Button, Keyboard

# key, button title (agent's language), text (owner's language)
DEFAULTS: tuple[tuple[str, str, str], ...] = (
    ("sorry", N_("Apologise, looking into it"),
     N_("We are sorry for the trouble. We have received your complaint and are looking into "
        "it now; we will get back to you today.")),
    ("visit", N_("Arrange a visit"),
     N_("We would like to send someone to check on site. Please reply with a time that suits "
        "you, and we will be there.")),
    ("fixed", N_("Fixed, please check"),
     N_("The problem has been dealt with. Please check whether everything is in order now; "
        "if not, reply here and we will come back at once.")),
    ("thanks", N_("Thank you for your patience"),
     N_("Thank you for your patience and for telling us; it helps us serve you better.")),
)
_TITLES = {key: title for key, title, _text in DEFAULTS}
LABEL_CHARS = 14  # a company template's button shows the start of its words


@dataclass(frozen=True)
class Template:
    """A template as offered: its key, its words in the owner's language."""

    key: str
    text: str


def merged(tr_owner: Translator, own: list[TemplateRow]) -> list[Template]:
    """Return the templates in the owner's language: defaults, reworded/hidden/added by own."""
    rows = {row.key: row for row in own if row.language == tr_owner.locale}
    out = []
    for key, _title, text in DEFAULTS:
        row = rows.pop(key, None)
        if row is None:
            out.append(Template(key, tr_owner._(text)))
        elif row.active:
            out.append(Template(key, row.text))
    out.extend(Template(row.key, row.text) for row in rows.values() if row.active)
    return out


def label(tr: Translator, number: int, template: Template) -> str:
    """Return a template's button label in the agent's language."""
    title = _TITLES.get(template.key)
    if title is not None:
        return f"{number}. {tr._(title)}"
    short = template.text[:LABEL_CHARS] + ("…" if len(template.text) > LABEL_CHARS else "")
    return f"{number}. {short}"


async def offered(staff: StaffDeps, complaint_id: int) -> tuple[Translator, list[Template]]:
    """Return the owner's translator and the templates offered for this complaint."""
    language = await complaint_owner_language(db=staff.db, complaint_id=complaint_id)
    tr_owner = translator(pick_locale(language, staff.default_locale))
    return tr_owner, merged(tr_owner, await company_templates(db=staff.db,
                                                              language=tr_owner.locale))


async def reply_prompt(staff: StaffDeps, ctx: Context, complaint_id: int) -> StaffAction:
    """Ask for the reply: type it, or pick one of the templates shown (with buttons)."""
    tr = ctx.tr
    _tr_owner, templates = await offered(staff, complaint_id)
    lines = [tr._("Type your reply to the owner now; I will pass it on (your phone number and "
                  "theirs stay private). Send /cancel to stop.")]
    buttons: Keyboard = []
    if templates:
        lines += ["", tr._("Or pick a reply template (sent as written below):")]
        for number, template in enumerate(templates, start=1):
            lines.append(f"{number}. {template.text}")
            buttons.append([Button(label(tr, number, template),
                                   cb.pack(staff.key, cb.TEMPLATE, complaint_id, template.key))])
    return ctx.send("\n".join(lines), buttons=buttons or None)


async def pick(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
               message_id: int | None) -> list[StaffAction]:
    """Send the template the agent tapped as their reply to the owner, once per prompt."""
    tr, cid, key = ctx.tr, parsed.int_field(), parsed.fields[1]
    if not ctx.me.is_agent:
        return [AnswerCallback(callback_id, tr._("Sorry, this button is for agents only."))]
    try:
        _tr_owner, templates = await offered(staff, cid)
        chosen = next((t for t in templates if t.key == key), None)
        if chosen is None:
            return [AnswerCallback(callback_id, tr._(
                "This template is no longer offered; type your reply instead."), alert=True)]
        # The prompt message and the template name the tap: a double tap sends nothing more.
        tap = f"template:{key}:{message_id}" if message_id is not None else None
        result = await handling.reply_to_owner(db=staff.db, complaint_id=cid,
                                               agent_telegram_user_id=ctx.user_id,
                                               text=chosen.text, tap_key=tap)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(tr, exc), alert=True)]
    if not result.changed:
        return [AnswerCallback(callback_id)]
    await staff.pending.cancel(ctx.user_id)  # the typed reply is no longer awaited
    if not result.owner_told:
        return [AnswerCallback(callback_id), ctx.send(not_told(tr, result, "reply"))]
    return [AnswerCallback(callback_id, tr._("Sent.")),
            ctx.send(tr._("Your reply was sent to the owner:") + "\n" + chosen.text)]
