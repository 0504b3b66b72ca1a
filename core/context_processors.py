"""Template context shared by every page: the role menu."""

from .menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user, request.path)}
