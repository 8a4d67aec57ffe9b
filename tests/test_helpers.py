"""The shared test helpers do what the tests rely on."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import page_text


def test_page_text_takes_out_the_csrf_token_and_nothing_else() -> None:
    body = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="q1ltKaneCOxhwQ0JGp1">'
        "<p>Jordan Kane</p>"
    )
    text = page_text(SimpleNamespace(content=body.encode()))
    assert "q1lt" not in text and 'name="csrfmiddlewaretoken" value=""' in text
    assert text.count("Kane") == 1 and "<p>Jordan Kane</p>" in text
