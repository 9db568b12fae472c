"""Learning from the curators: a classifier per tag field, trained on the library's own
curated documents, that adds suggestions with its confidence.

As Paperless-ngx learns its matching from the user's tagged documents, the library learns
from what its curators decided: the values of a field set by a curator (corrections and
accepted suggestions) or by a sidecar. Once a field has MIN_DOCUMENTS such documents and at
least two values with MIN_EXAMPLES each, a linear model (scikit-learn: TF-IDF of the title
and the start of the text, one-vs-rest logistic regression) is trained for it. Its
predictions at or above MIN_CONFIDENCE become suggestions, never tags: a curator accepts or
dismisses them like the rules' (`kb.curation.suggestions`), which is more to learn from.

The model is a file of the library (`model/tags.joblib`, written whole then renamed), part
of `kb backup`. It is rebuilt by `kb learn`, after `kb retag`, and in `kb serve` by a
background thread when the curators' decisions have grown (`ModelRefresh`); searches never
wait for it. The file is read with joblib (pickle): trusted as the catalog is, never taken
from a user.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indexer.extract.base import Section
from kb import audit
from kb.library import Library
from kb.tags import TagEvidence
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

MODEL_DIR = "model"
MODEL_FILE = "tags.joblib"
TRAINED_FIELDS = ("family", "territory", "mission", "kind", "instance")
DECIDING_ORIGINS = ("curator", "sidecar")  # what a person decided
MIN_DOCUMENTS = 20  # curated documents a field needs before a model is trained for it
MIN_EXAMPLES = 3  # documents a value needs to be learnt
MIN_CONFIDENCE = 0.6  # a prediction below is not offered
MAX_MODEL_SUGGESTIONS = 3  # a field's, for one document
TEXT_CHARS = 20_000  # of a document's text, after its title
REFRESH_EVERY = 300.0  # seconds between two checks of a server's model
REFRESH_AFTER = 10  # new decisions that make a server retrain


@dataclass(frozen=True)
class FieldModel:
    field: str
    labels: tuple[str, ...]
    documents: int
    classifier: Any  # a fitted OneVsRestClassifier


@dataclass(frozen=True)
class TagModel:
    vectorizer: Any  # a fitted TfidfVectorizer
    fields: dict[str, FieldModel]
    trained_at: str
    decisions: int  # the curators' decisions it was trained after (`decision_count`)

    def suggest(self, title: str, sections: Sequence[Section]) -> list[TagEvidence]:
        """What the model sees in the document, field by field, surest first."""
        if not self.fields:
            return []
        features = self.vectorizer.transform([document_text(title, sections)])
        found: list[TagEvidence] = []
        for field, model in self.fields.items():
            scores = model.classifier.predict_proba(features)[0]
            ranked = sorted(zip(model.labels, scores, strict=True), key=lambda p: -p[1])
            for value, score in ranked[:MAX_MODEL_SUGGESTIONS]:
                if score >= MIN_CONFIDENCE:
                    found.append(TagEvidence(field, value, f"model {score:.2f}", 0, (), ()))
        return found


def document_text(title: str, sections: Iterable[Section]) -> str:
    """What the model reads: the title (which says most, so given thrice) and the start of
    the text."""
    parts: list[str] = []
    size = 0
    for section in sections:
        parts.append(section.text)
        size += len(section.text)
        if size >= TEXT_CHARS:
            break
    return f"{title}\n{title}\n{title}\n" + "\n".join(parts)[:TEXT_CHARS]


def train(library: Library) -> TagModel | None:
    """A model of every field with enough curated documents, saved in the library; None
    (and the old model removed) when no field has enough yet."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    catalog = library.catalog
    decisions = decision_count(library)
    texts: list[str] = []
    values: dict[str, list[set[str]]] = {f: [] for f in TRAINED_FIELDS}
    for doc in catalog.documents():
        tags = catalog.tags(doc.id)
        decided = {f: {t.value for t in tags if t.field == f and t.origin in DECIDING_ORIGINS}
                   for f in TRAINED_FIELDS}  # fmt: skip
        if not any(decided.values()):
            continue
        title = next((t.value for t in tags if t.field == "title"), "")
        texts.append(document_text(title, catalog.sections(doc.id)))
        for field in TRAINED_FIELDS:
            values[field].append(decided[field])
    trainable = {f: v for f, v in values.items() if _enough(v)}
    path = model_path(library.root)
    if not trainable:
        path.unlink(missing_ok=True)
        return None
    vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True, sublinear_tf=True,
                                 min_df=2, max_features=50_000)  # fmt: skip
    features = vectorizer.fit_transform(texts)
    fields: dict[str, FieldModel] = {}
    for field, per_document in trainable.items():
        rows = [i for i, v in enumerate(per_document) if v]
        kept = _learnable_labels(per_document)
        binarizer = MultiLabelBinarizer(classes=sorted(kept))
        targets = binarizer.fit_transform([per_document[i] & kept for i in rows])
        classifier = OneVsRestClassifier(LogisticRegression(class_weight="balanced",
                                                            max_iter=1000))  # fmt: skip
        classifier.fit(features[rows], targets)
        fields[field] = FieldModel(field, tuple(binarizer.classes_), len(rows), classifier)
    model = TagModel(vectorizer, fields, datetime.now(UTC).isoformat(timespec="seconds"),
                     decisions)  # fmt: skip
    _save(model, path)
    log.info("tag model trained: %s", describe(model))
    return model


def load(root: Path) -> TagModel | None:
    """The library's model, or None when it has none (or an unreadable one, logged)."""
    import joblib

    path = model_path(root)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        model = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 (a damaged model costs its suggestions only)
        log.warning("%s: the tag model cannot be read (%s); `kb learn` rebuilds it", path, exc)
        return None
    if not isinstance(model, TagModel):
        return None
    _cache[str(path)] = (stamp, model)
    return model


def describe(model: TagModel) -> str:
    """'family: 3 values from 45 documents; kind: 5 values from 40 documents'."""
    return "; ".join(f"{m.field}: {len(m.labels)} values from {m.documents} documents"
                     for m in model.fields.values()) or "no field"  # fmt: skip


def decision_count(library: Library) -> int:
    """How many tag decisions the curators have made (audit entries of tag changes)."""
    return audit.count_tag_decisions(library.catalog)


def model_path(root: Path) -> Path:
    return Path(root) / MODEL_DIR / MODEL_FILE


class ModelRefresh:
    """A server's daemon thread that retrains the model when the curators' decisions have
    grown by REFRESH_AFTER since it was trained, checked every REFRESH_EVERY seconds, with
    a library of its own: searches never wait for it."""

    def __init__(self, root: Path, vocabulary: Vocabulary, *, every: float = REFRESH_EVERY):
        self._root = Path(root)
        self._vocabulary = vocabulary
        self._every = every
        self._stop = threading.Event()
        self.trained = threading.Event()  # set after each training
        self._thread = threading.Thread(target=self._run, name="tag-model", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                with Library.open(self._root, self._vocabulary, create=False) as library:
                    current = load(self._root)
                    done = current.decisions if current is not None else 0
                    if decision_count(library) - done >= REFRESH_AFTER:
                        train(library)
                        self.trained.set()
            except Exception:  # noqa: BLE001 (the server goes on without a fresh model)
                log.exception("the tag model could not be retrained")


_cache: dict[str, tuple[int, TagModel]] = {}


def _enough(per_document: list[set[str]]) -> bool:
    return sum(1 for v in per_document if v) >= MIN_DOCUMENTS and (
        len(_learnable_labels(per_document)) >= 2
    )


def _learnable_labels(per_document: list[set[str]]) -> set[str]:
    """Values given to MIN_EXAMPLES documents at least, and not to every one (a value
    that no document lacks teaches nothing)."""
    counts: dict[str, int] = {}
    for chosen in per_document:
        for value in chosen:
            counts[value] = counts.get(value, 0) + 1
    curated = sum(1 for chosen in per_document if chosen)
    return {v for v, n in counts.items() if MIN_EXAMPLES <= n < curated}


def _save(model: TagModel, path: Path) -> None:
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the model's folder, which a backup may be copying meanwhile.
    partial = path.parent.parent / f".{path.name}.{os.getpid()}"
    joblib.dump(model, partial)
    os.replace(partial, path)
    info = {"trained_at": model.trained_at, "decisions": model.decisions,
            "fields": {f: {"labels": list(m.labels), "documents": m.documents}
                       for f, m in model.fields.items()}}  # fmt: skip
    described = partial.with_suffix(".json")
    described.write_text(json.dumps(info, indent=2), encoding="utf-8")
    os.replace(described, path.with_suffix(".json"))
