"""Schemes are versioned; a past round replays to the same results with its own version."""

from __future__ import annotations

import copy

from enterprises.models import YearFigures
from evaluation import actions
from evaluation.models import Result
from evaluation.storing import replay

from .conftest import DEFINITION, WAN, YEAR


def _stored(round_) -> dict:
    return {r.enterprise_id: (str(r.score), r.klass, r.rank, r.calculation)
            for r in Result.objects.filter(round=round_)}


def test_a_changed_scheme_is_a_new_version_and_the_old_round_replays_identically(round_, scheme, evaluation_admin,
                                                                               firms):
    # Given the 2025 round under version 1
    before = _stored(round_)

    # When the scheme is changed (R&D weighs 60 instead of 40) and the registry corrects E1's tax
    changed = copy.deepcopy(DEFINITION)
    changed["groups"][0]["indicators"][1]["weight"] = 60
    v2 = actions.do_create_scheme(acting_user=evaluation_admin, year=YEAR, name="2025 revised", definition=changed)
    YearFigures.objects.filter(enterprise=firms["E1"], year=YEAR).update(tax_paid_fen=150 * WAN)
    second = actions.do_start_round(v2, acting_user=evaluation_admin)

    # Then version 2 is a new number with different results, and version 1 is unchanged
    assert (scheme.version, v2.version) == (1, 2)
    scheme.refresh_from_db()
    assert scheme.definition == DEFINITION
    e1_v2 = Result.objects.get(round=second, enterprise=firms["E1"])
    assert str(e1_v2.score) == "90.00"  # 15万/亩 → 30, 3% → 60
    # And replaying round 1 from its stored facts with version 1 gives exactly what was stored
    replayed = {row["enterprise_id"]: (f"{row['score']:.2f}", row["klass"], row["rank"])
                for row in replay(round_).iter_rows(named=True)}
    assert replayed == {e: (s, k, r) for e, (s, k, r, _calc) in before.items()}
    assert _stored(round_) == before


def test_evaluating_the_same_figures_twice_gives_identical_results(round_, scheme, evaluation_admin):
    again = actions.do_start_round(scheme, acting_user=evaluation_admin)
    first, second = _stored(round_), _stored(again)
    assert first == second and len(first) == 9


def test_the_admin_refuses_a_scheme_that_does_not_read_and_numbers_a_new_one(client, scheme, superuser, in_english):
    import json

    from evaluation.models import Scheme

    client.force_login(superuser)
    bad = copy.deepcopy(DEFINITION)
    del bad["groups"][0]["indicators"][0]["missing"]
    url = "/admin/evaluation/scheme/add/"
    refused = client.post(url, {"year": YEAR, "name": "bad", "definition": json.dumps(bad)})
    assert refused.status_code == 200 and "missing data" in refused.content.decode()
    client.post(url, {"year": YEAR, "name": "2025 v2", "definition": json.dumps(DEFINITION)})
    assert list(Scheme.objects.filter(year=YEAR).values_list("version", flat=True).order_by("version")) == [1, 2]
