"""Two-step verification in a real browser: set it up from the page (reading the key as
a person typing it into an app would), sign out, sign in again with a code."""

import re
from base64 import b32decode

import pytest

from tests.browser import axe_violations, sign_in
from tests.factories import TEST_PASSWORD, UserFactory, app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def give_password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_set_up_sign_out_and_sign_in_with_a_code(page):
    UserFactory(username="priya", role="Policy officers")
    sign_in(page, "priya", TEST_PASSWORD)

    page.get_by_role("link", name="Your settings").click()
    page.get_by_role("link", name="Two-step verification").click()
    assert page.locator("#two-step-status").inner_text() == "Off"
    page.get_by_role("button", name="Set up two-step verification").click()
    page.wait_for_url("**/accounts/two-step/set-up/")
    assert_accessible(page)
    qr_code = page.locator("img.app-qr-code")
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 100"), "the QR code renders"
    key = b32decode(page.locator("#two-step-key").inner_text().replace(" ", ""))

    page.fill("#id_code", app_code(key))
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    assert page.locator("#two-step-status").inner_text() == "On"
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.wait_for_url("**/accounts/login/")

    give_password(page, "priya")
    page.wait_for_url("**/accounts/login/code/")
    assert_accessible(page)
    # Not signed in yet: the service sends the person back to sign in.
    page.goto("/actions/mine/")
    assert "/accounts/login/" in page.url and "/code/" not in page.url
    page.goto("/accounts/login/code/")
    page.fill("#id_code", "12345")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary", has_text="The code is not right").wait_for()
    assert_accessible(page)

    # django-otp waits a second after a wrong code before checking another. The code used
    # to set the app up is spent (a code works once), so give the next 30 seconds' code,
    # as a phone whose clock runs slightly ahead would: the server accepts one step of
    # drift either way.
    page.wait_for_timeout(1100)
    page.fill("#id_code", app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.get_by_role("button", name="Sign out priya").is_visible()
    page.goto("/actions/mine/")
    assert page.url.endswith("/actions/mine/")
