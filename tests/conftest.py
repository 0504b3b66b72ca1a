"""The people and enterprises the tests talk about.

Two enterprises in two towns, and one person for each kind of user of the platform:

* ``hongda`` — 慈溪市宏达电器有限公司, in 周巷镇 (zhouxiang), primary contact phone 13812345678;
* ``longteng`` — 慈溪市龙腾五金制品有限公司, in 龙山镇 (longshan);
* ``hongda_contact`` / ``longteng_contact`` — each enterprise's own contact person;
* ``zhouxiang_clerk`` / ``longshan_clerk`` — town service window clerks;
* ``platform_clerk`` — a clerk of the city service platform (sees the whole city);
* ``department_handler`` — a handler at the Science and Technology Bureau;
* ``supervisor``, ``system_admin``, ``superuser``;
* ``outsider`` — a logged-in account with no role at all.

Everything is built with the real models and actions after ``seed_reference()``.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from accounts.models import Role, User
from enterprises import actions
from enterprises.models import ImportJob
from reference.models import Town
from reference.seeding import seed_reference

from .factories import HONGDA_NAME, HONGDA_PHONE, LONGTENG_NAME, credit_code, make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the reference data once into the new test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        seed_reference()


@pytest.fixture
def reference(db):
    """Towns, departments, roles and the organisation tree, as ``manage.py seed_reference`` loads them.

    Seeded once per run; a transactional test (worker, browser) empties the database
    when it ends, so whatever runs after it seeds again.
    """
    if not Role.objects.exists():
        seed_reference()


@pytest.fixture
def zhouxiang(reference) -> Town:
    return Town.objects.get(code="zhouxiang")


@pytest.fixture
def longshan(reference) -> Town:
    return Town.objects.get(code="longshan")


@pytest.fixture
def system_admin(reference) -> User:
    return make_user("admin_li", role=Role.Code.SYSTEM_ADMIN, is_staff=True, display_name="李管理")


@pytest.fixture
def superuser(reference) -> User:
    return make_user("root_zhao", is_staff=True, is_superuser=True, display_name="赵超管")


@pytest.fixture
def zhouxiang_clerk(reference) -> User:
    return make_user("zx_window", role=Role.Code.WINDOW_STAFF, org="window_zhouxiang", display_name="周窗口")


@pytest.fixture
def longshan_clerk(reference) -> User:
    return make_user("ls_window", role=Role.Code.WINDOW_STAFF, org="window_longshan", display_name="龙窗口")


@pytest.fixture
def platform_clerk(reference) -> User:
    return make_user("pf_clerk", role=Role.Code.WINDOW_STAFF, org="platform", display_name="平台坐席")


@pytest.fixture
def department_handler(reference) -> User:
    return make_user("kjj_handler", role=Role.Code.DEPARTMENT_HANDLER, org="dept_kjj", display_name="科技局承办人")


@pytest.fixture
def supervisor(reference) -> User:
    return make_user("boss_chen", role=Role.Code.SUPERVISOR, org="service_office", display_name="陈督办")


@pytest.fixture
def outsider(reference) -> User:
    return make_user("passer_by", display_name="路人")


@pytest.fixture
def hongda(system_admin, zhouxiang):
    """Enterprise A, in 周巷镇, with a primary contact whose phone only some roles may read."""
    enterprise = actions.do_create_enterprise(
        acting_user=system_admin, credit_code=credit_code(1), name=HONGDA_NAME, town=zhouxiang
    )
    actions.do_add_contact(enterprise, acting_user=system_admin, name="王芳", phone=HONGDA_PHONE, is_primary=True)
    return enterprise


@pytest.fixture
def longteng(system_admin, longshan):
    """Enterprise B, in 龙山镇."""
    return actions.do_create_enterprise(
        acting_user=system_admin, credit_code=credit_code(2), name=LONGTENG_NAME, town=longshan
    )


@pytest.fixture
def hongda_contact(hongda) -> User:
    return make_user("hongda_wang", role=Role.Code.ENTERPRISE_CONTACT, enterprise=hongda, display_name="王芳")


@pytest.fixture
def longteng_contact(longteng) -> User:
    return make_user("longteng_xu", role=Role.Code.ENTERPRISE_CONTACT, enterprise=longteng, display_name="徐强")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file to the import page as the logged-in user; the queued job runs when the upload commits.

    Returns (response, job); job is None when the form refused the file.
    """

    def post(content: bytes, *, kind="enterprises", mode=ImportJob.Mode.ALL_OR_NOTHING, name="企业名单.xlsx", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("enterprises-import"),
                {"kind": kind, "mode": mode, "file": SimpleUploadedFile(name, content)},
                **extra,
            )
        if response.status_code != 302:
            return response, None
        return response, ImportJob.objects.get(pk=resolve(response.url).kwargs["job_id"])

    return post


@pytest.fixture
def in_english(settings):
    """Pages and messages in English, so assertions can quote the source strings."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield
