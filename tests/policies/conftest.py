import pytest

from accounts.models import Role
from policies.seeding import seed_policies
from tests.factories import make_user


@pytest.fixture
def policy_admin(reference):
    """A policy administrator at the economy and information bureau (市经信局)."""
    return make_user("zhengce_wu", role=Role.Code.POLICY_ADMIN, display_name="吴政策")


@pytest.fixture
def seeded(db, policy_admin):
    """The seed policy set of policies.md, loaded by the command's own function."""
    seed_policies(acting_user=policy_admin)
