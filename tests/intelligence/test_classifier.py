"""Suggesting a category and department: keyword fallback, trained model, staff corrections."""

from __future__ import annotations

import pytest

from intelligence import actions, classifier
from intelligence.models import ClassifierModel, Correction
from intelligence.tasks import retrain_classifier

pytestmark = pytest.mark.django_db

# A demand no seed line is about, so only the correction can teach its answer.
ODD_TEXT = "厂里养的看门狗咬伤了来送货的司机，对方要求赔偿医药费和误工费"


def test_fallback_suggests_from_keywords_when_no_model_exists():
    suggestion = classifier.suggest("周巷工业区今天又停电了，注塑机全停了")

    assert ClassifierModel.objects.count() == 0
    assert suggestion.version is None
    assert suggestion.category == "utilities"
    assert suggestion.department == "power"
    assert suggestion.confidence <= 0.5


def test_fallback_uses_a_department_word_over_the_category_default():
    suggestion = classifier.keyword_suggest("工业路自来水管爆了，厂里停水两天")

    assert suggestion.category == "utilities"
    assert suggestion.department == "water"


def test_fallback_answers_other_for_a_text_without_keywords():
    assert classifier.keyword_suggest("你好").category == "other"


def test_trained_model_suggests_top_three_with_probabilities():
    model = actions.do_train_model()

    suggestion = classifier.suggest("出口退税申报一个多月了还没退下来，资金周转困难")

    assert suggestion.version == model.version
    assert suggestion.category == "tax"
    assert len(suggestion.categories) == 3 and len(suggestion.departments) == 3
    assert all(0 <= p <= 1 for _, p in suggestion.categories + suggestion.departments)
    assert suggestion.categories[0][1] >= suggestion.categories[1][1]


def test_a_correction_changes_the_next_model_prediction(submit, platform_clerk):
    actions.do_train_model()
    before = classifier.suggest(ODD_TEXT)
    chosen = "legal" if before.category != "legal" else "surroundings"
    demand = submit(ODD_TEXT)

    actions.do_record_correction(demand, "category", before.category, chosen, acting_user=platform_clerk)
    model = actions.do_train_model()

    after = classifier.suggest(ODD_TEXT)
    assert after.version == model.version == 2
    assert after.category == chosen
    assert model.metrics["corrections"] == 1


def test_agreeing_with_the_suggestion_records_no_correction(submit, platform_clerk):
    demand = submit("想申请高新技术企业认定")

    assert actions.do_record_correction(demand, "category", "innovation", "innovation",
                                        acting_user=platform_clerk) is None
    assert Correction.objects.count() == 0


def test_retrain_job_makes_a_new_live_version(model_dir):
    version = retrain_classifier.call()

    live = ClassifierModel.objects.get()
    assert live.version == version == 1
    assert live.n_examples >= 960
    assert (model_dir / f"classifier-v{version}.joblib").exists()


def test_a_tampered_model_file_is_refused(model_dir):
    actions.do_train_model()
    classifier._cache.clear()
    path = model_dir / "classifier-v1.joblib"
    path.write_bytes(path.read_bytes() + b"x")

    with pytest.raises(ValueError, match="checksum"):
        classifier.suggest("停电了")


def test_old_model_files_are_deleted_beyond_the_last_versions(settings, model_dir,
                                                              django_capture_on_commit_callbacks):
    settings.QIFU_CLASSIFIER_KEEP_VERSIONS = 2
    examples = classifier.read_corpus()[::8]  # a small corpus: four quick trainings

    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            live = actions.do_train_model(examples)

    assert sorted(p.name for p in model_dir.glob("*.joblib")) == ["classifier-v3.joblib", "classifier-v4.joblib"]
    assert ClassifierModel.objects.count() == 4  # the history of runs stays
    assert classifier.load_live()[1] == live.version == 4


def test_the_unseen_evaluation_set_stays_out_of_the_training_corpus():
    corpus = {e.text for e in classifier.read_corpus()}
    heldout = classifier.read_corpus(classifier.DATA_DIR / "heldout.jsonl")

    assert len(heldout) >= 300
    assert not corpus & {e.text for e in heldout}
    assert {e.category for e in heldout} == {e.category for e in classifier.read_corpus()}


def test_the_single_text_path_gives_the_vectorizer_row_for_every_corpus_line():
    examples = classifier.read_corpus()[::7]
    fitted = classifier.fit(examples)
    texts = [e.text for e in examples] + ["", "。。", "应急局说消防通道要清出来"]

    expected = fitted.vectorizer.transform(texts)
    for row, text in enumerate(texts):
        got = fitted.one_text.transform(text)
        assert got.shape == (1, expected.shape[1])
        assert abs(got - expected[row]).max() < 1e-12, text


def test_a_saved_model_reloads_with_its_single_text_path(model_dir):
    fitted = classifier.fit(classifier.read_corpus()[::5])
    before = fitted.suggest("周巷工业区今天又停电了，注塑机全停了")
    path, _ = classifier.save(fitted, 1)

    reloaded = classifier.joblib.load(model_dir.parent / path)

    assert "one_text" not in reloaded.__dict__
    assert reloaded.suggest("周巷工业区今天又停电了，注塑机全停了") == before
