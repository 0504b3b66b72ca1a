"""Login, logout and each role's home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from enterprises.access import visible_enterprises

from .access import ScopeKind, scope_of
from .forms import LoginForm
from .models import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


# Which home a role lands on, in order of precedence.
HOME_TITLES = (
    (Role.Code.SYSTEM_ADMIN, "accounts/home_admin.html"),
    (Role.Code.SUPERVISOR, "accounts/home_supervisor.html"),
    (Role.Code.POLICY_ADMIN, "accounts/home_policy.html"),
    (Role.Code.WINDOW_STAFF, "accounts/home_window.html"),
    (Role.Code.DEPARTMENT_HANDLER, "accounts/home_department.html"),
    (Role.Code.LIAISON, "accounts/home_liaison.html"),
)


@login_required
def home(request):
    """Send each person to the home page of their main role."""
    user = request.user
    scope = scope_of(user)
    if scope.kind == ScopeKind.ENTERPRISE:
        return redirect("enterprises-mine")
    if scope.kind == ScopeKind.BANK:  # bank staff work on the financing needs matched to their bank
        return redirect("markets-finance-home")
    template = next((t for code, t in HOME_TITLES if user.has_role(code)), None)
    if template is None and user.is_superuser:
        template = "accounts/home_admin.html"
    if template is None:
        return render(request, "accounts/home_none.html", status=200)
    enterprises = visible_enterprises(user)
    by_town = list(
        enterprises.values("town__name_zh").annotate(n=Count("id")).order_by("-n")[:19]
    )
    context = {
        "scope": scope,
        "enterprise_count": enterprises.count(),
        "above_scale_count": enterprises.filter(tags__code="above_scale").count(),
        "by_town": by_town,
    }
    return render(request, template, context)
