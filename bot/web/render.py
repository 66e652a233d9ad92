"""Server-side rendering of the survey page with Jinja2 (autoescaped, no scripts).

Texts come from the gettext catalogs (`web.po` and the chat's survey texts): a template calls
`_("...", name=value)` exactly like Python code, so the catalog test extracts them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from bot.i18n import SUPPORTED_LOCALES, Translator
from bot.web.security import style_hash

HERE = Path(__file__).resolve().parent
LOCALE_LABELS = (("zh_CN", "中文"), ("en", "English"))
LANG_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "en": "en"}


@dataclass(frozen=True)
class Page:
    """A rendered page and the status it goes out with."""

    html: str
    status: int
    locale: str


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


class Renderer:
    """Render templates in a locale; holds the one stylesheet and its CSP hash."""

    def __init__(self) -> None:
        self.env = _environment()
        self.css = (HERE / "page.css").read_text(encoding="utf-8").strip()
        self.css_source = style_hash(self.css)

    def render(self, template: str, *, locale: str, status: int = 200,
               **context: Any) -> Page:
        """Render one page with the translator of `locale` as `_`."""
        tr = Translator(locale)
        html = self.env.get_template(template).render(
            _=tr._, css=self.css, locale=tr.locale, html_lang=tr.locale.replace("_", "-"),
            switch=context.pop("switch", LOCALE_LABELS), **context)
        return Page(html=html, status=status, locale=tr.locale)


def pick_page_locale(query_lang: str | None, accept_language: str | None,
                     default: str) -> str:
    """Choose the page language: ?lang= first, then Accept-Language by weight, then default."""
    if query_lang:
        chosen = LANG_ALIASES.get(query_lang.strip().lower())
        if chosen:
            return chosen
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower()
        locale = "zh_CN" if code.startswith("zh") else "en" if code.startswith("en") else None
        if locale and weight > 0:
            ranked.append((-weight, index, locale))
    if ranked:
        return min(ranked)[2]
    return default if default in SUPPORTED_LOCALES else "zh_CN"
