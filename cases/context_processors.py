from cases import policy


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "user_roles": policy.roles(user),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
