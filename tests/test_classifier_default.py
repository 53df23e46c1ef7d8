"""The bundled default model tags whole self-written articles the way a reader would."""

from __future__ import annotations

import pytest

from classifier import TopicModel, default_model_path, load_model

RELIEF_TITLE = "市救助管理站举办开放日 市民走进站内了解救助流程"
RELIEF_TEXT = (
    "11月下旬，市救助管理站举办“开放日”活动，邀请社区居民、志愿者和人大代表走进站内参观。"
    "工作人员介绍了流浪乞讨人员从街面发现、接收登记、临时住宿到寻亲返乡的全过程。"
    "入冬以来，救助站联合公安、城管和街道开展夜间巡查，在桥洞、地下通道等处劝导露宿人员入站，"
    "为他们发放棉被、棉衣和热饭。站内还设有医务室和心理疏导室，帮助受助人员恢复生活信心。"
    "今年以来，该站已帮助两百余名走失、流浪人员与家人团聚。参观的市民表示，"
    "没想到救助工作这样细致，以后在街头遇到需要帮助的人会及时拨打求助电话。"
)
FOOTBALL_TITLE = "联赛第28轮：主队2比1逆转客队 替补前锋补时绝杀"
FOOTBALL_TEXT = (
    "在昨晚进行的联赛第28轮比赛中，主队在落后一球的情况下连扳两球，以2比1逆转取胜。"
    "上半场第30分钟，客队利用角球机会头球破门。易边再战，主队加强进攻，"
    "第62分钟中场球员远射扳平比分。补时第三分钟，替补登场的前锋在禁区内接队友传中抢点破门，"
    "完成绝杀。赛后主教练表示，球队展现了顽强的斗志。凭借这场胜利，主队在积分榜上升至第三位。"
)
FOOTBALL_EN_TITLE = "Late winner lifts United to third after comeback against City"
FOOTBALL_EN_TEXT = (
    "United came from a goal down to beat City 2-1 on Saturday, with a substitute striker heading "
    "in the winner in stoppage time. City had taken the lead from a corner midway through the "
    "first half before a long-range strike from the midfield levelled the match after the break. "
    "The manager praised his players' spirit, and the win moves the club up to third in the league "
    "table ahead of next week's away game against the leaders."
)
HEALTH_EN_TEXT = (
    "Doctors at the city hospital say a simple daily walk can lower blood pressure as much as "
    "some medicines. In a study of 1,200 adults with hypertension, patients who walked for thirty "
    "minutes a day saw their readings fall within three months. The cardiologist who led the "
    "research said diet and sleep matter too: cutting salt, eating more vegetables and keeping "
    "regular hours all help the heart. Patients should still take the pills their doctor "
    "prescribes and have their blood pressure checked at every visit, she added."
)
TRAVEL_EN_TEXT = (
    "The old town is best explored on foot: start at the harbour early in the morning before the "
    "tour buses arrive, climb the stairs to the castle for the view over the bay, and stop for "
    "lunch at one of the small family restaurants in the lanes behind the market. Hotels fill up "
    "in summer, so book a room a few weeks ahead; in spring and autumn prices drop by a third and "
    "the beaches are quiet. A ferry to the islands leaves twice a day, and a rail pass covers the "
    "coastal trains."
)
FLU_TITLE = "冬季流感高发 医生提醒老人儿童及时接种疫苗"
FLU_TEXT = (
    "进入冬季，各医院呼吸科门诊量明显上升。市疾控中心专家介绍，近期流感病毒检测阳性率持续升高，"
    "老人、儿童和有慢性病的人群是重点人群。专家建议，尽快接种流感疫苗，勤洗手、戴口罩、"
    "保持室内通风；出现发热、咳嗽等症状应及时就医，不要自行服用抗生素。"
    "医院也增加了发热门诊的医生和夜间接诊时段。"
)


@pytest.fixture(scope="module")
def default() -> TopicModel:
    return load_model()


def test_the_default_model_is_bundled_and_small(default: TopicModel):
    path = default_model_path()
    assert (path / "card.json").is_file()
    assert sum(f.stat().st_size for f in path.iterdir()) < 25 * 1024 * 1024
    assert default.model_id.startswith("default-")
    assert default.card["metrics"]["held_out"]


def test_relief_station_open_day_is_society(default: TopicModel):
    (topics,) = default.predict_topics([RELIEF_TITLE], [RELIEF_TEXT])
    assert topics[0].label == "society"


@pytest.mark.parametrize(
    ("title", "text"),
    [(FOOTBALL_TITLE, FOOTBALL_TEXT), (FOOTBALL_EN_TITLE, FOOTBALL_EN_TEXT)],
    ids=["zh", "en"],
)
def test_football_match_report_is_sports(default: TopicModel, title: str, text: str):
    (topics,) = default.predict_topics([title], [text])
    assert topics[0].label == "sports"
    assert topics[0].score >= 0.5


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        ("", HEALTH_EN_TEXT, "health"),
        ("", TRAVEL_EN_TEXT, "travel"),
        (FLU_TITLE, FLU_TEXT, "health"),
    ],
    ids=["health-en", "travel-en", "health-zh"],
)
def test_topics_beyond_the_old_english_six_are_found_in_whole_articles(
    default: TopicModel, title: str, text: str, topic: str
):
    """The session-3 model knew only business, entertainment, politics, sport, tech and world in
    English; health and travel come from the HuffPost, MIND, NYT and mediastack rows."""
    (topics,) = default.predict_topics([title], [text])
    assert topics[0].label == topic


def test_the_default_model_knows_every_taxonomy_topic(default: TopicModel):
    from classifier import taxonomy

    assert set(default.classes_) == set(taxonomy.topic_ids())
