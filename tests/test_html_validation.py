"""The W3C Nu Html Checker that validates every page of the browser tests and every email
(tests/support/html_validation.py) reports what the review found."""

from tests.support.html_validation import skip_or_fail_without_checker, vnu_errors

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>{body}</body></html>"""


def test_the_checker_reports_microseconds_and_a_label_on_a_plain_div(tmp_path):
    skip_or_fail_without_checker()
    invalid = tmp_path / "invalid.html"
    invalid.write_text(
        PAGE.format(
            title="Roadmap · VPI Portal",
            body='<time datetime="2026-12-02T22:13:51.615208+00:00">2 Dec</time>'
            '<div aria-label="Roadmap actions"><a href="/">Edit</a></div>',
        )
    )
    valid = tmp_path / "valid.html"
    valid.write_text(
        PAGE.format(
            title="Roadmap · VPI Portal",
            body='<time datetime="2026-12-02T22:13:51+0000">2 Dec</time>'
            '<div role="group" aria-label="Roadmap actions"><a href="/">Edit</a></div>',
        )
    )
    problems = vnu_errors([invalid, valid], {invalid: "invalid", valid: "valid"})
    assert len(problems) == 2, problems
    assert all(problem.startswith("invalid:") for problem in problems)
    assert any("fraction of a second" in problem for problem in problems)
    assert any("aria-label" in problem for problem in problems)
