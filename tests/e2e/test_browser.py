"""Sign in through the real pages in Chromium, with the second factor, and check every
page visited for WCAG 2.2 AA (axe-core) and for Content-Security-Policy violations."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from conftest import World
from socprofiles.accounts.tests.factories import TEST_PASSWORD, TOTPDeviceFactory

from .conftest import describe, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{where}: accessibility violations\n{describe(violations)}"
    assert not page.csp_violations, f"{where}: CSP violations {page.csp_violations}"


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    device = TOTPDeviceFactory(user=user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Security code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")


def test_sign_in_with_two_factor_and_visit_the_home_page(
    live_server: Any, page: Any, world: World
) -> None:
    device = TOTPDeviceFactory(user=world.owner)
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    _assert_accessible(page, "sign-in page")

    page.get_by_label("User name").fill("owner")
    page.get_by_label("Password").fill("wrong-password-here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _assert_accessible(page, "sign-in page with an error")

    page.get_by_label("User name").fill("owner")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    _assert_accessible(page, "security code page")

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Security code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    expect(page.get_by_role("link", name=world.partnership.name)).to_be_visible()
    _assert_accessible(page, "home page")

    # GOV.UK Frontend's JavaScript ran (loaded from our own static files, not a CDN).
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")

    page.get_by_role("link", name=world.partnership.name).click()
    banners = page.locator("[data-classification]")
    assert banners.count() == 2
    assert banners.first.inner_text().strip().startswith("OFFICIAL")
    _assert_accessible(page, "partnership page")

    for path in (
        f"/partnerships/{world.partnership.slug}/members/",
        f"/partnerships/{world.partnership.slug}/audit/",
        f"/partnerships/{world.partnership.slug}/datasets/",
        f"/partnerships/{world.partnership.slug}/datasets/new/",
        f"/datasets/{world.dataset.pk}/",
        f"/datasets/files/{world.data_file.pk}/",
        "/reference-data/",
        "/feeds/",
        "/organisations/",
        "/areas/",
        "/accounts/profile/",
        f"/partnerships/{world.partnership.slug}/assessments/",
        f"/assessments/{world.assessment.pk}/",
        f"/assessments/{world.assessment.pk}/matrix/",
        f"/assessments/{world.assessment.pk}/grading/",
        "/morile/models/",
        "/morile/models/thematic@1/",
    ):
        page.goto(f"{live_server.url}{path}")
        _assert_accessible(page, path)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_first_sign_in_sets_up_an_authenticator(live_server: Any, page: Any, world: World) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("member")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/setup/**")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    _assert_accessible(page, "two-factor set-up page")


def test_a_scorer_scores_an_issue_in_the_browser(live_server: Any, page: Any, world: World) -> None:
    from socprofiles.morile.models import Score

    _sign_in(page, live_server, world.analyst)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/score/")
    _assert_accessible(page, "my scoring page")
    page.get_by_role("link", name=world.issue.name).first.click()
    _assert_accessible(page, "issue scoring form")
    values = {
        "individual": "4", "community": "2", "public_expectation": "8", "environmental": "0",
        "financial": "2", "organisational": "4", "organisational_economic": "4",
        "frequency": "0.5", "volume": "1", "confidence": "3", "capacity": "2", "capability": "1",
    }  # fmt: skip
    for name, value in values.items():
        page.locator(f"input[name='{name}'][value='{value}']").check()
    page.get_by_role("button", name="Save the scores").click()
    page.wait_for_url(f"**/assessments/{world.assessment.pk}/score/")
    _assert_accessible(page, "my scoring page after saving")
    score = Score.objects.get(issue=world.issue, scorer=world.analyst)
    # harm 24 x likelihood 4.5 = 108, position 3 -> 0.8 (assumed) -> 86.4
    assert score.outputs["risk"] == 108 and score.outputs["graded_score"] == 86.4


def test_the_threat_picture_renders_its_map_and_figures(
    live_server: Any, page: Any, settings: Any
) -> None:
    from django.core.management import call_command

    from socprofiles.demo import fixtures

    settings.DEMO_LOGINS_ENABLED = True
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("durham.analyst")
    page.get_by_label("Password").fill(fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/partnerships/{fixtures.DEMO_SLUG}/analysis/")
    expect(page.get_by_role("heading", name="Priority locations")).to_be_visible()
    # Leaflet drew the LSOAs from the page's GeoJSON (no tiles, nothing from the internet).
    page.wait_for_selector("#analysis-map[data-loaded='389']", timeout=20_000)
    assert page.locator("#analysis-map path.leaflet-interactive").count() >= 389
    # Every figure loaded as an image, with a text alternative.
    images = page.locator("figure.app-figure img")
    assert images.count() == 4
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert len(image.get_attribute("alt") or "") > 40
    _assert_accessible(page, "threat picture page")


def test_a_profile_goes_from_commissioning_to_published_to_review_due(
    live_server: Any, browser: Any, page: Any, world: World
) -> None:
    from conftest import COMMISSIONING
    from socprofiles.profiles.models import Profile

    _sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}/partnerships/{world.partnership.slug}/profiles/")
    _assert_accessible(page, "profiles page")
    page.get_by_label("Title").fill("Browser Local Profile")
    page.get_by_label("First month analysed").fill("2022-01")
    page.get_by_label("Last month analysed").fill("2022-06")
    for key, value in COMMISSIONING.items():
        page.locator(f"textarea[name='{key}']").fill(value)
    page.get_by_role("button", name="Commission").click()
    page.wait_for_selector("#profile-stage")
    _assert_accessible(page, "profile page (commissioning)")
    profile = Profile.objects.get(title="Browser Local Profile")

    def step(label: str, stage: str) -> None:
        page.get_by_role("button", name=label).click()
        page.wait_for_selector(f"#profile-stage:text-is('{stage}')")

    step("Start production", "Producing")
    page.get_by_role("link", name="Edit Summary").click()
    page.get_by_label("Narrative").fill("Drug supply links the other threats.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Edit Drivers and pathways").click()
    _assert_accessible(page, "section form")
    page.get_by_label("Narrative").fill("Council data show exclusion drives recruitment.")
    page.get_by_label("Council counts by area (Test Council)").check()
    page.get_by_role("button", name="Save").click()
    step("Send to partners for clearance", "Consultation")
    # Publishing before the council has cleared its data is refused, with the reason.
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Still to clear: Test Council (awaiting decision)")).to_be_visible()

    # The council's member clears the section that uses its data, in their own session.
    council = browser.new_context()
    other = council.new_page()
    other.csp_violations = []
    _sign_in(other, live_server, world.member)
    other.goto(f"{live_server.url}/profiles/{profile.pk}/")
    other.get_by_label("Clear for publication").check()
    other.get_by_role("button", name="Record decision").click()
    expect(other.get_by_text("Test Council's decision is recorded.")).to_be_visible()
    council.close()

    step("Publish", "Published")
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("heading", name="1. Summary")).to_be_visible()
    _assert_accessible(page, "published version")
    page.get_by_role("link", name="Back to the profile").click()
    step("Start delivery of the action plan", "Delivering")
    step("Mark the review as due", "Review due")
    profile.refresh_from_db()
    assert profile.stage == "review_due" and profile.versions.count() == 1
    _assert_accessible(page, "profile page (review due)")


def test_wider_sharing_from_request_to_revocation(
    live_server: Any, browser: Any, world: World
) -> None:
    """A member asks to share the published profile with someone in another force; the
    owner agrees, a second owner approves for the partnership, the recipient reads it, the
    owner revokes, and it is gone for the recipient."""
    profile = world.profile
    sharing_url = f"{live_server.url}/profiles/{profile.pk}/sharing/"
    version_url = f"{live_server.url}/profiles/{profile.pk}/versions/1/"

    def session(user: Any) -> tuple[Any, Any]:
        context = browser.new_context()
        page = context.new_page()
        page.csp_violations = []
        _sign_in(page, live_server, user)
        return context, page

    # The recipient cannot see it yet.
    grantee_context, grantee = session(world.grantee)
    assert grantee.goto(version_url).status == 404

    member_context, member = session(world.member)
    member.goto(sharing_url)
    _assert_accessible(member, "sharing page")
    member.get_by_label("Recipient's user name").fill(world.outsider.username)
    member.get_by_label("Who they are").select_option("other_force")
    member.get_by_label("Why they need it").fill("Their force leads the operation on this group.")
    import datetime as dt

    from django.utils import timezone

    last_day = timezone.localdate() + dt.timedelta(days=90)
    member.get_by_label("Last day of access").fill(last_day.isoformat())
    member.get_by_role("button", name="Ask to share").click()
    expect(member.get_by_text("The request is with the profile's owner.")).to_be_visible()
    member_context.close()

    owner_context, owner = session(world.owner)
    owner.goto(sharing_url)
    owner.get_by_role("button", name="Agree as owner").first.click()
    expect(owner.get_by_text("Owner agreed; waiting for the partnership").first).to_be_visible()

    chair_context, chair = session(world.chair)
    chair.goto(sharing_url)
    chair.get_by_role("button", name="Approve for the partnership").first.click()
    expect(chair.get_by_text("Recorded: approved.")).to_be_visible()
    _assert_accessible(chair, "sharing page after approval")
    chair_context.close()

    outsider_context, outsider = session(world.outsider)
    outsider.goto(f"{live_server.url}/profiles/shared/")
    outsider.get_by_role("link", name=profile.title).click()
    outsider.get_by_role("link", name="Version 1", exact=True).click()
    expect(outsider.get_by_role("heading", name="1. Summary")).to_be_visible()
    _assert_accessible(outsider, "a shared profile's version")

    owner.goto(sharing_url)
    owner.get_by_label("Reason to revoke").first.fill("The operation has closed.")
    owner.get_by_role("button", name="Revoke access").first.click()
    expect(owner.get_by_text("Recorded: revoked.")).to_be_visible()
    owner_context.close()

    assert outsider.goto(version_url).status == 404
    outsider_context.close()
    grantee_context.close()


def test_a_recommendation_becomes_a_completed_action(
    live_server: Any, browser: Any, page: Any, world: World
) -> None:
    from socprofiles.actions.models import Action
    from socprofiles.profiles import services as profiles

    profile = world.profile
    profiles.recommendations_set(
        actor=world.analyst, profile=profile, by_strand={"protect": ["Warn repeat fraud victims"]}
    )
    profile = profiles.profile_transition(
        actor=world.analyst, profile=profile, action="send_to_consultation"
    )
    profiles.profile_transition(actor=world.owner, profile=profile, action="publish")

    _sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}/partnerships/{world.partnership.slug}/actions/")
    _assert_accessible(page, "action plan")
    page.get_by_role(
        "button", name=f"Make actions from the recommendations of “{profile.title}”"
    ).click()
    expect(page.get_by_text("1 action(s) made from the recommendations.")).to_be_visible()
    page.get_by_role("link", name="Warn repeat fraud victims").click()
    page.get_by_label("Test Council").check()
    page.get_by_label("Named owner").select_option(
        label=f"{world.member.display_name} (Test Council)"
    )
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("The action is saved.")).to_be_visible()
    page.get_by_text("Add a milestone").click()
    page.get_by_label("Milestone").fill("Victims identified from the fraud reports")
    page.get_by_label("Due").fill("2027-01-31")
    page.get_by_role("button", name="Add the milestone").click()
    _assert_accessible(page, "action page")
    action = Action.objects.get(recommendation="Warn repeat fraud victims")

    council = browser.new_context()
    member = council.new_page()
    member.csp_violations = []
    _sign_in(member, live_server, world.member)
    member.goto(f"{live_server.url}/actions/mine/")
    member.get_by_role("link", name="Warn repeat fraud victims").click()
    member.get_by_role("button", name="Mark done").click()
    member.get_by_label("Status").select_option("complete")
    member.get_by_label("What has happened").fill("Every repeat victim was visited and warned.")
    member.get_by_label("Evidence").fill("Visit log of 42 households.")
    member.get_by_role("button", name="Add the update").click()
    expect(member.get_by_text("The update is recorded.")).to_be_visible()
    _assert_accessible(member, "action page after completion")
    council.close()
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.milestones.get().done_on is not None


def test_gain_request_answers_hit_or_no_hit_and_the_holder_discloses(
    live_server: Any, browser: Any, page: Any, world: World
) -> None:
    """A coordinator asks who holds a person; the force and the council answer hit, the
    other force no hit; the coordinator asks the council to disclose; the council sees
    why its record matched and approves, recording what it shared."""
    from socprofiles.accounts.models import OrganisationKind
    from socprofiles.accounts.tests.factories import OrganisationFactory, UserFactory
    from socprofiles.gain import services as gain
    from socprofiles.gain.models import Disclosure
    from socprofiles.gain.tests.test_engine import _people_across_agencies

    records, _truth = _people_across_agencies()
    agencies = {"Police": (world.force, world.owner), "Council": (world.council, world.member),
                "HMRC": (world.outsider.organisation, world.outsider)}  # fmt: skip
    for name, (org, user) in agencies.items():
        user.is_verified = lambda: True
        rows = [{"reference": f"{name[:3].upper()}-{r['uid']}",
                 **{k: v for k, v in r.items() if k not in ("uid", "agency")}}
                for r in records if r["agency"] == name]  # fmt: skip
        gain.holdings_load(actor=user, organisation=org, kind="person", rows=rows)
    by_agency: dict[str, dict[str, Any]] = {}
    for r in records:
        by_agency.setdefault(r["agency"], {})[(r["first_name"], r["surname"], r["dob"])] = r
    shared = next(k for k in by_agency["Police"]
                  if k in by_agency["Council"] and k not in by_agency["HMRC"])  # fmt: skip
    rocu = OrganisationFactory(name="Test ROCU", kind=OrganisationKind.ROCU)
    coordinator = UserFactory(username="gain-coordinator", organisation=rocu)

    _sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/gain/")
    _assert_accessible(page, "GAIN overview")
    page.get_by_role("link", name="Ask who holds a subject").click()
    page.get_by_label("Kind of subject").select_option("person")
    page.get_by_label("First name").fill(shared[0])
    page.get_by_label("Surname").fill(shared[1])
    page.get_by_label("Date of birth").fill(shared[2])
    page.get_by_label("Purpose").fill("Op Example: which partners know this person?")
    page.get_by_role("button", name="Ask the agencies").click()
    page.wait_for_url("**/gain/requests/*/")
    _assert_accessible(page, "hit/no-hit answers")
    answers = {row.locator("td").nth(0).inner_text(): row.locator("td").nth(1).inner_text()
               for row in page.locator("tbody tr").all()}  # fmt: skip
    assert answers == {"Test Constabulary": "Hit", "Test Council": "Hit", "Other Police": "No hit"}
    assert "POL-" not in page.content() and "COU-" not in page.content()
    page.get_by_label("Test Council").check()
    page.get_by_label("Purpose").fill("Address history for a joint visit.")
    page.get_by_label("Legal gateway").fill("Crime and Disorder Act 1998 s115")
    page.get_by_role("button", name="Ask to disclose").click()
    expect(page.get_by_text("Asked Test Council to disclose.")).to_be_visible()

    council = browser.new_context()
    member = council.new_page()
    member.csp_violations = []
    _sign_in(member, live_server, world.member)
    member.goto(f"{live_server.url}/gain/disclosures/")
    _assert_accessible(member, "disclosure requests")
    member.locator("tbody a").first.click()
    expect(member.get_by_role("heading", name="Your records the engine matched")).to_be_visible()
    assert "COU-" in member.content() and "Exact match on surname" in member.content()
    _assert_accessible(member, "disclosure request")
    member.get_by_label("Approve").check()
    member.get_by_label("What is shared").fill("Two previous addresses, by secure e-mail.")
    member.get_by_role("button", name="Record").click()
    expect(member.get_by_text("The decision is recorded.")).to_be_visible()
    council.close()
    disclosure = Disclosure.objects.get()
    assert disclosure.status == "approved" and disclosure.decided_by == world.member


def _answer_the_self_assessment(page: Any, live_server: Any, check: Any) -> None:
    """Start, answer every question (one per page), give a district, check, submit;
    `check(page, where)` runs on every page on the way."""
    from socprofiles.selfassessment.scoring import default_model
    from socprofiles.selfassessment.tests.test_scoring import PEOPLE

    model = default_model()
    answers = PEOPLE["worried_unprotected"]
    page.goto(f"{live_server.url}/self-assessment/")
    check(page, "self-assessment start page")
    page.get_by_role("button", name="Start now").click()
    for number, question in enumerate(model.questions, 1):
        page.wait_for_url(f"**/self-assessment/questions/{question.key}/")
        assert page.get_by_role("heading", level=1).inner_text().strip() == question.text
        check(page, f"question {number}")
        if number == 1:  # a question left unanswered: the error summary and message
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
            check(page, "question 1 with an error")
        label = question.answer(answers[question.key]).label  # type: ignore[union-attr]
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/self-assessment/area/")
    check(page, "postcode district page")
    page.get_by_label("What is the first part of your postcode?").fill("DH1 3LE")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Enter only the first part of your postcode").first).to_be_visible()
    check(page, "postcode district page with an error")
    page.get_by_label("What is the first part of your postcode?").fill("DH1")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/self-assessment/check/")
    check(page, "check your answers")
    page.get_by_role("button", name="Submit and see your advice").click()
    page.wait_for_url("**/self-assessment/result/")
    expect(page.get_by_role("heading", name="Worried but unprotected")).to_be_visible()
    check(page, "advice page")


def test_the_public_self_assessment_is_accessible_from_start_to_advice(
    live_server: Any, page: Any, settings: Any
) -> None:
    from socprofiles.selfassessment.models import Result

    settings.SELF_ASSESSMENT_MIN_SECONDS = 0
    _answer_the_self_assessment(page, live_server, _assert_accessible)
    row = Result.objects.get()
    assert (row.segment, row.postcode_district) == ("worried_unprotected", "DH1")


def test_the_public_self_assessment_works_without_javascript(
    live_server: Any, browser: Any, settings: Any
) -> None:
    from socprofiles.selfassessment.models import Result

    settings.SELF_ASSESSMENT_MIN_SECONDS = 0
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    def no_script_ran(page: Any, where: str) -> None:
        # GOV.UK Frontend marks the body when its JavaScript runs: it must not have.
        assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class")
                                                  or ""), where  # fmt: skip

    try:
        _answer_the_self_assessment(page, live_server, no_script_ran)
    finally:
        context.close()
    assert Result.objects.get().segment == "worried_unprotected"


def test_a_partner_refers_and_the_coordinator_triages_assigns_and_closes(
    live_server: Any, browser: Any, page: Any, world: World
) -> None:
    from socprofiles.referrals.models import Referral

    slug = world.partnership.slug
    council = browser.new_context()
    member = council.new_page()
    member.csp_violations = []
    _sign_in(member, live_server, world.member)
    member.goto(f"{live_server.url}/partnerships/{slug}/referrals/")
    _assert_accessible(member, "referrals list")
    member.get_by_role("link", name="Make a referral").click()
    _assert_accessible(member, "new referral")
    member.get_by_label("Vulnerable fraud victim (Op Signature)").check()
    member.get_by_label("Where").fill("DH1")
    member.get_by_label("Describe the concern").fill(
        "An older man says a caller from his 'bank' asked him to buy gift cards."
    )
    member.get_by_role("button", name="Submit the referral").click()
    expect(member.get_by_text("is submitted to the partnership's coordinators")).to_be_visible()
    _assert_accessible(member, "referral as its referrer")
    referral = Referral.objects.get()

    _sign_in(page, live_server, world.analyst)
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Triage the referral").click()
    _assert_accessible(page, "triage")
    for label in ("Physical harm", "Psychological harm", "Financial harm", "Community harm",
                  "Environmental harm"):  # fmt: skip
        page.get_by_role("group", name=label).get_by_label("0: None").check()
    page.get_by_role("group", name="Financial harm").get_by_label("8: Critical").check()
    page.get_by_role("group", name="Geographic scope").get_by_label("0: Neighbourhood").check()
    page.get_by_role("group", name="Victim vulnerability").get_by_label("3: Vulnerable").check()
    page.get_by_role("group", name="Confidence").get_by_label("3: High").check()
    page.get_by_role("button", name="Save the triage").click()
    expect(page.get_by_text("is triaged: medium risk")).to_be_visible()
    page.get_by_label("Owning agency").select_option(label="Test Council")
    page.get_by_label("Op Signature fraud victim support").check()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("is assigned to Test Council")).to_be_visible()
    _assert_accessible(page, "referral as a coordinator")
    page.get_by_label("Safeguarding or support in place").check()
    page.get_by_role("button", name="Close the referral").click()
    expect(page.get_by_text("is closed")).to_be_visible()
    page.goto(f"{live_server.url}/partnerships/{slug}/referrals/counts/")
    _assert_accessible(page, "referral counts")
    page.goto(f"{live_server.url}/partnerships/{slug}/self-assessment/")
    _assert_accessible(page, "self-assessment results")
    page.goto(f"{live_server.url}/partnerships/{slug}/self-assessment/districts/")
    _assert_accessible(page, "self-assessment districts")
    page.goto(f"{live_server.url}/partnerships/{slug}/actions/dashboard/")
    _assert_accessible(page, "action plan dashboard with referrals")

    member.reload()
    expect(member.get_by_text("Safeguarding or support in place, closed")).to_be_visible()
    council.close()
    referral.refresh_from_db()
    assert (referral.status, referral.rating, referral.route) == ("closed", "medium",
                                                                  "op_signature")  # fmt: skip
