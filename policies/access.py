"""Who may change the policy library, and who reviews a policy's payouts without application."""

from __future__ import annotations

from django.http import Http404

from accounts.models import Role


def can_edit_policies(user) -> bool:
    """Policy administrators (and system administrators) write new rule versions and publish them."""
    return user.is_authenticated and user.has_role(Role.Code.POLICY_ADMIN, Role.Code.SYSTEM_ADMIN)


def review_department_id(user) -> int | None:
    """The department whose payouts ``user`` reviews: a policy administrator's own department."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.Code.POLICY_ADMIN)):
        return None
    return getattr(user.organisation, "department_id", None)


def can_review_payouts(user, policy=None) -> bool:
    """A policy administrator of the policy's responsible department (of any department, without ``policy``)."""
    department_id = review_department_id(user)
    if department_id is None:
        return False
    return policy is None or policy.department_id == department_id


def visible_payout_batches(user):
    """The payout lists of the policies of the user's department; none for anyone else."""
    from .models import PayoutBatch

    department_id = review_department_id(user)
    if department_id is None:
        return PayoutBatch.objects.none()
    return PayoutBatch.objects.filter(version__policy__department_id=department_id)


def access_payout_batch(user, batch_id: int):
    """The batch, or the same 404 for "missing" and "not your department"."""
    batch = visible_payout_batches(user).select_related("version__policy", "run", "approved_by").filter(pk=batch_id)
    found = batch.first()
    if found is None:
        raise Http404("No such payout list.")
    return found
