"""Pengaduan views: the configuration of its public pages (the core's, cases.intake_views) and the officers'
pages. Being built in issue 10."""

from django.http import HttpResponse


def report_placeholder(request):
    return HttpResponse("pengaduan")
