"""The test kind 'uji': a small case type that exercises the core without any real case app (cases.registry)."""

from cases import policy, services
from cases.registry import CaseKind, ClockRule
from tests.casetype.models import FINAL, Status


def receive_conversion(*, source, payload: dict, actor):
    """A case of another kind converted into an 'uji' case (cases.services.convert_case)."""
    return services.create_case(
        kind="uji", actor=actor, unit=source.unit, status=Status.SUBMITTED, title=payload.get("title", "")
    )


KIND = CaseKind(
    code="uji",
    prefix="UJI",
    label="Uji",
    model_label="casetype.Widget",
    handler_group=policy.PETUGAS_PENGADUAN,
    status_labels=tuple(Status.choices),
    final_states=FINAL,
    notify=lambda case, name: [case.reporter],
    receive_conversion=receive_conversion,
    clocks=(
        ClockRule(
            code="review",
            label="Review",
            basis="test 5 HK",
            working_days=5,
            start_on=("submit",),
            stop_on=("approve", "reject"),
            pause_on=("send_back",),
            resume_on=("resubmit",),
        ),
        ClockRule(
            code="from_event",
            label="From event",
            basis="test 10 HK",
            working_days=10,
            start_on=("submit",),
            stop_on=("approve",),
            start_from="event_date",
        ),
    ),
)
