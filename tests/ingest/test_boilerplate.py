import pytest

from storyline.ingest._boilerplate import classify_lines, sure_chrome

BODY = [
    "Officials in the capital said on Monday that the talks would resume next week.",
    "The minister told reporters the government was ready to compromise on the border issue.",
    "Opposition leaders criticised the decision, saying it came far too late for the region.",
    "Analysts expect the negotiations to last several months before any agreement is reached.",
]


@pytest.mark.parametrize("line", [
    "No comments:", "Post a Comment", "Note: Only a member of this blog may post a comment.",
    "Image source: © Reuters / Some Photographer", "869", "  • 14.06 18:50", "Войти",
    "Ежедневная рассылка новостей на электронный почтовый ящик", "All rights reserved.",
    "Do you want to leave a comment? Register and/or Log in",
])
def test_classify_lines_removes_chrome(line: str) -> None:
    verdicts = classify_lines([*BODY[:2], line, *BODY[2:]])
    assert verdicts[2].boilerplate, verdicts[2]


@pytest.mark.parametrize("line", [
    *BODY,
    "Escalation Concerns",
    "WP: the EU refused to send troops to the region",
    "“We are watching every road,” the minister said.",
    # a whole article on one line (news-API dumps) that happens to say "in terms of use"
    " ".join([*BODY, "Nordic households lead in terms of use of digital goods such as phones.", *BODY,
              *BODY]),
])
def test_classify_lines_keeps_body(line: str) -> None:
    verdicts = classify_lines([*BODY, line, *BODY])
    assert not verdicts[len(BODY)].boilerplate, verdicts[len(BODY)]


def test_classify_lines_faq_tail_removed() -> None:
    lines = [*BODY, "FAQs", "Q: What happened?", "A: Talks resumed.", "Q: What next?",
             "A: More talks."]
    verdicts = classify_lines(lines)
    assert [v.boilerplate for v in verdicts] == [False] * 4 + [True] * 5


def test_classify_lines_tail_after_end_marker() -> None:
    lines = [*BODY, *BODY, "The rights to this material belong to the publisher",
             "Without carrot and stick. A very long related headline that reads like prose.",
             "  • 3"]
    verdicts = classify_lines(lines)
    assert all(v.boilerplate for v in verdicts[8:])
    assert not any(v.boilerplate for v in verdicts[:8])


def test_classify_lines_recurring_site_lines() -> None:
    verdicts = classify_lines([*BODY, "Follow our live coverage"],
                              recurring={"Follow our live coverage"})
    assert verdicts[-1].boilerplate and verdicts[-1].reason == "recurs on this site"


def test_sure_chrome_flags_only_sure_signs() -> None:
    lines = [BODY[0], "869", "Войти", "Escalation Concerns", *BODY[1:], "Post a Comment",
             "A long related headline after the end marker that reads like prose"]
    assert sure_chrome(lines) == [False, False, True, False] + [False] * 3 + [True, True]


def test_sure_chrome_cuts_the_faq_tail() -> None:
    lines = [*BODY, "FAQs", "Q: What happened?", "A: Talks resumed."]
    assert sure_chrome(lines) == [False] * 4 + [True] * 3
