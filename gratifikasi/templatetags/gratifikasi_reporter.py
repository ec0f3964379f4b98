"""What the reporter's own case page needs beyond the case core: the UPG's request when a report was sent
back for completion."""

import datetime as dt
from dataclasses import dataclass

from django import template

from cases import selectors
from gratifikasi.models import Status

register = template.Library()

# The reporter's completion serves the UPG's forwarding clock, which never passes the legal one
# (UU 20/2001 Pasal 12C ayat (2): 30 HK from the date received); the nearer of the two is "by when".
COMPLETION_SERVES = ("upg_forward", "kpk_legal")


@dataclass(frozen=True)
class CompletionRequest:
    note: str
    asked_on: dt.datetime
    due: dt.date | None


@register.simple_tag
def completion_request(report) -> CompletionRequest | None:
    """The note of the transition that sent the report back, and the date the completion is needed by;
    None unless the report waits for its reporter."""
    if report.status != Status.INCOMPLETE:
        return None
    event = selectors.last_event(case=report, action="transition", to_status=Status.INCOMPLETE)
    if event is None:
        return None
    dues = [
        clock.due_date
        for clock in report.clocks.all()
        if clock.code in COMPLETION_SERVES and clock.met_on is None and clock.stopped_on is None
    ]
    return CompletionRequest(note=event.note, asked_on=event.created_at, due=min(dues, default=None))
