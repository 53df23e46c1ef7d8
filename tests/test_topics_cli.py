"""``newsdesk train``, ``evaluate`` and ``models`` via CliRunner on self-written data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.commands.topics import COMMANDS, evaluate_command, models_group, train_command

SAMPLES = Path(__file__).parent.parent / "fixtures" / "classify" / "samples.jsonl"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "mini"
    result = CliRunner().invoke(
        train_command, ["--data", str(SAMPLES), "--out", str(out), "--test-size", "0.2"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_train_prints_held_out_metrics_and_unmapped_labels(trained: Path):
    card = json.loads((trained / "card.json").read_text(encoding="utf-8"))
    assert card["model_id"].startswith("mini-")
    assert card["metrics"]["held_out"]["classify/samples"]["n"] == 60
    assert card["metrics"]["unmapped"] == {"公告": 4}
    assert card["command"].startswith("newsdesk train --data ")


def test_train_output(tmp_path: Path):
    result = CliRunner().invoke(
        train_command,
        ["--data", str(SAMPLES), "--out", str(tmp_path / "m"), "--seed", "7", "--name", "x"],
    )
    assert result.exit_code == 0, result.output
    assert "left out 4 rows with unmapped labels: 公告 (4)" in result.output
    assert "classify/samples" in result.output and "accuracy" in result.output


def test_train_is_seeded(trained: Path, tmp_path: Path):
    args = ["--data", str(SAMPLES), "--out", str(tmp_path / "again"), "--test-size", "0.2"]
    assert CliRunner().invoke(train_command, args).exit_code == 0
    first = json.loads((trained / "card.json").read_text(encoding="utf-8"))
    again = json.loads((tmp_path / "again" / "card.json").read_text(encoding="utf-8"))
    assert again["training_data"] == first["training_data"]
    assert again["metrics"]["held_out"] == first["metrics"]["held_out"]


def test_train_needs_data(tmp_path: Path):
    result = CliRunner().invoke(train_command, ["--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "--data" in result.output


def test_train_reports_files_without_known_labels(tmp_path: Path):
    data = tmp_path / "odd.jsonl"
    data.write_text('{"text": "x", "label": "weather"}\n' * 3, encoding="utf-8")
    result = CliRunner().invoke(train_command, ["--data", str(data), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "no training rows with a known topic label" in result.output


def test_evaluate_json(trained: Path):
    result = CliRunner().invoke(
        evaluate_command, ["--data", str(SAMPLES), "--model", str(trained), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 300 and report["n_unmapped"] == 4
    assert report["accuracy"] >= 0.9 and 0.0 < report["macro_f1"] <= 1.0
    assert set(report["per_class"]["sports"]) == {"precision", "recall", "f1", "support"}


def test_evaluate_table_and_plot(trained: Path, tmp_path: Path):
    png = tmp_path / "confusion.png"
    result = CliRunner().invoke(
        evaluate_command, ["--data", str(SAMPLES), "--model", str(trained), "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert "macro-F1=" in result.output and "unmapped labels: 公告 (4)" in result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_with_a_broken_model_is_a_clear_error(tmp_path: Path):
    (tmp_path / "broken").mkdir()
    result = CliRunner().invoke(
        evaluate_command, ["--data", str(SAMPLES), "--model", str(tmp_path / "broken")]
    )
    assert result.exit_code == 1
    assert "model.json is missing" in result.output
    assert "Traceback" not in result.output


def test_models_add_list_activate(trained: Path, tmp_path: Path):
    registry = ["--models-dir", str(tmp_path / "registry")]
    runner = CliRunner()
    assert "no models" in runner.invoke(models_group, ["list", *registry]).output
    added = runner.invoke(models_group, ["add", str(trained), *registry])
    assert added.exit_code == 0, added.output
    model_id = json.loads((trained / "card.json").read_text(encoding="utf-8"))["model_id"]
    activated = runner.invoke(models_group, ["activate", model_id, *registry])
    assert activated.exit_code == 0, activated.output
    listing = runner.invoke(models_group, ["list", *registry]).output
    assert f"* {model_id}" in listing
    missing = runner.invoke(models_group, ["activate", "nope", *registry])
    assert missing.exit_code == 1 and "no model 'nope'" in missing.output


def test_every_command_has_help():
    for command in COMMANDS:
        assert command.help and len(command.help.split()) >= 5
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def _labeled_db(path: Path) -> Path:
    """A real newsdesk database whose articles are the samples, each with a manual label."""
    from datetime import UTC, datetime

    from classifier import read_labeled
    from scraper import Article, Fetched
    from store import PageOutcome, Store

    samples = read_labeled(SAMPLES)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    outcomes, labels = [], []
    for i, (title, text, label) in enumerate(
        zip(samples.titles, samples.texts, samples.labels, strict=True)
    ):
        url = f"https://news.example.com/{i}.html"
        fetched = Fetched(
            url, url, 200, {"content-type": "text/html"}, b"<html></html>", "utf-8", when
        )
        article = Article(url, title or f"title {i}", text, canonical_url=url, paragraphs=(text,))
        outcomes.append(PageOutcome(url, 1, fetched, article))
        labels.append((url, label, "manual"))
    with Store(path) as store:
        store.start_crawl([], {})
        store.save_outcomes(outcomes)
        store.import_labels(labels)
    return path


def test_train_from_db(tmp_path: Path):
    from store import Store

    db = _labeled_db(tmp_path / "labeled.db")
    out = tmp_path / "from-db"
    result = CliRunner().invoke(
        train_command, ["--from-db", str(db), "--label-source", "manual", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    held = card["metrics"]["held_out"]["db:labeled.db"]
    with Store(db, readonly=True) as store:
        assert card["training_data"]["rows"] == len(store.labeled_articles("manual"))  # refit
    assert held["n"] >= 25 and held["accuracy"] >= 0.9


def test_train_refits_on_every_row_unless_told_not_to(trained: Path, tmp_path: Path):
    refit = json.loads((trained / "card.json").read_text(encoding="utf-8"))
    held_rows = refit["metrics"]["held_out"]["classify/samples"]["n"]
    args = ["--data", str(SAMPLES), "--out", str(tmp_path / "held"), "--test-size", "0.2"]
    result = CliRunner().invoke(train_command, [*args, "--no-refit"])
    assert result.exit_code == 0, result.output
    first = json.loads((tmp_path / "held" / "card.json").read_text(encoding="utf-8"))
    assert refit["refit_on_all_rows"] and "refit_on_all_rows" not in first
    assert refit["training_data"]["rows"] == first["training_data"]["rows"] + held_rows
    assert refit["temperature"] == first["temperature"]
    assert refit["metrics"] == first["metrics"]
    assert first["command"].endswith("--no-refit")
    assert "fitted again on every row" in (trained / "README.md").read_text(encoding="utf-8")


def _hand_labelled(path: Path) -> list[dict]:
    """Rows in the real_articles_dev shape: label, confidence, alt and lang; the sports rows
    are deliberately labelled tech with sports as the second choice."""
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    picked = [r for r in rows if r["label"] in ("体育", "Sports", "sport", "财经", "Business")]
    out = []
    for row in picked[:40]:
        sport = row["label"] in ("体育", "Sports", "sport")
        out.append(
            {
                "text": f"{row.get('title', '')}\n{row['text']}",
                "label": "tech" if sport else row["label"],
                "alt": "sports" if sport else None,
                "confidence": "low" if sport else "high",
                "lang": "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in row["text"]) else "en",
            }
        )
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), "utf-8")
    return out


def test_evaluate_reports_languages_strict_lenient_and_confident(trained: Path, tmp_path: Path):
    from classifier import load_model, normalize_label

    data = tmp_path / "hand.jsonl"
    rows = _hand_labelled(data)
    predicted = load_model(trained).predict(None, [r["text"] for r in rows])
    result = CliRunner().invoke(
        evaluate_command, ["--data", str(data), "--model", str(trained), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for lang in ("zh", "en"):
        mine = [(r, p) for r, p in zip(rows, predicted, strict=True) if r["lang"] == lang]
        strict = sum(p == normalize_label(r["label"]) for r, p in mine) / len(mine)
        lenient = sum(p in (normalize_label(r["label"]), r["alt"]) for r, p in mine) / len(mine)
        high = [(r, p) for r, p in mine if r["confidence"] == "high"]
        confident = sum(p == normalize_label(r["label"]) for r, p in high) / len(high)
        entry = report["by_language"][lang]
        assert entry["strict"]["accuracy"] == pytest.approx(strict, abs=1e-4)
        assert entry["lenient"]["accuracy"] == pytest.approx(lenient, abs=1e-4)
        assert entry["high_confidence"]["accuracy"] == pytest.approx(confident, abs=1e-4)
        assert entry["lenient"]["accuracy"] > entry["strict"]["accuracy"]
        assert entry["lenient"]["macro_f1"] > entry["strict"]["macro_f1"]
    table = CliRunner().invoke(evaluate_command, ["--data", str(data), "--model", str(trained)])
    assert "lenient accuracy=" in table.output
    assert "zh        lenient" in table.output and "en        strict" in table.output


def test_train_measures_eval_files_onto_the_card(tmp_path: Path):
    hand = tmp_path / "hand.jsonl"
    _hand_labelled(hand)
    out = tmp_path / "m"
    args = ["--data", str(SAMPLES), "--out", str(out), "--test-size", "0.2", "--eval", str(hand)]
    result = CliRunner().invoke(train_command, args)
    assert result.exit_code == 0, result.output
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    (name,) = card["evaluations"]
    assert set(card["evaluations"][name]["by_language"]) == {"zh", "en"}
    assert "--eval" in card["command"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "never trained on" in readme and "| zh |" in readme
