"""scripts/relabel_rows.py never lets a new reader overwrite an older reader's labels."""

from __future__ import annotations

from types import ModuleType

from tests.fixtures.scripts import load_script


def _tool() -> ModuleType:
    return load_script("relabel_rows")


def test_a_new_directory_with_an_older_readers_name_is_refused() -> None:
    earlier = [{"labeller": "ua1", "id": 1}, {"labeller": "ua1", "id": 2}]
    assert _tool().name_clashes(earlier, [{"labeller": "ua1", "id": 9}]) == {"ua1"}


def test_reading_the_same_rows_again_under_the_same_name_is_a_re_read() -> None:
    earlier = [{"labeller": "ua1", "id": 1}, {"labeller": "xb2", "id": 5}]
    new = [{"labeller": "ua1", "id": 1}, {"labeller": "ua1", "id": 3}]
    assert _tool().name_clashes(earlier, new) == set()
