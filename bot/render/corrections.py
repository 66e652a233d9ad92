"""Tag corrections in chat: the editor (each aspect 👍 / 👎 / —, "not a complaint"), the
manager's Confirm / Reject card and the agent's notices. Payloads: docs/corrections.md.

The editor keeps no state on the server: every button carries the whole choice (four aspect
codes and the not-a-complaint flag, e.g. "n--n0"), signed like every staff button.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import N_, Translator
from bot.render.alerts import tags_text
from bot.render.words import quoted
from bot.staff import callbacks as cb
from surveys.complaints.correction_views import CorrectionForm
from surveys.complaints.verdicts import ASPECTS, AspectValue, Verdict
from surveys.core.errors import InvalidInput
from surveys.core.pii import mask_phones
from surveys.outbox.payloads import CorrectionPayload
from surveys.outbox.ports import Button, Keyboard, OutgoingMessage

CODES: dict[AspectValue, str] = {"pos": "p", "neg": "n", None: "-"}
VALUES = {code: value for value, code in CODES.items()}
MARKS: dict[AspectValue, str] = {"pos": "👍", "neg": "👎", None: "—"}
CANCEL = "x"
WORDS_SHOWN = 300
NOT_A_COMPLAINT = N_("not a complaint")
LOW_RATING_STAYS = N_("The owner's low rating opened this complaint, so it stays a complaint; "
                      "appeal it if it is unfair.")


def encode(verdict: Verdict) -> str:
    """Return the compact form of a choice carried by the editor's buttons."""
    return "".join(CODES[v] for _, v in verdict.aspects) + ("1" if verdict.not_complaint else "0")


def decode(text: str) -> Verdict:
    """Read a choice back (ValueError if it is not one this module wrote)."""
    if len(text) != len(ASPECTS) + 1 or text[-1] not in "01":
        raise ValueError(text)
    try:
        aspects = {a: VALUES[c] for a, c in zip(ASPECTS, text, strict=False)}
        return Verdict.of(aspects, text[-1] == "1")
    except (KeyError, InvalidInput) as exc:
        raise ValueError(text) from exc


def choose(verdict: Verdict, aspect: str, value: AspectValue) -> Verdict:
    """Set one aspect; a negative aspect makes the words a complaint again."""
    aspects = verdict.as_dict() | {aspect: value}
    return Verdict.of(aspects, verdict.not_complaint and value != "neg")


def toggle_dismiss(verdict: Verdict) -> Verdict:
    """Switch "not a complaint"; switching it on clears the negative aspects."""
    if verdict.not_complaint:
        return Verdict.of(verdict.as_dict(), False)
    return Verdict.of({a: None if v == "neg" else v for a, v in verdict.aspects}, True)


def verdict_text(tr: Translator, aspects: Mapping[str, AspectValue], not_complaint: bool) -> str:
    """Describe a verdict: each rated aspect with 👍 / 👎, and "not a complaint"."""
    parts = [f"{tags_text(tr, [a])} {MARKS[value]}" for a in ASPECTS
             if a in aspects and (value := aspects[a])]
    if not_complaint:
        parts.append(tr._(NOT_A_COMPLAINT))
    return " · ".join(parts) or "—"


def _words(text: str | None) -> str:
    words = mask_phones(text or "—")
    return quoted(words if len(words) <= WORDS_SHOWN else words[:WORDS_SHOWN] + "…")


def editor(tr: Translator, key: bytes, form: CorrectionForm, choice: Verdict
           ) -> tuple[str, Keyboard]:
    """Return the tag editor of a complaint showing `choice`, with its buttons."""
    cid = form.complaint_id
    lines = [tr._("✏️ Correct the tags of complaint #{id}", id=cid),
             tr._("The owner's words: “{text}”", text=_words(form.text)),
             tr._("Tags now: {tags}", tags=tags_text(tr, form.tags) or "—"),
             tr._("Your choice: {choice}", choice=verdict_text(tr, choice.as_dict(),
                                                              choice.not_complaint))]
    if form.rated:
        lines.append(tr._("Low ratings stay tags whatever the words say: {tags}",
                          tags=tags_text(tr, form.rated)))
    if not form.may_dismiss:
        lines.append(tr._(LOW_RATING_STAYS))
    lines += ["", tr._("Tap the right value for each aspect (👍 praised, 👎 complained of, — not "
                       "mentioned), then Submit.")]
    if form.pending is not None:
        lines.append(tr._("A correction is already waiting for a manager: {choice} ({name}).",
                          choice=verdict_text(tr, form.pending.aspects,
                                              form.pending.not_complaint),
                          name=form.pending.proposer_name))
    elif form.needs_confirmation:
        lines.append(tr._("Your correction counts once a manager confirms it."))
    rows: Keyboard = []
    for aspect, current in choice.aspects:
        label = tags_text(tr, [aspect])
        rows.append([
            Button(f"{'✅' if value == current else ''}{label} {MARKS[value]}",
                   cb.pack(key, cb.TAG_CHOICE, cid, encode(choose(choice, aspect, value))))
            for value in ("pos", "neg", None)
        ])
    if form.may_dismiss:
        mark = "✅" if choice.not_complaint else ""
        rows.append([Button(mark + tr._("🚫 Not a complaint"),
                            cb.pack(key, cb.TAG_CHOICE, cid, encode(toggle_dismiss(choice))))])
    rows.append([Button(tr._("📨 Submit"), cb.pack(key, cb.TAG_SUBMIT, cid, encode(choice))),
                 Button(tr._("✖️ Cancel"), cb.pack(key, cb.TAG_CHOICE, cid, CANCEL))])
    return "\n".join(lines), rows


def correction_proposed(payload: CorrectionPayload, tr: Translator, key: bytes, chat_id: int
                        ) -> OutgoingMessage:
    """Ask a manager to confirm or reject an agent's correction."""
    before = payload.before
    lines = [
        tr._("✏️ {agent} asks to correct the tags of complaint #{id}.",
             agent=payload.proposer_name or "—", id=payload.complaint_id),
        tr._("The owner's words: “{text}”", text=_words(payload.text)),
        tr._("Now: {verdict}", verdict=verdict_text(tr, before.aspects, before.not_complaint)),
        tr._("Proposed: {verdict}", verdict=verdict_text(tr, payload.aspects,
                                                         payload.not_complaint)),
    ]
    if payload.not_complaint:
        lines.append(tr._("If you confirm, it is not a complaint: it leaves the agent's scores."))
    correction_id = payload.correction_id or 0
    buttons = [[Button(tr._("✅ Confirm"), cb.pack(key, cb.CONFIRM, correction_id)),
                Button(tr._("✖️ Reject"), cb.pack(key, cb.REJECT, correction_id))]]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines), buttons=buttons)


def correction_decided(payload: CorrectionPayload, tr: Translator, key: bytes, chat_id: int
                       ) -> OutgoingMessage:
    """Tell the agent a manager confirmed or rejected their correction."""
    values = {"manager": payload.decider or "—", "id": payload.complaint_id,
              "tags": tags_text(tr, payload.tags) or "—"}
    if payload.correction_status == "applied":
        text = tr._("✅ {manager} confirmed your correction of complaint #{id}. Tags now: {tags}.",
                    **values)
        if payload.not_complaint:
            text += "\n" + tr._("It is not a complaint: it no longer counts in your scores.")
    else:
        text = tr._("✖️ {manager} rejected your correction of complaint #{id}; its tags stay: "
                    "{tags}.", **values)
    return OutgoingMessage(chat_id=chat_id, text=text)


def correction_applied(payload: CorrectionPayload, tr: Translator, key: bytes, chat_id: int
                       ) -> OutgoingMessage:
    """Tell the agent a manager corrected the tags of their complaint."""
    text = tr._("✏️ {manager} corrected the tags of complaint #{id}: {before} → {after}.",
                manager=payload.decider or "—", id=payload.complaint_id,
                before=tags_text(tr, payload.before.tags) or "—",
                after=tags_text(tr, payload.tags) or "—")
    if payload.not_complaint:
        text += "\n" + tr._("It is not a complaint: it no longer counts in your scores.")
    return OutgoingMessage(chat_id=chat_id, text=text)
