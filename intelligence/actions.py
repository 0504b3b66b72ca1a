"""All writes of the intelligence app: recording corrections and training a new model version."""

from __future__ import annotations

import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from . import classifier, training
from .models import ClassifierModel, Correction


def keep_versions() -> int:
    """Model files kept on disk: the live one and a few before it, to go back to."""
    return int(getattr(settings, "QIFU_CLASSIFIER_KEEP_VERSIONS", 3))


def do_record_correction(demand, field: str, suggested: str, chosen: str, *, acting_user) -> Correction | None:
    """Remember that staff chose ``chosen`` where the classifier suggested ``suggested``.

    Nothing is recorded when they agree; the next training run weighs the correction
    (see ``training.CORRECTION_WEIGHT``).
    """
    if field not in Correction.Field.values:
        raise ValueError(f"unknown field {field!r}")
    if suggested == chosen:
        return None
    return Correction.objects.create(demand=demand, field=field, suggested=suggested or "", chosen=chosen,
                                     user=acting_user)


def do_train_model(examples: list[classifier.Example] | None = None) -> ClassifierModel:
    """Fit a new version on every example (seed corpus, closed demands, corrections) and make it live.

    The files of versions older than the last ``keep_versions()`` are deleted once it is committed
    (their rows stay, with their metrics, as the history of training runs).
    """
    examples = training.all_examples() if examples is None else examples
    started = time.perf_counter()
    fitted = classifier.fit(examples)
    seconds = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        version = (ClassifierModel.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
        path, digest = classifier.save(fitted, version)
        metrics = {"train_seconds": seconds,
                   "categories": dict(Counter(e.category for e in examples if e.category)),
                   "corrections": sum(1 for e in examples if e.weight > 1)}
        model = ClassifierModel.objects.create(version=version, n_examples=len(examples), metrics=metrics,
                                               path=path, sha256=digest)
        kept = set(ClassifierModel.objects.order_by("-version").values_list("version", flat=True)[:keep_versions()])
        transaction.on_commit(lambda: classifier.prune(kept))
        return model


def ensure_model() -> ClassifierModel:
    """The live model, training one from the available examples when none exists yet."""
    live = ClassifierModel.objects.first()
    if live is not None and classifier.load_live() is not None:
        return live
    return do_train_model()
