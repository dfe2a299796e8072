"""Verdict cards: one Markdown element with the badge, the claim, the verdict and the sources."""
from ui.cards import card_markdown


def test_card_holds_badge_claim_verdict_and_sources_in_that_order():
    text = card_markdown("bestätigt", "green", "280\\.000 Fachkräfte", "Studie 2016: 280\\.000", "Quelle: TSK")
    assert text == (":green-badge[bestätigt]  \n**280\\.000 Fachkräfte**  \nStudie 2016: 280\\.000  \n"
                    ":small[:gray[Quelle: TSK]]")


def test_brackets_in_the_status_cannot_close_the_badge_and_unknown_colours_fall_back_to_gray():
    text = card_markdown("a] :red[b", "javascript", "c", "d")
    assert text.startswith(":gray-badge[a\\] :red\\[b]")
    assert ":small" not in text          # no sources, no empty source line
