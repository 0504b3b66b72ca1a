"""The classify_demands and cluster_demands commands on small JSON-lines files."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from intelligence.models import ClassifierModel

pytestmark = pytest.mark.django_db


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_classify_demands_trains_a_model_first_and_adds_the_suggestion(write_jsonl, tmp_path):
    source = write_jsonl("in.jsonl", [
        json.dumps({"id": 1, "text": "流动资金贷款下个月到期，想申请转贷资金"}, ensure_ascii=False),
        json.dumps({"id": 2, "text": "厂区周边夜里经常有人偷电缆，希望派出所加强巡逻"}, ensure_ascii=False),
    ])
    target = tmp_path / "out.jsonl"

    call_command("classify_demands", input=str(source), output=str(target))

    rows = read(target)
    assert ClassifierModel.objects.count() == 1
    assert [r["id"] for r in rows] == [1, 2]
    assert rows[0]["category"] == "finance" and rows[0]["department"] == "jrzx"
    assert rows[1]["department"] == "gaj"
    assert all(0 < r["confidence"] <= 1 for r in rows)


def test_cluster_demands_marks_the_same_problem_and_leaves_singletons_null(write_jsonl, tmp_path):
    source = write_jsonl("in.jsonl", [
        json.dumps({"id": "a", "text": "龙山镇西门外那座桥限重以后，货车过不去"}, ensure_ascii=False),
        json.dumps({"id": "b", "text": "龙山西门外的桥不让货车走了，进钢材要绕一大圈"}, ensure_ascii=False),
        json.dumps({"id": "c", "text": "想了解知识产权质押融资怎么做"}, ensure_ascii=False),
    ])
    target = tmp_path / "out.jsonl"

    call_command("cluster_demands", input=str(source), output=str(target))

    clusters = {r["id"]: r["cluster"] for r in read(target)}
    assert clusters == {"a": "a", "b": "a", "c": None}


@pytest.mark.parametrize(("bad_line", "message"), [
    ("{not json", "Line 2 is not valid JSON"),
    ('{"id": "x"}', 'Line 2 has no "text"'),
    ('{"text": "停电了"}', 'Line 2 has no "id"'),
    ('{"id": "a", "text": "又停电了"}', "Line 2: duplicate id a"),
])
@pytest.mark.parametrize("command", ["classify_demands", "cluster_demands"])
def test_a_bad_input_line_is_reported_with_its_number(write_jsonl, tmp_path, command, bad_line, message):
    source = write_jsonl("in.jsonl", ['{"id": "a", "text": "停电了"}', bad_line])

    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command(command, input=str(source), output=str(tmp_path / "out.jsonl"))

    assert ClassifierModel.objects.count() == 0


def test_train_classifier_if_missing_trains_once():
    call_command("train_classifier", "--if-missing")
    call_command("train_classifier", "--if-missing")
    assert ClassifierModel.objects.count() == 1
    call_command("train_classifier")
    assert list(ClassifierModel.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
