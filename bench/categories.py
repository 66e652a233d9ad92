"""How well a work order's category is inferred from its title, on titles not tuned on.

    .venv/bin/python bench/categories.py

The titles below were written after the keyword table (scoring/categories.py) and were not
used to choose its keywords; the keyword table was not changed after this script's first run
(see docs/benchmarks.md). Each is phrased the way a property system's 工单 titles read.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.categories import CategoryConfig, infer_from_title  # noqa: E402

HELD_OUT: tuple[tuple[str, str], ...] = (
    ("3栋厨房水槽下面一直滴水", "water_power"),
    ("卫生间灯不亮了，麻烦派人看看", "water_power"),
    ("家里整个没电了", "water_power"),
    ("阳台地漏返水", "water_power"),
    ("2号楼电梯又坏了，停在8楼不动", "elevator"),
    ("电梯运行时有异响", "elevator"),
    ("业主被困在电梯里", "elevator"),
    ("单元门刷卡打不开", "access_security"),
    ("小区东门晚上没人值班", "access_security"),
    ("车库监控坏了看不到画面", "access_security"),
    ("楼道里堆了很多垃圾没人清理", "cleaning"),
    ("垃圾房味道很大", "cleaning"),
    ("电梯厅地面很脏", "cleaning"),
    ("楼下的树长到窗户边了，需要修剪", "greening"),
    ("草地上很多杂草", "greening"),
    ("有人把车停在消防通道", "parking"),
    ("我的车位被别人占了", "parking"),
    ("地下车库出口道闸抬不起来", "parking"),
    ("儿童游乐场滑梯坏了", "facilities"),
    ("小区路灯晚上不亮", "facilities"),
    ("外墙瓷砖掉落", "facilities"),
    ("健身区的跑步机坏了", "facilities"),
    ("物业费怎么交", "fees"),
    ("想问一下停车月卡多少钱", "fees"),
    ("上个月水费收多了", "fees"),
    ("开具物业费发票", "fees"),
    ("楼上装修噪音太大", "other"),
    ("邻居家狗一直叫", "other"),
    ("顶楼漏雨，天花板发霉", "facilities"),
    ("门口快递柜打不开", "facilities"),
)


def main() -> int:
    """Infer the held-out titles' categories; print the accuracy, the speed and the misses."""
    config = CategoryConfig()
    infer_from_title("预热", config)  # jieba's dictionary loads once, outside the timing
    started = time.perf_counter()
    wrong = []
    for title, expected in HELD_OUT:
        got = infer_from_title(title, config)
        if got != expected:
            wrong.append((title, expected, got))
    seconds = time.perf_counter() - started
    right = len(HELD_OUT) - len(wrong)
    print(f"accuracy {right}/{len(HELD_OUT)} = {right / len(HELD_OUT):.0%} "
          f"({len(HELD_OUT) / seconds:,.0f} titles/s)")
    for title, expected, got in wrong:
        print(f"  wrong: {title}  expected {expected}, got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
