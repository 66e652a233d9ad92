"""The framework-free owner conversation both chat runtimes call."""

from bot.conversation.actions import Action, AnswerCallback, Edit, Inbound, Send
from bot.conversation.core import Conversation

__all__ = ["Action", "AnswerCallback", "Conversation", "Edit", "Inbound", "Send"]
