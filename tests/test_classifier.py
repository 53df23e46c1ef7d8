"""The topic model on self-written labeled samples: fit, predict, save/load, refusals, aliases."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier import (
    UNKNOWN,
    LabeledData,
    Topic,
    TopicModel,
    load_model,
    normalize_label,
    read_labeled,
    taxonomy,
)
from classifier._features import TOKEN_CHARS, char_gram_counts, is_chinese, word_gram_counts
from classifier._heads import ABSENT
from newsdesk.errors import ModelError

SAMPLES = Path(__file__).parent.parent / "fixtures" / "classify" / "samples.jsonl"


@pytest.fixture(scope="module")
def samples() -> LabeledData:
    return read_labeled(SAMPLES)


@pytest.fixture(scope="module")
def split(samples: LabeledData) -> tuple[LabeledData, LabeledData]:
    train = [i for i in range(len(samples)) if i % 5]
    held = [i for i in range(len(samples)) if not i % 5]
    return samples.subset(train), samples.subset(held)


@pytest.fixture(scope="module")
def model(split: tuple[LabeledData, LabeledData]) -> TopicModel:
    train, _ = split
    return TopicModel(name="test", n_features=2**16).fit(train.titles, train.texts, train.labels)


def test_fit_returns_self_and_learns_canonical_topics(split: tuple[LabeledData, LabeledData]):
    train, _ = split
    estimator = TopicModel(name="test", n_features=2**16)
    assert estimator.fit(train.titles, train.texts, train.labels) is estimator
    assert set(estimator.classes_) == {
        "sports", "finance", "tech", "entertainment", "education", "society", "world",
    }  # fmt: skip
    assert estimator.model_id.startswith("test-")


def test_held_out_samples_are_classified(model: TopicModel, split: tuple[LabeledData, LabeledData]):
    _, held = split
    predicted = model.predict(held.titles, held.texts)
    accuracy = np.mean([p == t for p, t in zip(predicted, held.labels, strict=True)])
    assert accuracy >= 0.9


def test_predict_topics_best_first_with_scores(model: TopicModel):
    (topics,) = model.predict_topics(
        ["主队点球大战胜出"], ["前锋禁区内冷静推射破门，门将扑出点球。"]
    )
    assert topics[0].label == "sports"
    assert all(isinstance(t, Topic) and 0.0 <= t.score <= 1.0 for t in topics)
    assert [t.score for t in topics] == sorted((t.score for t in topics), reverse=True)
    assert sum(model.predict_proba([""], ["x"])[0]) == pytest.approx(1.0, abs=1e-5)


def test_threshold_above_every_score_gives_unknown(model: TopicModel):
    titles, texts = ["Shares fell"], ["The central bank left interest rates unchanged."]
    (normal,) = model.predict_topics(titles, texts, threshold=0.0)
    english = {c for c, b in zip(model.classes_, model.intercept_[0], strict=True) if b > ABSENT}
    assert len(normal) >= 2
    assert {t.label for t in normal} <= english < set(model.classes_)  # society is Chinese only
    (strict,) = model.predict_topics(titles, texts, threshold=1.01)
    assert strict == (Topic(UNKNOWN, normal[0].score),)


def test_titles_may_be_missing(model: TopicModel):
    assert model.predict(None, ["民警帮助走失老人找到家人，社区志愿者送去年夜饭。"]) == ["society"]


def test_mismatched_lengths_are_refused(model: TopicModel):
    with pytest.raises(ModelError, match="one of each"):
        model.predict(["a", "b"], ["only one text"])


def test_unfitted_model_says_call_fit():
    with pytest.raises(ModelError, match="not fitted yet; call fit"):
        TopicModel().predict_topics(["t"], ["x"])
    with pytest.raises(ModelError, match="not fitted yet; call fit"):
        _ = TopicModel().model_id


def test_init_only_stores_parameters():
    estimator = TopicModel(C=2.0, threshold=0.5)
    assert estimator.get_params()["C"] == 2.0
    assert not [name for name in vars(estimator) if name.endswith("_")]
    with pytest.raises(ModelError, match="unknown parameter"):
        estimator.set_params(nonsense=1)


def test_one_topic_is_not_enough():
    with pytest.raises(ModelError, match="at least two topics"):
        TopicModel().fit(None, ["a", "b"], ["sports", "sports"])


def test_save_load_round_trip_predicts_identically(
    model: TopicModel, samples: LabeledData, tmp_path: Path
):
    model.save(tmp_path / "m")
    loaded = TopicModel.load(tmp_path / "m")
    assert loaded.model_id == model.model_id
    assert loaded.card == model.card
    before = model.predict_topics(samples.titles, samples.texts)
    assert loaded.predict_topics(samples.titles, samples.texts) == before
    np.testing.assert_array_equal(
        loaded.decision_function(samples.titles, samples.texts),
        model.decision_function(samples.titles, samples.texts),
    )
    assert load_model(tmp_path / "m").model_id == model.model_id


def test_saved_files_are_plain_arrays_and_json(model: TopicModel, tmp_path: Path):
    path = model.save(tmp_path / "m")
    assert sorted(p.name for p in path.iterdir()) == [
        "README.md", "arrays.npz", "card.json", "model.json",
    ]  # fmt: skip
    with np.load(path / "arrays.npz", allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)
    card = json.loads((path / "card.json").read_text(encoding="utf-8"))
    assert {"model_id", "labels", "training_data", "versions", "created", "metrics"} <= set(card)
    assert len(card["training_data"]["sha256"]) == 64
    assert sum(f.stat().st_size for f in path.iterdir()) < 10 * 1024 * 1024


def test_tampered_arrays_are_refused(model: TopicModel, tmp_path: Path):
    path = model.save(tmp_path / "m")
    data = bytearray((path / "arrays.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (path / "arrays.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="digest"):
        TopicModel.load(path)


def test_pickled_arrays_are_refused_even_with_a_matching_digest(model: TopicModel, tmp_path: Path):
    path = model.save(tmp_path / "m")
    np.savez(path / "arrays.npz", feature_index=np.array([object()], dtype=object))
    header = json.loads((path / "model.json").read_text(encoding="utf-8"))
    import hashlib

    header["arrays_sha256"] = hashlib.sha256((path / "arrays.npz").read_bytes()).hexdigest()
    (path / "model.json").write_text(json.dumps(header), encoding="utf-8")
    with pytest.raises(ModelError, match="plain numpy archive"):
        TopicModel.load(path)


@pytest.mark.parametrize(
    "header",
    [
        {"format": "skops", "version": 1},
        {"format": "newsdesk-topic-model", "version": 99},
        {"format": "newsdesk-topic-model", "version": 2},
        {"format": "newsdesk-topic-model", "version": 3},
    ],
    ids=["unknown-format", "future-version", "v2-glued-chinese-words", "v3-sklearn-word-hash"],
)
def test_unknown_formats_are_refused(model: TopicModel, tmp_path: Path, header: dict):
    path = model.save(tmp_path / "m")
    stored = json.loads((path / "model.json").read_text(encoding="utf-8"))
    (path / "model.json").write_text(json.dumps({**stored, **header}), encoding="utf-8")
    with pytest.raises(ModelError, match=r"is not a newsdesk-topic-model v4 model.*retrain"):
        TopicModel.load(path)


def test_hashing_once_for_several_fits_gives_the_same_model(samples: LabeledData):
    keep = [i for i in range(len(samples)) if i % 3]
    part = samples.subset(keep)
    params = {"name": "test", "n_features": 2**16}
    direct = TopicModel(**params).fit(part.titles, part.texts, part.labels)
    reuse = TopicModel(**params)
    rows = reuse.training_rows(samples.titles, samples.texts, samples.labels)
    reuse.fit_rows(rows, keep)
    assert reuse.card["training_data"] == direct.card["training_data"]
    np.testing.assert_array_equal(reuse.idf_, direct.idf_)
    # the same rows in the same order; float sums may differ in the last bit
    assert np.abs(reuse.coef_q_.astype(int) - direct.coef_q_).max() <= 1
    assert reuse.predict(part.titles, part.texts) == direct.predict(part.titles, part.texts)


def test_missing_or_garbled_model_is_refused(tmp_path: Path):
    with pytest.raises(ModelError, match="does not exist"):
        TopicModel.load(tmp_path / "nowhere")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not readable JSON"):
        TopicModel.load(tmp_path / "bad")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("体育", "sports"), ("news_sports", "sports"), ("sport", "sports"), ("Sports", "sports"),
     ("Sci/Tech", "tech"), ("business", "finance"), ("科技", "tech"), ("news_story", "society"),
     ("  World ", "world"), ("realestate", "realestate"), ("公告", None), (None, None),
     ("电竞", "games"), ("STYLE & BEAUTY", "fashion"), ("HOME & LIVING", "home"),
     ("healthy living", "health"), ("CRIME", "society"), ("sports/football_nfl", "sports"),
     ("nyt:world/asia", "world"), ("nyt:arts/music", "entertainment"), ("news/newsus", None),
     ("lifestyle/lifestylebuzz", None), ("nyt:opinion/sunday", None), ("baby", None)],
)  # fmt: skip
def test_alias_table(raw: str | None, expected: str | None):
    assert normalize_label(raw) == expected


def test_taxonomy_covers_the_required_topics():
    required = {"politics": "时政", "society": "社会", "world": "国际", "military": "军事",
                "finance": "财经", "stocks": "股票", "realestate": "房产", "tech": "科技",
                "auto": "汽车", "sports": "体育", "entertainment": "娱乐", "games": "游戏",
                "education": "教育", "travel": "旅游", "culture": "文化", "agriculture": "农业",
                "health": "健康", "home": "家居", "fashion": "时尚"}  # fmt: skip
    assert {t: taxonomy.zh_name(t) for t in required} == required
    assert set(taxonomy.topic_ids()) == set(required)


def test_unmapped_labels_are_counted_and_left_out(samples: LabeledData):
    assert samples.unmapped == {"公告": 4}
    assert samples.n_unmapped == 4
    assert len(samples) == 300
    assert "公告" not in samples.labels


def test_csv_files_load_like_jsonl(tmp_path: Path):
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "text", "label"])
        writer.writeheader()
        writer.writerow({"title": "t", "text": "body", "label": "news_car"})
        writer.writerow({"title": "", "text": "body", "label": "weather"})
    data = read_labeled(path)
    assert data.labels == ["auto"]
    assert data.unmapped == {"weather": 1}


def test_rows_without_text_are_refused(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"label": "sports"}\n', encoding="utf-8")
    with pytest.raises(ModelError, match="needs 'text' and 'label'"):
        read_labeled(path)


def test_language_is_decided_by_script():
    assert is_chinese("中国队在决赛中夺冠 NBA")
    assert not is_chinese("The striker scored twice, 中国")
    assert not is_chinese("")


def _gram_bucket(codes: list[int], bits: int) -> int:
    """The bucket of one n-gram of unit codes (characters or words), written out with Python
    integers (mod 2**64)."""
    mask, gram = 2**64 - 1, 0
    for n, code in enumerate(codes, 1):
        gram = ((gram * 1_000_003) + code + n) & mask if n > 1 else code + 1
    return ((gram * 0x9E3779B97F4A7C15) & mask) >> (64 - bits)


def _char_bucket(gram: str, bits: int) -> int:
    return _gram_bucket([ord(char) for char in gram], bits)


@given(st.lists(st.text(alphabet="中国汽车赛 \t\nab9", max_size=12), min_size=1, max_size=5))
def test_vectorized_char_grams_count_what_a_loop_over_grams_counts(docs: list[str]) -> None:
    bits = 10
    got = char_gram_counts(docs, 1, 3, 2**bits).toarray()
    expected = np.zeros_like(got)
    for row, doc in enumerate(docs):
        text = " ".join(doc.lower().split()).translate(str.maketrans("9", "0"))
        for n in range(1, 4):
            for start in range(len(text) - n + 1):
                expected[row, _char_bucket(text[start : start + n], bits)] += 1
    np.testing.assert_array_equal(got, expected)


def _word_code(word: str) -> int:
    """A word's code, written out with Python integers (mod 2**64)."""
    code = 0
    for char in word[:TOKEN_CHARS]:
        code = (code * 1_000_003 + ord(char)) & (2**64 - 1)
    return code


@given(
    st.lists(
        st.lists(st.sampled_from(["The", "cat", "a", "9lives", "x" * 30, "été", ",", "\n"])).map(
            " ".join
        ),
        min_size=1,
        max_size=4,
    )
)
def test_vectorized_word_grams_count_what_a_loop_over_words_counts(docs: list[str]) -> None:
    bits = 10
    got = word_gram_counts(docs, 1, 2, 2**bits).toarray()
    expected = np.zeros_like(got)
    for row, doc in enumerate(docs):
        words = re.findall(r"(?u)\b\w\w+\b", doc.lower().translate(str.maketrans("9", "0")))
        codes = [_word_code(w) for w in words]
        for n in (1, 2):
            for start in range(len(codes) - n + 1):
                expected[row, _gram_bucket(codes[start : start + n], bits)] += 1
    np.testing.assert_array_equal(got, expected)


def test_word_segmented_chinese_keeps_its_word_boundaries() -> None:
    bits = 16
    counts = char_gram_counts(["汽车 比赛", "汽车比赛"], 2, 2, 2**bits).toarray()
    glued = _char_bucket("车比", bits)
    assert counts[0, glued] == 0 and counts[1, glued] == 1
    assert counts[0, _char_bucket("车 ", bits)] == 1


def test_an_article_without_known_text_is_unknown(model: TopicModel):
    assert model.predict_topics(["", None], ["", "@@@ ###"], threshold=0.0) == [
        (Topic(UNKNOWN, 0.0),),
        (Topic(UNKNOWN, 0.0),),
    ]


@pytest.mark.parametrize("block_nnz", [1, 7, 2**17], ids=["one-feature", "small", "default"])
def test_margins_in_blocks_equal_the_full_weight_product(
    model: TopicModel, samples: LabeledData, block_nnz: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("classifier._model.PRODUCT_NNZ", block_nnz)
    titles, texts = ["", *samples.titles[:20]], ["@@@", *samples.texts[:20]]
    title, body, chinese = model.featurizer.raw(titles, texts)
    X = model.featurizer.mix(title, body, model.idf_)
    weights = np.zeros((model.n_features, len(model.classes_)), dtype=np.float64)
    weights[model.feature_index_] = model.coef_q_.T * model.coef_scale_.astype(np.float64)
    expected = X.astype(np.float64) @ weights + model.intercept_[chinese.astype(int)]
    np.testing.assert_allclose(model.decision_function(titles, texts), expected, atol=1e-5)


def test_listing_models_and_reading_labels_load_no_scikit_learn(tmp_path: Path) -> None:
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
        "import classifier; from classifier._registry import list_models; "
        "list_models(Path(sys.argv[2])); classifier.normalize_label('体育'); "
        "print(' '.join(m for m in ('sklearn', 'scipy', 'classifier._model') if m in sys.modules))"
    )
    root = str(Path(__file__).resolve().parents[1])
    loaded = subprocess.run(
        [sys.executable, "-P", "-c", probe, root, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert loaded == []


def test_a_corpus_label_may_mean_more_than_one_topic():
    assert taxonomy.also_means("thucnews_titles_zh", "politics") == ("world", "military")
    assert taxonomy.also_means("ag_news_en", "world")[0] == "politics"
    assert taxonomy.also_means("my_own_corpus", "politics") == ()
    data = LabeledData()
    data.add("", "x", "时政", source="thucnews_titles_zh/train")
    data.add("", "y", "时政", source="elsewhere/rows")
    assert data.also == [("world", "military"), ()]


FOREIGN = [
    "The French president called a snap election in Paris after his party lost in Europe.",
    "German voters in Berlin elect a new chancellor as the coalition in Germany collapses.",
    "Japan's prime minister in Tokyo faces a vote after the ruling party in Japan split.",
]
SPORT = ["The striker scored twice as the club won the cup final.",
         "The tennis champion won the open in straight sets.",
         "The team won the league title after a late goal."]  # fmt: skip


def test_a_row_is_not_taught_against_the_topics_its_label_may_mean():
    """Foreign elections labelled politics by one corpus (whose politics may mean world) and
    world by another: with the label sets, the politics rows no longer push world down."""
    texts = FOREIGN * 4 + FOREIGN[::-1] * 4 + SPORT * 4
    labels = ["politics"] * 12 + ["world"] * 12 + ["sports"] * 12
    params = {"name": "test", "n_features": 2**14, "min_df": 1, "class_weight": None}
    plain = TopicModel(**params).fit(None, texts, labels)
    sets = TopicModel(**params).fit(None, texts, labels, [("world",)] * 12 + [()] * 24)
    probe = ["A snap election in France after the president's party lost."]
    world = list(plain.classes_).index("world")
    before = plain.decision_function(None, probe)[0, world]
    assert sets.decision_function(None, probe)[0, world] > before
    assert sets.predict(None, probe) == ["world"]


def test_lenient_scores_accept_the_second_choice_and_languages_come_from_script():
    from classifier._metrics import by_language, lenient_truth

    assert lenient_truth(["a", "b", "c"], ["a", "c", "a"], [None, "c", "b"]) == ["a", "c", "c"]
    data = LabeledData()
    for text, label, alt in [("The team won the final.", "tech", "sports"),
                             ("主队在决赛中夺冠。", "sports", None),
                             ("主队点球大战胜出。", "sports", None)]:  # fmt: skip
        data.add("", text, label, alt=alt)
    report = by_language(data, ["sports", "sports", "tech"])
    assert report["en"]["strict"]["accuracy"] == 0.0
    assert report["en"]["lenient"]["accuracy"] == 1.0
    assert report["zh"]["strict"] == {
        "n": 2,
        "accuracy": 0.5,
        "macro_f1": pytest.approx(2 / 3, abs=1e-4),
    }
    assert "lenient" not in report["zh"] and "high_confidence" not in report["zh"]
