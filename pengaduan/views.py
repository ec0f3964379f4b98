"""Pengaduan views: the configuration of its public pages (the core's, cases.intake_views) and the officers'
pages. Being built in issue 10."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pengaduan import selectors


def report_placeholder(request):
    return HttpResponse("pengaduan")


# ---------------------------------------------------------------------------------------------------------
# Public transparency (Perpres 76/2013: the settlement of complaints is open to the public): numbers only


def public_statistics(request):
    """Anonymous, no JavaScript: a year chosen with a plain GET form, the current one by default."""
    years = selectors.public_years()
    notice = ""
    year = timezone.localdate().year
    asked = request.GET.get("tahun", "")
    if asked:
        if asked.isdigit() and int(asked) in years:
            year = int(asked)
        else:
            notice = _("Tahun yang dipilih tidak tersedia; ditampilkan tahun %(year)d.") % {"year": year}
    stats = selectors.public_statistics(year=year)
    return render(request, "pengaduan/statistik.html", {"stats": stats, "notice": notice})
