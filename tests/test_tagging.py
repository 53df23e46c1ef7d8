"""Re-tagging stored articles and deriving labels from sections, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier import load_model
from newsdesk.cli import cli
from newsdesk.labels import derive_label
from newsdesk.tagging import retag
from scraper import Article, Fetched
from store import PageOutcome, Store

STORIES = {
    "https://sports.example.com/2024/05/02/final.html": (
        ("体育新闻首页", "足球"),
        "联赛决赛落幕 主队点球大战夺冠",
        "昨晚的足球联赛决赛中，主队与客队鏖战一百二十分钟战成一比一平，"
        "最终在点球大战中以五比四胜出，夺得本赛季冠军。主教练赛后表示球员们展现了顽强的斗志。",
    ),
    "https://www.example.com/money/2024/05/02/rates.html": (
        ("首页", "财经"),
        "央行下调存款准备金率 释放长期资金",
        "中国人民银行宣布下调金融机构存款准备金率零点五个百分点，预计释放长期资金约一万亿元，"
        "分析人士认为此举有助于降低银行资金成本，支持实体经济融资，股市和债市应声走强。",
    ),
    "https://www.example.com/sport/2024/05/03/marathon.html": (
        (),
        "城市马拉松鸣枪开跑 三万名跑者参赛",
        "本届城市马拉松今晨鸣枪开跑，来自二十多个国家和地区的三万名跑者参加全程、半程和健康跑比赛，"
        "男子全程冠军以两小时九分的成绩打破赛会纪录，赛道沿线数万名市民为选手加油。",
    ),
    "https://www.example.com/news/2024/05/02/station.html": (
        ("首页", "河北"),
        "市救助管理站开放日 志愿者走进寻亲一线",
        "市救助管理站举办开放日活动，邀请志愿者和市民代表参观生活区和食堂，了解流浪乞讨人员救助和"
        "寻亲工作。站长介绍，去年通过寻亲平台帮助数十名走失人员与家人团聚。",
    ),
}


def _outcome(url: str, section: tuple[str, ...], title: str, text: str) -> PageOutcome:
    now = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    fetched = Fetched(url, url, 200, {"content-type": "text/html"}, b"<html></html>", "utf-8", now)
    article = Article(url, title, text, canonical_url=url, lang="zh", section=section,
                      paragraphs=(text,), published=now)  # fmt: skip
    return PageOutcome(url, 1, fetched, article)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tagging.db"
    with Store(path) as store:
        store.start_crawl([], {})
        store.save_outcomes([_outcome(url, *story) for url, story in STORIES.items()])
    return path


def test_retag_tags_every_article_once_and_records_the_model(db: Path) -> None:
    model = load_model()
    with Store(db) as store:
        first = retag(store, model, Path("bundled"), threshold=0.0, batch_size=2)
        again = retag(store, model, Path("bundled"), threshold=0.0, batch_size=2)
        assert (first, again) == (4, 0)
        assert model.model_id in {m["model_id"] for m in store.list_models()}
        tops = {}
        for url in STORIES:
            article = store.article(url)
            assert article is not None
            ranked = [t for t in article["topics"] if t["model_id"] == model.model_id]
            tops[url] = min(ranked, key=lambda t: t["rank"])["label"]
    assert tops["https://sports.example.com/2024/05/02/final.html"] == "sports"
    assert tops["https://www.example.com/money/2024/05/02/rates.html"] in {"finance", "stocks"}
    assert tops["https://www.example.com/news/2024/05/02/station.html"] == "society"


@pytest.mark.parametrize(
    ("url", "section", "expected"),
    [
        ("https://sports.163.com/20/0619/a.html", (), "sports"),
        ("https://www.bbc.co.uk/sport/football/1", (), "sports"),
        ("https://news.163.com/a.html", ("网易首页", "网易体育"), "sports"),
        ("https://ent.163.com/a.html", ("网易首页", "网易体育"), None),
        ("https://news.163.com/a.html", ("网易首页", "网易河北"), None),
        ("https://www.example.com/money/a.html", (), "finance"),
    ],
)
def test_derive_label(url: str, section: tuple[str, ...], expected: str | None) -> None:
    assert derive_label(url, section) == expected


def test_labels_cli_derive_and_import(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    derived = runner.invoke(cli, ["labels", "derive", "--db", str(db)])
    assert derived.exit_code == 0, derived.output
    assert "labeled 3 of 4" in derived.output
    csv_file = tmp_path / "labels.csv"
    csv_file.write_text(
        "url,label\nhttps://www.example.com/news/2024/05/02/station.html,社会\n", encoding="utf-8"
    )
    imported = runner.invoke(cli, ["labels", "import", "--db", str(db), str(csv_file)])
    assert imported.exit_code == 0, imported.output
    with Store(db, readonly=True) as store:
        labels = {label for _, _, label in store.labeled_articles(["manual", "section"])}
    assert labels == {"sports", "finance", "society"}
    csv_file.write_text("url,label\nhttps://x.example/a,no-such-topic\n", encoding="utf-8")
    refused = runner.invoke(cli, ["labels", "import", "--db", str(db), str(csv_file)])
    assert refused.exit_code == 1 and "unknown label 'no-such-topic'" in refused.output


def test_classify_cli_is_resumable(db: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["classify", "--db", str(db), "--activate"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("tagged 4 articles")
    second = runner.invoke(cli, ["classify", "--db", str(db)])
    assert second.output.startswith("tagged 0 articles")
