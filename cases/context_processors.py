from django.urls import reverse

from cases import policy, registry


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = policy.roles(user)
    return {
        "user_roles": roles,
        # The evaluation pages: the inspectorate, and unit heads for their units (evaluasi.access). A unit head
        # is a supervisor (atasan): asking only them keeps every other page at the queries it had.
        "reads_evaluation": policy.INSPEKTUR in roles or (policy.ATASAN in roles and user.headed_units.exists()),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }


def language_switch(request):
    """Where the language switch posts. On the public intake pages it stays under their prefix, which the
    privacy middleware and log filter cover: Django's /i18n/setlang/ would see the reporter's address and
    be logged with a timestamp."""
    namespace = registry.public_namespace_at(request.path)
    if namespace is not None:
        return {"set_language_url": reverse(f"{namespace}:set_language")}
    return {"set_language_url": reverse("set_language")}
