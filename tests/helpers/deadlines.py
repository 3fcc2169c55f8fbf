"""What any parsed deadline must look like, and the fragments the property tests combine."""

from __future__ import annotations

import json

from site_builder.core.russian import MONTHS_GENITIVE as MONTH_GENITIVE
from site_builder.model.deadlines import Schedule, explain, schedule_to_json

FRAGMENTS = [
    *MONTH_GENITIVE,
    "Январь", "сент.", "2022", "2023г.", "2022года", "г.", "гг.", "года", "01.03", "01.03.", "15.05.2023", "5.12.2022",
    "18.01.02.2022", "31", "1", "-", "–", " - ", ",", ";", "и", "с", "по", "до", "конца", "не позднее", "I", "IV",
    "квартал", "кв.", "полугодие", "первое", "2022/2023", "учебный год", "(исполнено)", "(ежемесячно)", "(", ")",
    "еженедельно", "по четвергам", "постоянно", "в течение года", "в соответствии с графиком", "\n", ".", ":",
]  # fmt: skip


def check_well_formed(schedule: Schedule) -> None:
    assert isinstance(schedule.done, bool)
    if schedule.kind == "deadline":
        assert schedule.deadline is not None and schedule.intervals == ()
    elif schedule.kind == "unknown":
        assert schedule.deadline is None and schedule.intervals == ()
    else:
        assert schedule.deadline is None and schedule.intervals
    for start, end in schedule.intervals:
        assert start <= end
    for (_, previous_end), (next_start, _) in zip(schedule.intervals, schedule.intervals[1:], strict=False):
        assert previous_end < next_start
    assert explain(schedule).endswith(".")
    json.dumps(schedule_to_json(schedule), ensure_ascii=False)
