"""/start, invite deep links and binding an owner by their shared phone contact."""

from __future__ import annotations

from bot.conversation.actions import Action
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.render.errors import error_text
from surveys.core.errors import ForgedContact, InvalidInvite, PhoneBoundElsewhere, UnknownPhone
from surveys.people.binding import bind_owner_by_contact, opt_in, redeem_invite
from surveys.people.homes import account_homes


async def start(conv: ConversationDeps, ctx: Context, args: str) -> list[Action]:
    """Greet; bind by invite token; or ask for the phone contact; opt back in if bound."""
    tr = ctx.tr
    if args:
        return await _redeem(conv, ctx, args)
    if ctx.owner_id is not None:
        await opt_in(db=conv.db, telegram_user_id=ctx.who.user_id)
        return [ctx.send(tr._("Welcome back! You are bound to your home, and you will receive "
                              "a short survey after each completed work order. "
                              "Send /stop to stop receiving surveys."),
                         remove_reply_keyboard=True)]
    if ctx.me.is_staff or ctx.me.is_revisitor:
        # Staff are bound by invite; asking them for a phone would bind nothing useful.
        return [ctx.send(tr._("Your account is linked as staff. Send /help to see your "
                              "commands."), remove_reply_keyboard=True)]
    text = tr._("Welcome to the owner feedback service of your property management. "
                "To receive a short survey after each work order, please tap the button below "
                "to share your phone number, so we can find your home.")
    return [ctx.send(text, request_contact=tr._("📱 Share my phone number"))]


async def _redeem(conv: ConversationDeps, ctx: Context, token: str) -> list[Action]:
    tr = ctx.tr
    try:
        role, _subject = await redeem_invite(
            db=conv.db, token=token[:64], telegram_user_id=ctx.who.user_id,
            chat_id=ctx.who.chat_id, language=ctx.locale, secret=conv.invite_secret,
        )
    except InvalidInvite as exc:
        return [ctx.send(error_text(tr, exc))]
    if role == "owner":
        homes = await account_homes(db=conv.db, telegram_user_id=ctx.who.user_id)
        if len(homes) > 1:
            return [ctx.send(tr._(
                "This home is now added to your account. You receive surveys for {count} "
                "homes: {homes}; each survey names the home it is about.", count=len(homes),
                homes=tr._(", ").join(home.label for home in homes)),
                remove_reply_keyboard=True)]
        return [ctx.send(tr._("You are now bound to your home. You will receive a short survey "
                              "after each completed work order."), remove_reply_keyboard=True)]
    return [ctx.send(tr._("Your account is now linked. Welcome!"), remove_reply_keyboard=True)]


async def contact(conv: ConversationDeps, ctx: Context, *, phone: str,
                  contact_user_id: int | None) -> list[Action]:
    """Bind the sender to every home with this phone, if the contact is their own."""
    tr = ctx.tr
    ask_again = tr._("📱 Share my phone number")
    try:
        bound = await bind_owner_by_contact(
            db=conv.db, telegram_user_id=ctx.who.user_id, chat_id=ctx.who.chat_id,
            phone=phone, contact_user_id=contact_user_id, language=ctx.locale,
        )
    except ForgedContact as exc:
        return [ctx.send(error_text(tr, exc), request_contact=ask_again)]
    except (UnknownPhone, PhoneBoundElsewhere) as exc:
        return [ctx.send(error_text(tr, exc), remove_reply_keyboard=True)]
    if len(bound.homes) > 1:
        text = tr._("Thank you, {name}! This account now receives surveys for {count} homes: "
                    "{homes}. Each survey names the home it is about. Send /stop any time to "
                    "stop receiving surveys.", name=bound.owner.name, count=len(bound.homes),
                    homes=tr._(", ").join(bound.homes))
    else:
        text = tr._("Thank you, {name}! Your home is now bound. You will receive a short "
                    "survey after each completed work order. Send /stop any time to "
                    "stop receiving surveys.", name=bound.owner.name)
    if bound.held_elsewhere:
        text += "\n\n" + tr._("Another Telegram account holds other homes with this phone "
                              "number; they stay with it. If they are yours, please ask the "
                              "property office for an invite link.")
    return [ctx.send(text, remove_reply_keyboard=True)]
