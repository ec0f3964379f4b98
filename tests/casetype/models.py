from django.db import models
from django_fsm import transition

from cases import policy
from cases.models import Case


class Status(models.TextChoices):
    DRAFT = "draft", "Draf"
    SUBMITTED = "submitted", "Diajukan"
    REVIEWING = "reviewing", "Ditelaah"
    RETURNED = "returned", "Dikembalikan"
    APPROVED = "approved", "Disetujui"
    REJECTED = "rejected", "Ditolak"


FINAL = frozenset({Status.APPROVED, Status.REJECTED})


class Widget(Case):
    case = models.OneToOneField(Case, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100, blank=True)
    event_date = models.DateField(null=True, blank=True)
    ready = models.BooleanField(default=True)

    def is_ready(self):
        return self.ready

    @transition("status", source=Status.DRAFT, target=Status.SUBMITTED, permission=policy.reporter)
    def submit(self):
        pass

    @transition("status", source=Status.SUBMITTED, target=Status.REVIEWING, permission=policy.handler)
    def start_review(self):
        pass

    @transition("status", source=Status.REVIEWING, target=Status.RETURNED, permission=policy.handler)
    def send_back(self):
        pass

    @transition("status", source=Status.RETURNED, target=Status.REVIEWING, permission=policy.reporter)
    def resubmit(self):
        pass

    @transition(
        "status", source=Status.REVIEWING, target=Status.APPROVED, permission=policy.handler, conditions=[is_ready]
    )
    def approve(self, title=""):
        if title:
            self.title = title

    @transition("status", source=Status.REVIEWING, target=Status.REJECTED, permission=policy.handler)
    def reject(self):
        pass

    # Steps nobody signed in takes (cases.policy.public_reporter / system): the public reporter accepts the
    # answer from the tracking page; the sweep closes a report nobody picked up.
    @transition(
        "status",
        source=Status.REVIEWING,
        target=Status.APPROVED,
        permission=policy.public_reporter,
        custom={"label": "Pelapor menerima jawaban"},
    )
    def reporter_accept(self):
        pass

    @transition(
        "status",
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=policy.system,
        custom={"label": "Ditutup otomatis"},
    )
    def auto_close(self):
        pass
