import pytest

from accounts.models import Role
from enterprises import actions as enterprise_actions
from enterprises.models import Project, YearFigures
from policies.seeding import seed_policies
from tests.factories import make_user

WAN = 1_000_000  # fen in 1万 yuan
YEAR = 2025


@pytest.fixture
def policy_admin(reference):
    """A policy administrator at the economy and information bureau (市经信局)."""
    return make_user("zhengce_wu", role=Role.Code.POLICY_ADMIN, org="dept_jxj", display_name="吴政策")


@pytest.fixture
def seeded(db, policy_admin):
    """The seed policy set of policies.md, loaded by the command's own function."""
    seed_policies(acting_user=policy_admin)


@pytest.fixture
def manufacturer(hongda, system_admin):
    """宏达 as a manufacturer (GB/T 4754 section C)."""
    return enterprise_actions.do_update_enterprise(hongda, acting_user=system_admin, industry_code="C3851")


@pytest.fixture
def hongda_project(manufacturer):
    """宏达's completed class-A tech-upgrade project of 2025, with 600万 of equipment (no figures on file)."""
    return Project.objects.create(enterprise=manufacturer, name="自动化产线", year=YEAR, industry_class="A",
                                  completed=True, equipment_investment_fen=600 * WAN)


@pytest.fixture
def hongda_2025(manufacturer):
    """宏达 as a manufacturer with a 1234.5678万 medium- and long-term loan balance in 2025."""
    YearFigures.objects.create(enterprise=manufacturer, year=YEAR, mlt_loan_avg_daily_balance_fen=1_234_567_800)
    return manufacturer


@pytest.fixture
def hongda_line(hongda_2025):
    """宏达's completed class-A tech-upgrade project of 2025, with 600万 of equipment."""
    return Project.objects.create(enterprise=hongda_2025, name="自动化产线", year=YEAR, industry_class="A",
                                  completed=True, equipment_investment_fen=600 * WAN)
