"""The Russian words and phrases a deadline cell is made of, as lookup tables and compiled patterns.

Everything here works on normalised text (see `scanner.normalize`): lower case, «ё» as «е», every dash as «-»
and every space-like character as a plain space, so one pattern covers every spelling the seeds show.
"""

from __future__ import annotations

import re

# Every grammatical case plus the usual abbreviations («янв.», «сент.», «нояб.»); the trailing dot is eaten
# by the scanner's word pattern.
_MONTH_FORMS = (
    "январь января январе январю январем янв",
    "февраль февраля феврале февралю февралем фев февр",
    "март марта марте марту мартом мар",
    "апрель апреля апреле апрелю апрелем апр",
    "май мая мае маю маем",
    "июнь июня июне июню июнем июн",
    "июль июля июле июлю июлем июл",
    "август августа августе августу августом авг",
    "сентябрь сентября сентябре сентябрю сентябрем сен сент",
    "октябрь октября октябре октябрю октябрем окт",
    "ноябрь ноября ноябре ноябрю ноябрем ноя нояб",
    "декабрь декабря декабре декабрю декабрем дек",
)
MONTH_WORDS: dict[str, int] = {
    form: number for number, forms in enumerate(_MONTH_FORMS, start=1) for form in forms.split()
}

# Ordinal words in any case and gender: «первое», «второго», «третьем», «четвертый».
ORDINAL_STEMS = (("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4))

# Words that carry structure; anything not listed (and not a month, ordinal or unit) makes a cell unreadable,
# because an unknown word such as «после» or «кроме» may change the meaning.
KEYWORDS: dict[str, str] = {
    "с": "from",
    "со": "from",
    "по": "to",
    "до": "until",
    "к": "until",
    "конца": "end_of",
    "конец": "end_of",
    "окончания": "end_of",
    "года": "yearword",
    "год": "yearword",
    "году": "yearword",
    "г": "yearword",
    "гг": "yearword",
    "и": "sep",
    "в": "filler",
    "во": "filler",
    "на": "filler",
    "течение": "filler",
    "срок": "filler",
    "сроки": "filler",
    "период": "filler",
    "периоде": "filler",
    "включительно": "filler",
    "начиная": "filler",
    "текущего": "filler",
    "этого": "filler",
    "календарного": "filler",
}
QUARTER_PREFIXES = ("квартал",)
QUARTER_WORDS = frozenset({"кв"})
HALF_PREFIX = "полугод"

_NO_LETTER_BEFORE = r"(?<![а-яa-z])"
_NO_LETTER_AFTER = r"(?![а-яa-z])"

# «(исполнено)» and its synonyms mark the item done, in brackets or not.
_DONE = _NO_LETTER_BEFORE + r"(?:исполнен|выполнен|завершен|проведен|реализован)[оаы]?" + _NO_LETTER_AFTER
DONE = re.compile(_DONE)

_WEEKDAY = (
    r"(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям"
    r"|понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
)
_COUNT = r"(?:[0-9]+|один|одного|два|двух|три|трех|четыре|четырех)"
_PER = r"(?:день|неделю|две\s+недели|месяц|квартал|полугодие|четверть|учебный\s+год|год)"
_RECURRENCE = (
    _NO_LETTER_BEFORE
    + r"(?:еже(?:дневно|недельно|месячно|квартально|годно)"
    + rf"|(?:не\s+(?:реже|чаще|менее|более)\s+)?{_COUNT}\s+раза?\s+в\s+{_PER}"
    + rf"|раз\s+в\s+{_PER}"
    + rf"|(?:по|каждый|каждую|каждое|каждого)\s+{_WEEKDAY}(?:\s*(?:,|и)\s*{_WEEKDAY})*"
    + r"|каждый\s+(?:день|месяц|квартал|год)|каждую\s+неделю"
    + r"|(?:до|к|не\s+позднее)\s+[0-9]{1,2}(?:-?го)?\s+числа(?:\s+каждого\s+месяца)?)"
    + _NO_LETTER_AFTER
)
RECURRENCE = re.compile(_RECURRENCE)

_YEAR_QUALIFIER = r"(?:всего\s+)?(?:текущего\s+|календарного\s+|учебного\s+)?"
_CONTINUOUS = (
    _NO_LETTER_BEFORE
    + r"(?:постоянно|круглогодично|систематически"
    + rf"|(?:в\s+течение|на\s+протяжении)\s+{_YEAR_QUALIFIER}года"
    + r"|весь\s+(?:учебный\s+|календарный\s+)?год"
    + r"|в\s+течение\s+(?:всего\s+)?периода(?:\s+реализации(?:\s+проекта)?)?)"
    + _NO_LETTER_AFTER
)

# Most cells are bare dates; these literal fragments, searched first, spare them the costly patterns below.
ANNOTATION_HINT = re.compile(
    r"\(|исполн|выполн|заверш|провед|реализ|еже|раз|кажд|ам|числа|постоян|кругло|систематич|течени|протяжен|весь"
)
NOTE_HINT = re.compile(r"соответств|согласно|график|план|согласован|мере|необходим|запрос")

# One pass finds every annotation; a bracket is taken whole before the words inside it are looked at.
ANNOTATION = re.compile(
    rf"(?P<bracket>\((?P<inside>[^()]*)\))|(?P<done>{_DONE})|(?P<recurrence>{_RECURRENCE})"
    rf"|(?P<continuous>{_CONTINUOUS})"
)

# A phrase such as «в соответствии с графиком посещения» is a note, not a date: it runs to the next digit
# or bracket, so «по графику: 10.02.2022» still yields the date.
NOTE_LEAD = re.compile(
    _NO_LETTER_BEFORE
    + r"(?:в\s+соответствии\s+с|согласно|по\s+(?:отдельному\s+|утвержденному\s+)?(?:графику|плану)"
    + r"|по\s+согласованию|по\s+мере|при\s+необходимости|по\s+запросу)"
    + _NO_LETTER_AFTER
    + r"[^0-9(]*"
)

# One alternative per token; the first that matches at a position wins, so longer shapes come first.
# Numbers never touch another digit or a «.digit»: «18.01.02.2022» matches nothing and is reported unreadable.
_YEAR_SUFFIX = r"(?:\s*(?:гг|года|году|год|г)\.?" + _NO_LETTER_AFTER + ")?"
_SCHOOL_WORDS = r"уч(?:ебн[а-я]*)?\.?\s*(?:год[а-я]*|г\.?)?"
_NUMBER_END = r"(?![0-9]|\.[0-9])"
TOKEN = re.compile(
    "|".join(
        (
            r" +",
            rf"(?P<until>не\s+(?:позднее|позже)|вплоть\s+до){_NO_LETTER_AFTER}",
            r"(?P<word>[а-я]+)\.?",
            r"(?P<iso>(?<![0-9])(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?![0-9]))",
            rf"(?P<school>(?<![0-9])(?P<sy1>(?:19|20)[0-9]{{2}})\s*"
            rf"(?:/\s*(?P<sy2a>(?:19|20)?[0-9]{{2}})(?![0-9])(?:\s*гг?\.?)?(?:\s*{_SCHOOL_WORDS})?"
            rf"|-\s*(?P<sy2b>(?:19|20)?[0-9]{{2}})(?![0-9])(?:\s*гг?\.?)?\s*{_SCHOOL_WORDS}){_NO_LETTER_AFTER})",
            rf"(?P<date>(?<![0-9.])(?P<dd>[0-9]{{1,2}})\.(?P<dmo>[0-9]{{1,2}})\.(?P<dy>(?:19|20)?[0-9]{{2}})"
            rf"{_NUMBER_END}{_YEAR_SUFFIX})",
            rf"(?P<my>(?<![0-9.])(?P<mym>[0-9]{{1,2}})\.(?P<myy>(?:19|20)[0-9]{{2}}){_NUMBER_END}{_YEAR_SUFFIX})",
            rf"(?P<dm>(?<![0-9.])(?P<dmd>[0-9]{{1,2}})\.(?P<dmm>[0-9]{{1,2}})\.?{_NUMBER_END})",
            rf"(?P<year>(?<![0-9])(?P<yv>(?:19|20)[0-9]{{2}})(?![0-9]){_YEAR_SUFFIX})",
            rf"(?P<ord>(?<![0-9.])(?P<ordn>[1-4])\s*-?\s*(?:ый|ий|ой|й|ое|е|ого|го|ом|м){_NO_LETTER_AFTER})",
            rf"(?P<num>(?<![0-9.])[0-9]{{1,2}}{_NUMBER_END})",
            r"(?P<roman>(?<![a-z])(?:iv|i{1,3})(?![a-z]))",
            r"(?P<dash>-)",
            r"(?P<sep>[,;])",
            r"(?P<punct>[.:])",
        )
    )
)
