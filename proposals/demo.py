"""Demo proposals (演示数据): three proposals at different steps, one with an issued reply.

``create_demo_proposals()`` is idempotent (a proposal whose kind, session and number
exist is left alone) and goes through the real actions, so the demo proposals have
demands, routing, events and operation-log entries like real ones.  The texts are
written for the demo; the names are invented.

It acts as the city platform's window clerk (persona ``chuangkou``) and as a handler of
the Economy and Information Technology Bureau (``jingxin``); a missing account is
created without a usable password, so run ``create_demo_users`` first if those
personas should be able to log in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from core.audit import acting_as
from demands import actions as demand_actions
from reference.models import Category

from . import actions
from .models import Kind, Proposal

DEPUTY_SESSION = "市十八届人大五次会议"
MEMBER_SESSION = "市政协十二届五次会议"


@dataclass(frozen=True)
class DemoProposal:
    kind: str
    session: str
    number: int
    title: str
    proposer: str
    co_proposers: str
    days_ago: int
    category: str
    co_handlers: tuple[str, ...]
    text: str
    stage: str  # "issued", "drafted" or "routed"


SUPPLY_CHAIN = DemoProposal(
    Kind.DEPUTY, DEPUTY_SESSION, 36, "关于强化龙头企业产业链配套协作的建议", "沈建平", "岑丽萍、马国栋", 48,
    "finance", ("dept_jrzx", "dept_zgj"),
    "我市家电、汽车零部件等龙头企业周边聚集了大量配套中小企业，但多数配套企业规模小、厂房租用、"
    "抵押物不足，随龙头企业扩产时常遇到用地紧、融资贵、订单账期长等问题。建议：一是在小微企业园"
    "招商中为龙头企业的核心配套企业预留空间；二是推动银行依托龙头企业的订单和应收账款开展供应链融资；"
    "三是由部门牵头定期组织龙头企业与本地配套企业对接，提高本地配套率。",
    "issued",
)
TECH_UPGRADE = DemoProposal(
    Kind.DEPUTY, DEPUTY_SESSION, 118, "关于加大中小企业技术改造激励力度的建议", "罗志刚", "", 30,
    "digital", ("dept_czj",),
    "技术改造是中小企业提质增效的主要途径，但现行技改奖励设备投入门槛较高，小企业单个项目投入往往达不到，"
    "申报材料多、兑现周期长，不少企业不了解政策。建议适当降低中小企业技改项目的投入门槛，简化申报流程，"
    "推行“免申即享”，并通过镇（街道）企服窗口加强政策宣传和申报辅导。",
    "drafted",
)
MICRO_PARKS = DemoProposal(
    Kind.MEMBER, MEMBER_SESSION, 74, "关于推动小微企业园提质增效的提案", "胡晓燕", "", 12,
    "land", ("dept_zgj", "dept_zjj"),
    "近年来我市小微企业园数量增长较快，但部分园区入驻企业层次不高、配套服务不足，个别园区存在厂房空置"
    "与企业找不到合适厂房并存的现象。建议建立小微企业园运营评价制度，完善园区食堂、停车、物流等公共配套，"
    "搭建厂房供需对接平台，引导优质成长型企业入园集聚发展。",
    "routed",
)
DEMO_PROPOSALS = (SUPPLY_CHAIN, TECH_UPGRADE, MICRO_PARKS)

SUPPLY_CHAIN_REPLY = """\
你们在市十八届人大五次会议期间提出的《关于强化龙头企业产业链配套协作的建议》（第36号建议）已收悉。我局高度重视，会同市金融发展服务中心、市自然资源和规划局进行了专题研究，现将办理情况答复如下：

一、保障配套企业发展空间

（一）小微企业园定向招引配套企业。今年以来，我局指导各镇（街道）在新建小微企业园招商中设置产业链配套专区，优先安排龙头企业推荐的核心配套企业入驻，已有两个园区开展试点。

（二）盘活存量工业用地。结合低效用地再开发，鼓励龙头企业利用自有闲置厂房为配套企业提供生产空间，相关审批纳入企业服务“绿色通道”。

二、拓宽配套企业融资渠道

市金融发展服务中心已会同人民银行慈溪市支行，推动辖内银行以龙头企业订单、应收账款为依据开展供应链融资。下一步将把供应链融资业务纳入金融机构支持地方经济考评，引导政府性融资担保机构降低担保费率。

三、常态化开展产业链对接

我局将依托企业发展服务平台，每季度组织一次龙头企业与本地配套企业对接活动，建立龙头企业配套需求清单和本地配套企业能力清单，努力提高本地配套率。

再次感谢你们对我市产业链建设的关心和支持，欢迎今后继续提出宝贵意见。"""

TECH_UPGRADE_DRAFT = """\
您在市十八届人大五次会议期间提出的《关于加大中小企业技术改造激励力度的建议》（第118号建议）已收悉。经研究，现将办理情况答复如下：

一、优化技改奖励门槛

（待市财政局会签后补充）

二、推行免申即享

感谢您对我市中小企业技术改造工作的关心和支持，欢迎今后继续提出宝贵意见。"""


def _persona(username: str, display_name: str, role: str, organisation: str) -> User:
    """The demo persona, or a stand-in without a usable password if it does not exist yet."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display_name,
                    organisation=Organisation.objects.get(code=organisation))
        user.set_unusable_password()
        with acting_as(None):
            user.save()
            user.roles.set([Role.objects.get(code=role)])
    return user


def _handle(proposal: Proposal, demo: DemoProposal, registrar: User, handler: User) -> None:
    """Accept and route as the window; start as the lead unit unless the demo stops at routing."""
    demand = demand_actions.do_accept(proposal.demand, acting_user=registrar, version=None,
                                      category=Category.objects.get(code=demo.category))
    demand = demand_actions.do_route(demand, acting_user=registrar, version=None,
                                     lead_unit=handler.organisation,
                                     co_handlers=list(Organisation.objects.filter(code__in=demo.co_handlers)))
    if demo.stage != "routed":
        demand_actions.do_start(demand, acting_user=handler, version=None)


def _reply(proposal: Proposal, demo: DemoProposal, handler: User) -> None:
    body = SUPPLY_CHAIN_REPLY if demo.stage == "issued" else TECH_UPGRADE_DRAFT
    letter = actions.do_save_reply_draft(proposal, acting_user=handler, body=body, signer="周海东",
                                         contact_name=handler.display_name, contact_phone="63811234",
                                         class_mark="B" if demo.stage == "issued" else "")
    if demo.stage == "issued":
        actions.do_issue_reply(letter, acting_user=handler)


@transaction.atomic
def create_demo_proposals(today: dt.date | None = None) -> list[Proposal]:
    """Register the demo proposals that do not exist yet and take each to its demo step."""
    today = today or timezone.localdate()
    registrar = _persona("chuangkou", "孙丽娟", Role.Code.WINDOW_STAFF, "platform")
    handler = _persona("jingxin", "钱建英", Role.Code.DEPARTMENT_HANDLER, "dept_jxj")
    created = []
    for demo in DEMO_PROPOSALS:
        if Proposal.objects.filter(kind=demo.kind, session=demo.session, number=demo.number).exists():
            continue
        proposal = actions.do_register_proposal(
            acting_user=registrar, kind=demo.kind, session=demo.session, number=demo.number, title=demo.title,
            proposer=demo.proposer, co_proposers=demo.co_proposers, text=demo.text,
            received_on=today - dt.timedelta(days=demo.days_ago),
        )
        _handle(proposal, demo, registrar, handler)
        if demo.stage in ("issued", "drafted"):
            _reply(proposal, demo, handler)
        created.append(proposal)
    return created
