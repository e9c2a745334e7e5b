"""Opening hours in OpenStreetMap syntax (``Mo-Fr 09:00-12:00; Sa 10:00-18:00; PH off``).

Stored as typed (data·inclusion's ``horaires_accueil`` uses the same syntax, so exports carry
it as is), checked on the forms, read as the coming week on an initiative's page, and asked
"open now?" by the directory's filter. Parsed by ``opening-hours-py`` (a Rust parser), once
per distinct text per process. Public holidays (``PH``) are France's; each place is read in
its own time zone, the overseas regions' included.
"""

import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opening_hours import OpeningHours, ParserError, State

MAX_LENGTH = 255
EXAMPLE = "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"
PARIS = "Europe/Paris"
# Regions (INSEE codes) whose clocks are not Paris's.
REGION_ZONES = {
    "01": "America/Guadeloupe",
    "02": "America/Martinique",
    "03": "America/Cayenne",
    "04": "Indian/Reunion",
    "06": "Indian/Mayotte",
}
# "Open now" is asked at the start of the current quarter hour: opening hours change on
# quarter hours (09:00, 12:30, 17:45), so the answer is exact for them, and the directory's
# cache keys change four times an hour, not every second.
SLOT_MINUTES = 15
HELP_TEXT = gettext_lazy(
    "Optional, in OpenStreetMap syntax, e.g. “Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; "
    "PH off” (Mo Tu We Th Fr Sa Su, PH for public holidays)."
)

_POSITION = re.compile(r"--> \d+:(\d+)")


@lru_cache(maxsize=4096)
def parse(text):
    """The parsed expression; raises ``ParserError`` when invalid."""
    return OpeningHours(text, country="FR")


def validate_opening_hours(value):
    """A model and form validator: refuses what the parser cannot read, saying where."""
    if not value:
        return
    if len(value) > MAX_LENGTH or "\n" in value:
        raise ValidationError(_("Write the opening hours on one line of at most 255 characters."))
    try:
        parse(value)
    except (ParserError, SyntaxError) as error:
        match = _POSITION.search(str(error))
        where = ""
        if match:
            column = int(match[1])
            where = " " + _("The problem is at character %(n)s: “%(text)s”.") % {
                "n": column,
                "text": value[column - 1 : column + 11],
            }
        raise ValidationError(
            _("These opening hours are not in OpenStreetMap syntax, for example “%(example)s”.")
            % {"example": EXAMPLE}
            + where,
            code="opening_hours",
        ) from None


def zone_name(region_code):
    return REGION_ZONES.get(region_code or "", PARIS)


def zone_of(region_code):
    return ZoneInfo(zone_name(region_code))


def regions_in_zone(zone):
    """The region codes of an overseas ``zone`` (Paris's: every region not listed)."""
    return [code for code, name in REGION_ZONES.items() if name == zone]


def current_slot(now=None):
    """The start of the current quarter hour (aware, UTC): the moment "open now" is asked at."""
    now = (now or timezone.now()).astimezone(ZoneInfo("UTC"))
    return now.replace(minute=now.minute - now.minute % SLOT_MINUTES, second=0, microsecond=0)


def is_open(text, region_code, moment):
    """Whether hours ``text`` say open at ``moment`` (aware) in the place's time zone."""
    if not text:
        return False
    try:
        expression = parse(text)
    except (
        ParserError,
        SyntaxError,
    ):  # stored before validation existed: never open, never an error
        return False
    local = moment.astimezone(zone_of(region_code)).replace(tzinfo=None)
    return expression.is_open(local)


def open_texts(rows, moment):
    """``{time zone: the hours texts that say open at moment there}``, from distinct
    ``(hours, region code)`` rows: each text is evaluated once per time zone, not per place."""
    found = defaultdict(set)
    for text, region_code in rows:
        if is_open(text, region_code, moment):
            found[zone_name(region_code)].add(text)
    return found


def _clock(moment, day_start):
    if moment - day_start >= timedelta(days=1):
        return "24:00"
    return formats.time_format(moment.time(), "TIME_FORMAT")


def week(text, region_code=None, today=None):
    """The coming seven days from ``today``: ``[{"date", "spans", "open"}]`` where each span is
    ``{"start", "end", "open", "comment"}`` (times formatted in the active language).

    Days with neither an opening nor a comment are closed; an "unknown" span (``Mo off "on
    appointment"``) shows its comment. None when ``text`` is empty or unreadable.
    """
    if not text:
        return None
    try:
        expression = parse(text)
    except (ParserError, SyntaxError):
        return None
    if today is None:
        today = timezone.now().astimezone(zone_of(region_code)).date()
    days = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        start = datetime.combine(day, time())
        end = start + timedelta(days=1)
        spans = []
        for span_start, span_end, state, comment in expression.intervals(start, end):
            span_end = min(span_end or end, end)
            if state == State.CLOSED and not comment:
                continue
            spans.append(
                {
                    "start": _clock(max(span_start, start), start),
                    "end": _clock(span_end, start),
                    "open": state == State.OPEN,
                    "comment": comment or "",
                    "all_day": span_start <= start and span_end >= end,
                }
            )
        days.append({"date": day, "spans": spans, "open": any(s["open"] for s in spans)})
    return days
