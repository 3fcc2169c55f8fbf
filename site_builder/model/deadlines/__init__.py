"""Free-text Russian deadlines («Август-ноябрь 2022», «До 25.03.2022», «Еженедельно») read into schedules.

scanner: normalisation, annotations and tokens; grammar: tokens to dates; parser: the whole reading;
schedule: the result type and how it is shown.
"""

from site_builder.model.deadlines.parser import explicit_schedule, parse_deadline
from site_builder.model.deadlines.schedule import (
    Schedule,
    ScheduleKind,
    explain,
    russian_date,
    schedule_to_json,
)

__all__ = [
    "Schedule",
    "ScheduleKind",
    "explain",
    "explicit_schedule",
    "parse_deadline",
    "russian_date",
    "schedule_to_json",
]
