"""Who may change the policy library."""

from __future__ import annotations

from accounts.models import Role


def can_edit_policies(user) -> bool:
    """Policy administrators (and system administrators) write new rule versions and publish them."""
    return user.is_authenticated and user.has_role(Role.Code.POLICY_ADMIN, Role.Code.SYSTEM_ADMIN)
