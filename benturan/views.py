"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "benturan/home.html", {})


# ---------------------------------------------------------------------------------------------------------
# Declarations


# ---------------------------------------------------------------------------------------------------------
# Risk map


# ---------------------------------------------------------------------------------------------------------
# Yearly statements and campaigns


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics
