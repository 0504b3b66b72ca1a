from __future__ import annotations

from demands.models import Status
from proposals.demo import create_demo_proposals
from proposals.models import LetterStatus, Proposal


def test_the_demo_registers_three_proposals_with_one_issued_reply(reference):
    created = create_demo_proposals()

    assert len(created) == 3
    statuses = {p.number: (p.demand.status, getattr(p, "reply_letter", None)) for p in Proposal.objects.all()}
    status, letter = statuses[36]
    assert status == Status.ANSWERED and letter.status == LetterStatus.ISSUED
    assert letter.cc.startswith("市人大代表工委，市政府办公室，")
    assert "市金融发展服务中心" in letter.cc and "市自然资源和规划局" in letter.cc
    status, letter = statuses[118]
    assert status == Status.IN_PROGRESS and letter.status == LetterStatus.DRAFT
    assert statuses[74] == (Status.ROUTED, None)
    assert create_demo_proposals() == []
