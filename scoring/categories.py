"""Work-order categories (水电, 电梯, ...): the editable list, intake names and title inference.

Each category has a stable code (stored on the work order), an English name that is a msgid
of the catalogs (the chat, exports and charts translate it), optional labels given in the
config for categories the catalogs do not know, the names an intake may send for it, and the
keywords that infer it from a work order's title. Pure: no database, no chat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scoring.classifier.segmentation import normalize, tokens
from scoring.reports.labels import N_

CODE_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
OTHER = "other"


class Category(BaseModel):
    """One category of work orders."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE_PATTERN)
    # English name; a msgid in the catalogs for the built-in categories.
    name: str = Field(min_length=1, max_length=64)
    # A label per language ("zh_CN", "en") for categories the catalogs do not translate.
    labels: dict[str, str] = Field(default_factory=dict)
    # Other names an intake may send for it (besides the code, name and labels).
    aliases: tuple[str, ...] = ()
    # Words of a title that point to it (jieba tokens; words of 2+ characters also inside).
    keywords: tuple[str, ...] = ()
    # Whether the same unit with this category again within the window is a repeat problem.
    repeats: bool = True

    def names(self) -> Iterable[str]:
        """Every name an intake may use for this category."""
        return (self.code, self.name, *self.labels.values(), *self.aliases)


def _c(code: str, name: str, zh: str, keywords: str, *, aliases: str = "",
       repeats: bool = True) -> Category:
    return Category(code=code, name=name, aliases=(zh, *aliases.split()),
                    keywords=tuple(keywords.split()), repeats=repeats)


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    _c("water_power", N_("Water & power"), "水电",
       "水 电 漏水 渗水 停水 水管 水龙头 龙头 马桶 下水道 下水 堵塞 堵了 水压 停电 跳闸 电路 "
       "插座 电灯 灯 灯泡 开关 水表 电表 热水 热水器 暖气 供暖 燃气 排水 地漏 管道 爆管 断电"),
    _c("elevator", N_("Elevator"), "电梯",
       "电梯 梯 困人 轿厢 扶梯 电梯门 按钮 停运", aliases="电梯故障"),
    _c("access_security", N_("Access & security"), "门禁/安防",
       "门禁 门卡 监控 摄像头 保安 安保 巡逻 被盗 偷 陌生人 单元门 对讲 可视对讲 人脸 "
       "岗亭 外来人员 安全隐患 防盗",
       aliases="门禁 安防 门禁安防"),
    _c("cleaning", N_("Cleaning"), "保洁",
       "保洁 清洁 垃圾 卫生 打扫 异味 臭 清扫 蟑螂 老鼠 灭鼠 消杀 垃圾桶 楼道 脏 污渍 "
       "杂物 清运", aliases="清洁 卫生"),
    _c("greening", N_("Greenery"), "绿化",
       "绿化 草坪 树 树木 修剪 花草 落叶 绿植 草 树枝 枯死 虫害 园林", aliases="园林"),
    _c("parking", N_("Parking"), "停车",
       "停车 车位 车库 道闸 占道 乱停 充电桩 车辆 停车场 地库 挪车 占用车位 月卡",
       aliases="车位 停车场"),
    _c("facilities", N_("Shared facilities"), "公共设施",
       "公共设施 设施 健身器材 座椅 护栏 井盖 外墙 屋顶 楼顶 防水 游乐 消防 栏杆 路面 "
       "台阶 大堂 信报箱 路灯 门窗 破损 脱落", aliases="公共 设施"),
    _c("fees", N_("Fees & enquiries"), "费用/咨询",
       "物业费 收费 费用 缴费 发票 账单 咨询 退款 押金 水电费 停车费 询问 办理 证明 "
       "装修申请 多收", aliases="费用 咨询 收费"),
    _c(OTHER, N_("Other"), "其他", "", aliases="其它", repeats=False),
)


class CategoryConfig(BaseModel):
    """The company's categories and its repeat-problem rule (config `[categories]`)."""

    model_config = ConfigDict(extra="forbid")

    items: tuple[Category, ...] = DEFAULT_CATEGORIES
    # The category of a title no keyword matches; must be one of `items`.
    fallback: str = OTHER
    # The same unit (building + room) and category closed again within this many days is a
    # repeat problem (返修/重复).
    repeat_days: float = Field(30, gt=0, le=366)
    # The occurrence that alerts the community's managers (3: the third time in the window).
    repeat_alert_at: int = Field(3, ge=2, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> CategoryConfig:
        codes = [c.code for c in self.items]
        if len(set(codes)) != len(codes):
            raise ValueError("category codes must be unique")
        if self.fallback not in codes:
            raise ValueError(f"fallback category {self.fallback!r} is not in the list")
        seen: dict[str, str] = {}
        for category in self.items:
            for name in category.names():
                key = _key(name)
                if seen.setdefault(key, category.code) != category.code:
                    raise ValueError(f"the name {name!r} is given to two categories")
        return self

    def get(self, code: str | None) -> Category | None:
        """Return the category with this code (None for an unknown or missing code)."""
        return next((c for c in self.items if c.code == code), None)

    def resolve(self, name: str) -> str | None:
        """Return the code an intake's category name stands for, or None if unknown."""
        key = _key(name)
        for category in self.items:
            if any(_key(n) == key for n in category.names()):
                return category.code
        return None

    def codes(self) -> list[str]:
        """Every code, in the configured order."""
        return [c.code for c in self.items]


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def infer_category(title: str, config: CategoryConfig, words: Iterable[str]) -> str:
    """Return the category a title's words (its jieba tokens) point to, else the fallback.

    A keyword found as a whole token scores its length; a keyword of two or more characters
    found inside the title (split differently by jieba) scores half of it. The best score
    wins; a tie goes to the category listed first.
    """
    tokens = Counter(words)
    text = "".join(title.split()).casefold()
    best, best_score = config.fallback, 0.0
    for category in config.items:
        score = 0.0
        for keyword in category.keywords:
            if keyword in tokens:
                score += len(keyword)
            elif len(keyword) >= 2 and keyword in text:
                score += len(keyword) / 2
        if score > best_score:
            best, best_score = category.code, score
    return best


def infer_from_title(title: str, config: CategoryConfig) -> str:
    """Return the category inferred from a work order's title (jieba-segmented)."""
    if not title.strip():
        return config.fallback
    text = normalize(title)
    return infer_category(text, config, tokens(text))
