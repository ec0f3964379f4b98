from django.apps import AppConfig


class CasetypeConfig(AppConfig):
    """A small case type ('uji') that exercises the core without depending on any real case app."""

    name = "tests.casetype"
    label = "casetype"

    def ready(self):
        from cases import policy, registry
        from tests.casetype.models import FINAL, Status

        registry.register(
            registry.CaseKind(
                code="uji",
                prefix="UJI",
                label="Uji",
                model_label="casetype.Widget",
                handler_group=policy.PETUGAS_PENGADUAN,
                status_labels=tuple(Status.choices),
                final_states=FINAL,
                notify=lambda case, name: [case.reporter],
                clocks=(
                    registry.ClockRule(
                        code="review",
                        label="Review",
                        basis="test 5 HK",
                        working_days=5,
                        start_on=("submit",),
                        stop_on=("approve", "reject"),
                        pause_on=("send_back",),
                        resume_on=("resubmit",),
                    ),
                    registry.ClockRule(
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
        )
