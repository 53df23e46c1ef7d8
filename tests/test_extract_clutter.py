"""Clutter inside or around a story: consent dialogs, carousels, teaser cards with a byline."""

from __future__ import annotations

from scraper.extract import extract

PARAGRAPHS = [
    "The river festival returns to the old quay this weekend, with boats, music and a market "
    "running from Saturday morning until late on Sunday evening.",
    "Organisers expect twenty thousand visitors and have asked people to come by train, since "
    "the car parks near the quay will be closed for the whole weekend.",
]
QUOTES = [
    "Every year the festival is the best weekend of the summer for our family.",
    "We came for the boats and stayed for the music, a wonderful time for everybody.",
    "The market alone is worth the trip, the food stalls are simply excellent.",
]


def _page(story: str, after: str = "", around: str = "") -> str:
    return (
        "<html><head><title>River festival returns | Quay News</title></head><body>"
        f"{around}<article><h1>River festival returns</h1>{story}{after}</article></body></html>"
    )


def test_a_consent_dialog_holding_most_prose_is_never_the_story() -> None:
    dialog = (
        '<div id="onetrust-consent-sdk"><div class="ot-pc-body">'
        + "".join(
            f"<p>We and our partners use cookies to store and access information on your device "
            f"for purpose number {n}, such as personalised ads and content measurement.</p>"
            for n in range(8)
        )
        + "</div></div>"
    )
    page = _page(f"<p>{PARAGRAPHS[0]}</p>", around=dialog)
    article = extract(page, "https://quay.example/festival")
    assert PARAGRAPHS[0] in article.text
    assert "cookies" not in article.text


def test_a_carousel_printed_twice_is_read_once_but_a_list_printed_twice_stays() -> None:
    slides = "".join(f"<blockquote>{q}</blockquote><p>Reader</p>" for q in QUOTES)
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    carousel = extract(_page(story, f'<div class="slider">{slides}{slides}</div>'))
    for quote in QUOTES:
        assert carousel.text.count(quote) == 1
    between = "".join(f"<p>{p} Again.</p>" for p in PARAGRAPHS)
    listed = extract(_page(story + slides + between + slides))
    for quote in QUOTES:
        assert listed.text.count(quote) == 2


def test_teaser_cards_with_a_byline_between_headline_and_excerpt_stay_out() -> None:
    cards = "".join(
        f'<div class="card"><a href="/c/{n}">Events</a><h3><a href="/s/{n}">A long headline of '
        f"another story, number {n}</a></h3><div>By Jamie Writer, December {n + 1}, 2015</div>"
        f"<p>An excerpt of that other story that reads like a sentence of prose, number {n}, "
        "and goes on for a while longer than a headline would.</p></div>"
        for n in range(4)
    )
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = extract(_page(story, f"<section>{cards}</section>"), "https://quay.example/f")
    assert PARAGRAPHS[1] in article.text
    assert "An excerpt of that other story" not in article.text
