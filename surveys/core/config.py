"""Domain settings: survey timing, dispatch limits and complaint deadlines."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

# Words that tell a complaint may go outside (hotline, authorities, press, lawyers, the owners'
# committee, the consumer association): the default of complaints.risk_words.
DEFAULT_RISK_WORDS = ("12345", "市长热线", "住建局", "媒体", "曝光", "律师", "起诉", "业委会",
                      "消协", "发到网上", "发网上", "发抖音", "发微博", "发小红书", "发自媒体",
                      "发到自媒体", "上热搜")
# Longer words that hold a risk word but mean something else (自媒体 is a line of work, not
# the press): a risk word inside one of them does not count (complaints.risk_word_exceptions).
# Posting it there is a threat all the same: 发到自媒体 is a risk word of its own above.
DEFAULT_RISK_WORD_EXCEPTIONS = ("自媒体", "多媒体", "流媒体")


class SurveyConfig(BaseModel):
    reminder_after_hours: float = Field(24, gt=0)
    expire_after_days: float = Field(7, gt=0)
    low_rating_threshold: int = Field(2, ge=1, le=5)  # a rating <= this opens a complaint
    comment_max_chars: int = Field(1000, ge=10)


class DispatchConfig(BaseModel):
    per_bot_per_second: float = Field(30, gt=0)  # Telegram: about 30 messages/s per bot
    per_chat_interval_seconds: float = Field(1.0, ge=0)  # about 1 message/s per chat
    batch_size: int = Field(100, ge=1)
    max_attempts: int = Field(8, ge=1)
    lease_seconds: float = Field(60, gt=0)
    tick_seconds: float = Field(1.0, gt=0)
    retry_base_seconds: float = Field(2.0, gt=0)  # backoff after a 5xx/network error
    retry_max_seconds: float = Field(600, gt=0)
    # No send answered for this long means Telegram (or the network) is out of reach: 5xx and
    # network errors stop counting toward max_attempts until one is answered again.
    outage_seconds: float = Field(120, gt=0)
    concurrency: int = Field(8, ge=1)  # sends in flight at once (latency hiding)


class ComplaintConfig(BaseModel):
    ack_hours: float = Field(24, gt=0)
    urgent_ack_hours: float = Field(2, gt=0)
    # Resolve by (opened or escalated + hours); past it managers and the agent are alerted once.
    resolve_hours: float = Field(72, gt=0)
    urgent_resolve_hours: float = Field(24, gt=0)
    # "Not satisfied" after "resolved" reopens the complaint as escalated this many times; the
    # next unsatisfied answer closes it unsatisfied (the manager is alerted either way).
    max_escalations: int = Field(2, ge=0)
    # A follow-up question unanswered this long lets staff close the complaint as "owner
    # unreachable" (at once when the bot could not ask, or Telegram refuses the owner's chat).
    follow_up_wait_hours: float = Field(72, gt=0)
    # Words in any owner text that alert the manager at once (an editable list).
    risk_words: list[str] = Field(default_factory=lambda: list(DEFAULT_RISK_WORDS))
    # Longer words in which a risk word does not count (a risk word listed itself still does).
    risk_word_exceptions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_RISK_WORD_EXCEPTIONS))

    @field_validator("risk_words", "risk_word_exceptions")
    @classmethod
    def _no_blank_words(cls, words: list[str]) -> list[str]:
        # A blank word would match every text: drop it, keep the order, once each.
        return list(dict.fromkeys(w.strip() for w in words if w.strip()))
    # How long the bot waits for a typed reply or reason after asking for it.
    prompt_minutes: float = Field(30, gt=0)
    # New direct complaints one owner may open in 24 hours (free text, /complain, a
    # confirmation); beyond it the text is kept and shown to managers, no complaint is opened.
    owner_daily_complaints: int = Field(3, ge=1)
    # An owner's text joins their complaint still in hand (not closed) when it is about the
    # same work order or agent, or the complaint was opened within these hours.
    join_hours: float = Field(72, gt=0)
    # A "register as a complaint?" question about an owner's text lapses after these hours:
    # a later tap registers nothing and the owner gets their words back with what to do.
    owner_question_hours: float = Field(24, gt=0)
    # The agent handling a complaint sees a phone number the owner typed in full (to call
    # back); every other reader (managers, exports, logs) gets it masked.
    agent_sees_typed_phones: bool = True


class WebConfig(BaseModel):
    """The survey's web link and page (surveys.survey.links, bot.web)."""

    # Public base URL the links start with, e.g. "https://survey.example.com" (the page is
    # served at <base_url>/s/<token> by the bot's HTTP server behind a TLS proxy). Empty: no
    # links are issued and unbound owners' surveys stay skipped.
    base_url: str = Field("", pattern=r"^(https?://[^\s?#]+)?$")
    # Also give links for owners bound in Telegram (chat stays their first channel).
    links_for_bound: bool = False
    # Requests one address may make per minute, and answers one link may post per minute.
    per_address_per_minute: int = Field(60, ge=1)
    per_link_per_minute: int = Field(10, ge=1)
    # Distinct addresses and links the in-memory limiter remembers (oldest forgotten first).
    limiter_capacity: int = Field(10_000, ge=100)
    # Take the client address from the last X-Forwarded-For hop (only behind your own proxy).
    trust_forwarded_for: bool = False

    @property
    def enabled(self) -> bool:
        """Tell whether links are issued at all."""
        return bool(self.base_url)


class RevisitConfig(BaseModel):
    """Staff-entered 回访 (surveys.survey.revisits) and the morning list of pending ones."""

    # The morning list names surveys of orders closed within this many days.
    window_days: float = Field(14, gt=0)
    # How many orders it names (the time: schedule.revisit_list_time).
    list_limit: int = Field(30, ge=1, le=200)
