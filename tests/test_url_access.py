"""Deny by default, proved (DESIGN habit 3): every URL pattern and every API operation is
requested as every persona, and the answer must be the one declared here. A new route
without a declared expectation fails the test, so nobody can add a page and forget to
decide who may see it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import World, sign_in
from socprofiles.accounts.models import PartnershipMembership

LOGIN = "login"  # a redirect to the sign-in page
TWO_FACTOR = "2fa"  # a redirect to the second-factor page
PERSONAS = ("owner", "analyst", "member", "reader", "outsider", "admin", "unverified", "anonymous")
TEAM = ("analyst", "member", "reader")
SIGNED_IN = ("owner", "analyst", "member", "reader", "outsider", "admin")


def expect(
    *,
    owner: Any,
    team: Any,
    outsider: Any,
    admin: Any,
    anonymous: Any = LOGIN,
    unverified: Any = TWO_FACTOR,
    **overrides: Any,
) -> dict[str, Any]:
    """team covers analyst, member and reader unless one of them is given on its own."""
    result = {"owner": owner, "outsider": outsider, "admin": admin, "anonymous": anonymous}
    result.update(dict.fromkeys(TEAM, team))
    result["unverified"] = unverified
    result.update(overrides)
    return result


ANY_SIGNED_IN = expect(owner=200, team=200, outsider=200, admin=200)
OWNER_ONLY = expect(owner=200, team=403, outsider=404, admin=404)
MEMBERS = expect(owner=200, team=200, outsider=404, admin=404)
# Owners and authors for any member organisation; members for their own (the test data set
# belongs to the member's council); readers only read.
CONTRIBUTE = expect(owner=200, team=200, outsider=404, admin=404, reader=403)
POST_ONLY = expect(owner=405, team=405, outsider=405, admin=405)
# The test assessment is open for scoring; the analyst and the member are its scorers.
SCORERS = expect(owner=403, team=200, outsider=404, admin=404, reader=403)
NOT_YET = expect(owner=403, team=403, outsider=404, admin=404)
# Owners and authors produce a profile; members and readers read it.
PRODUCERS = expect(owner=200, team=403, analyst=200, outsider=404, admin=404)
DRAFT_READERS = expect(owner=200, team=404, analyst=200, outsider=404, admin=404)
# The OCG register and joint operations: people with an organisation (the admin has none);
# the world's group is the force's own (the owner's and the analyst's organisation).
WITH_ORGANISATION = expect(owner=200, team=200, outsider=200, admin=404)
FORCE_ONLY = expect(owner=200, team=404, analyst=200, outsider=404, admin=404)
COORDINATORS_ONLY = expect(owner=404, team=404, outsider=404, admin=404)
# Public pages; someone half-way through signing in is still sent to finish it first.
PUBLIC = expect(owner=200, team=200, outsider=200, admin=200, anonymous=200)
BACK_TO_START = expect(owner=302, team=302, outsider=302, admin=302, anonymous=302)
# A referral: the coordinators and the referring organisation's acting members.
REFERRAL_READERS = expect(owner=200, team=200, reader=404, outsider=404, admin=404)

# name -> (how to build its URL from the world, expected status per persona)
PAGES: dict[str, tuple[Callable[[World], dict[str, Any]], dict[str, Any]]] = {
    "core:home": (lambda w: {}, ANY_SIGNED_IN),
    "core:accessibility": (lambda w: {}, PUBLIC),
    "core:data_sources": (lambda w: {}, PUBLIC),
    "core:health": (lambda w: {}, {**PUBLIC, "unverified": 200}),
    "accounts:login": (
        lambda w: {},
        expect(owner=302, team=302, outsider=302, admin=302, anonymous=200, unverified=302),
    ),
    "accounts:logout": (
        lambda w: {},
        expect(owner=405, team=405, outsider=405, admin=405, anonymous=405, unverified=405),
    ),
    # Already verified people are sent on; the unverified see the form.
    "accounts:two_factor_setup": (
        lambda w: {},
        expect(owner=302, team=302, outsider=302, admin=302, unverified=302),
    ),
    "accounts:two_factor_verify": (
        lambda w: {},
        expect(owner=302, team=302, outsider=302, admin=302, unverified=200),
    ),
    "accounts:profile": (lambda w: {}, ANY_SIGNED_IN),
    "accounts:organisation_list": (lambda w: {}, ANY_SIGNED_IN),
    "accounts:organisation_detail": (lambda w: {"slug": w.council.slug}, ANY_SIGNED_IN),
    "accounts:area_list": (lambda w: {}, ANY_SIGNED_IN),
    "accounts:area_detail": (lambda w: {"pk": w.partnership.area_id}, ANY_SIGNED_IN),
    "accounts:partnership_list": (lambda w: {}, ANY_SIGNED_IN),
    "accounts:partnership_detail": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "accounts:partnership_members": (lambda w: {"slug": w.partnership.slug}, OWNER_ONLY),
    "accounts:partnership_positions": (lambda w: {"slug": w.partnership.slug}, OWNER_ONLY),
    "accounts:membership_role": (
        lambda w: {"slug": w.partnership.slug, "pk": _reader_membership(w)},
        OWNER_ONLY,
    ),
    "accounts:membership_remove": (
        lambda w: {"slug": w.partnership.slug, "pk": _reader_membership(w)},
        OWNER_ONLY,
    ),
    "audit:partnership_audit": (lambda w: {"slug": w.partnership.slug}, OWNER_ONLY),
    "audit:partnership_audit_csv": (lambda w: {"slug": w.partnership.slug}, OWNER_ONLY),
    "datasets:partnership_datasets": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "datasets:dataset_create": (lambda w: {"slug": w.partnership.slug}, CONTRIBUTE),
    "datasets:dataset_detail": (lambda w: {"pk": w.dataset.pk}, MEMBERS),
    "datasets:dataset_edit": (lambda w: {"pk": w.dataset.pk}, CONTRIBUTE),
    "datasets:dataset_upload": (lambda w: {"pk": w.dataset.pk}, POST_ONLY),
    "datasets:clearance_request": (lambda w: {"pk": w.dataset.pk}, POST_ONLY),
    "datasets:clearance_decide": (lambda w: {"pk": w.dataset.pk}, POST_ONLY),
    "datasets:file_detail": (lambda w: {"pk": w.data_file.pk}, MEMBERS),
    "datasets:file_progress": (lambda w: {"pk": w.data_file.pk}, MEMBERS),
    "datasets:file_delete": (lambda w: {"pk": w.data_file.pk}, CONTRIBUTE),
    "datasets:reference_data": (lambda w: {}, ANY_SIGNED_IN),
    "datasets:feed_list": (lambda w: {}, ANY_SIGNED_IN),
    "morile:partnership_assessments": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "morile:assessment_detail": (lambda w: {"pk": w.assessment.pk}, MEMBERS),
    "morile:issue_add": (lambda w: {"pk": w.assessment.pk}, POST_ONLY),
    "morile:issues_import": (lambda w: {"pk": w.assessment.pk}, POST_ONLY),
    "morile:scorer_invite": (lambda w: {"pk": w.assessment.pk}, POST_ONLY),
    "morile:assessment_stage": (
        lambda w: {"pk": w.assessment.pk, "action": "close"},
        POST_ONLY,
    ),
    "morile:my_scoring": (lambda w: {"pk": w.assessment.pk}, SCORERS),
    "morile:issue_score": (lambda w: {"pk": w.assessment.pk, "issue_pk": w.issue.pk}, SCORERS),
    "morile:consensus": (lambda w: {"pk": w.assessment.pk}, NOT_YET),
    "morile:issue_agree": (lambda w: {"pk": w.assessment.pk, "issue_pk": w.issue.pk}, NOT_YET),
    "morile:shortlist": (lambda w: {"pk": w.assessment.pk}, POST_ONLY),
    "morile:grading": (lambda w: {"pk": w.assessment.pk}, MEMBERS),
    "morile:matrix": (lambda w: {"pk": w.assessment.pk}, MEMBERS),
    "morile:matrix_export": (lambda w: {"pk": w.assessment.pk, "fmt": "xlsx"}, MEMBERS),
    "morile:model_list": (lambda w: {}, ANY_SIGNED_IN),
    "analysis:analysis": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "analysis:figure": (
        lambda w: {"slug": w.partnership.slug, "pk": _analysis(w), "name": "trend", "fmt": "svg"},
        MEMBERS,
    ),
    "analysis:map_data": (lambda w: {"slug": w.partnership.slug, "pk": _analysis(w)}, MEMBERS),
    "morile:model_detail": (lambda w: {"model_id": "thematic@1"}, ANY_SIGNED_IN),
    # The world's profile: version 1 published, a new draft in production.
    "profiles:partnership_profiles": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "profiles:reviews": (lambda w: {}, ANY_SIGNED_IN),
    "profiles:profile_detail": (lambda w: {"pk": w.profile.pk}, MEMBERS),
    "profiles:commissioning": (lambda w: {"pk": w.profile.pk}, PRODUCERS),
    "profiles:section_edit": (lambda w: {"pk": w.profile.pk, "key": "summary"}, PRODUCERS),
    "profiles:transition": (lambda w: {"pk": w.profile.pk, "action": "publish"}, POST_ONLY),
    "profiles:clearance_decide": (
        lambda w: {"pk": w.profile.pk, "clearance_pk": w.profile.pk},
        POST_ONLY,
    ),
    "profiles:override": (lambda w: {"pk": w.profile.pk}, POST_ONLY),
    "profiles:draft": (lambda w: {"pk": w.profile.pk}, DRAFT_READERS),
    "profiles:version_detail": (lambda w: {"pk": w.profile.pk, "number": 1}, MEMBERS),
    # The world has no street crime, so its profile has no figures: nobody finds one.
    "profiles:figure": (
        lambda w: {"pk": w.profile.pk, "ref": "1", "name": "map"},
        expect(owner=404, team=404, outsider=404, admin=404),
    ),
    "profiles:download": (lambda w: {"pk": w.profile.pk, "ref": "1", "fmt": "docx"}, MEMBERS),
    # Members without the draft have one version only: they are sent back to the profile.
    "profiles:compare": (
        lambda w: {"pk": w.profile.pk},
        expect(owner=200, team=302, analyst=200, outsider=404, admin=404),
    ),
    "sharing:shared_with_me": (lambda w: {}, ANY_SIGNED_IN),
    "sharing:sharing": (lambda w: {"pk": w.profile.pk}, CONTRIBUTE),
    "sharing:share_step": (
        lambda w: {"pk": w.profile.pk, "request_pk": w.share.pk, "step": "agree"},
        POST_ONLY,
    ),
    "sharing:standing_add": (lambda w: {"pk": w.profile.pk}, POST_ONLY),
    "sharing:standing_remove": (
        lambda w: {"pk": w.profile.pk, "standing_pk": w.share.pk},
        POST_ONLY,
    ),
    "sharing:feedback": (lambda w: {"pk": w.profile.pk, "number": 1}, MEMBERS),
    "sharing:feedback_answer": (
        lambda w: {"pk": w.profile.pk, "number": 1, "feedback_pk": w.feedback.pk},
        POST_ONLY,
    ),
    "sharing:foi": (lambda w: {"pk": w.profile.pk}, PRODUCERS),
    "sharing:foi_decide": (lambda w: {"pk": w.profile.pk, "foi_pk": w.foi.pk}, POST_ONLY),
    # The 4P plan: every member reads it (readers and the PCC's office too).
    "actions:plan": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "actions:from_profile": (
        lambda w: {"slug": w.partnership.slug, "profile_pk": w.profile.pk},
        POST_ONLY,
    ),
    "actions:export": (lambda w: {"slug": w.partnership.slug, "fmt": "xlsx"}, MEMBERS),
    "actions:import": (lambda w: {"slug": w.partnership.slug}, POST_ONLY),
    "actions:meeting": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "actions:dashboard": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "actions:dashboard_csv": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "actions:disruptions": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "actions:my_actions": (lambda w: {}, ANY_SIGNED_IN),
    "actions:action_detail": (lambda w: {"pk": w.action.pk}, MEMBERS),
    "actions:milestone_add": (lambda w: {"pk": w.action.pk}, POST_ONLY),
    "actions:milestone_done": (
        lambda w: {"pk": w.action.pk, "milestone_pk": w.action.milestones.get().pk},
        POST_ONLY,
    ),
    "actions:progress_add": (lambda w: {"pk": w.action.pk}, POST_ONLY),
    "actions:meeting_record": (lambda w: {"pk": w.meeting.pk}, MEMBERS),
    # The OCG register is its agency's alone (the world's group is the force's); any person
    # with an organisation has a register of their own. Joint operations: the force leads
    # the world's operation, the council takes part.
    "ocgs:group_list": (lambda w: {}, WITH_ORGANISATION),
    "ocgs:priorities": (lambda w: {}, WITH_ORGANISATION),
    "ocgs:priorities_csv": (lambda w: {}, WITH_ORGANISATION),
    "ocgs:group_detail": (lambda w: {"pk": _ocg(w).pk}, FORCE_ONLY),
    "ocgs:group_score": (lambda w: {"pk": _ocg(w).pk}, FORCE_ONLY),
    "ocgs:group_actions": (lambda w: {"pk": _ocg(w).pk}, POST_ONLY),
    "ocgs:member_add": (lambda w: {"pk": _ocg(w).pk}, POST_ONLY),
    "ocgs:member_detail": (lambda w: {"pk": _ocg(w).pk, "member_pk": _ocg_member(w)}, FORCE_ONLY),
    "ocgs:member_score": (lambda w: {"pk": _ocg(w).pk, "member_pk": _ocg_member(w)}, FORCE_ONLY),
    "ocgs:member_remove": (lambda w: {"pk": _ocg(w).pk, "member_pk": _ocg_member(w)}, POST_ONLY),
    "ocgs:association_add": (lambda w: {"pk": _ocg(w).pk}, POST_ONLY),
    "ocgs:association_remove": (
        lambda w: {"pk": _ocg(w).pk, "association_pk": _ocg_link(w)},
        POST_ONLY,
    ),
    "ocgs:network": (lambda w: {"pk": _ocg(w).pk}, FORCE_ONLY),
    "ocgs:network_export": (lambda w: {"pk": _ocg(w).pk, "fmt": "graphml"}, FORCE_ONLY),
    "ocgs:operation_list": (lambda w: {}, WITH_ORGANISATION),
    "ocgs:operation_detail": (lambda w: {"pk": _operation(w).pk}, MEMBERS),
    "ocgs:participant_add": (lambda w: {"pk": _operation(w).pk}, POST_ONLY),
    "ocgs:participant_remove": (
        lambda w: {"pk": _operation(w).pk, "participant_pk": _operation(w).participants.first().pk},
        POST_ONLY,
    ),
    "ocgs:outcome_add": (lambda w: {"pk": _operation(w).pk}, POST_ONLY),
    "ocgs:outcome_remove": (
        lambda w: {"pk": _operation(w).pk, "outcome_pk": _operation(w).outcomes.first().pk},
        POST_ONLY,
    ),
    "ocgs:operation_summary": (lambda w: {"pk": _operation(w).pk}, MEMBERS),
    "ocgs:operation_summary_csv": (lambda w: {"pk": _operation(w).pk}, MEMBERS),
    # GAIN: each agency sees its own holdings (the world's holding and disclosure request
    # are the force's); hit/no-hit requests and joint work are for coordinators (a ROCU's
    # people, none of the personas: the world's request is another coordinator's).
    "gain:overview": (lambda w: {}, WITH_ORGANISATION),
    "gain:holdings": (lambda w: {}, WITH_ORGANISATION),
    "gain:holding_detail": (lambda w: {"pk": _gain(w)["holding"].pk}, FORCE_ONLY),
    "gain:requests": (lambda w: {}, COORDINATORS_ONLY),
    "gain:request_new": (lambda w: {}, COORDINATORS_ONLY),
    "gain:request_detail": (lambda w: {"pk": _gain(w)["request"].pk}, COORDINATORS_ONLY),
    "gain:disclosures": (lambda w: {}, WITH_ORGANISATION),
    "gain:disclosure_detail": (lambda w: {"pk": _gain(w)["disclosure"].pk}, FORCE_ONLY),
    "gain:joint_work": (lambda w: {}, COORDINATORS_ONLY),
    # The public self-assessment: no sign-in. Without answers, the later steps send the
    # visitor back to the first unanswered question (or the start, for the result).
    "selfassessment:start": (lambda w: {}, PUBLIC),
    "selfassessment:question": (lambda w: {"key": _first_question()}, PUBLIC),
    "selfassessment:area": (lambda w: {}, BACK_TO_START),
    "selfassessment:check": (lambda w: {}, BACK_TO_START),
    "selfassessment:result": (lambda w: {}, BACK_TO_START),
    # Its results are for the partnership's members; owners and authors set the districts.
    "selfassessment:results": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "selfassessment:results_csv": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "selfassessment:chart": (
        lambda w: {"slug": w.partnership.slug, "code": w.partnership.slug, "fmt": "svg"},
        MEMBERS,
    ),
    "selfassessment:districts": (lambda w: {"slug": w.partnership.slug}, PRODUCERS),
    # Referrals: the world's referral is the council's (the member's organisation; the
    # reader is read-only), triaged; the owner and the analyst are the coordinators.
    "referrals:list": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "referrals:new": (lambda w: {"slug": w.partnership.slug}, CONTRIBUTE),
    "referrals:export": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "referrals:counts": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "referrals:counts_csv": (lambda w: {"slug": w.partnership.slug}, MEMBERS),
    "referrals:detail": (lambda w: {"pk": _referral(w).pk}, REFERRAL_READERS),
    "referrals:triage": (lambda w: {"pk": _referral(w).pk}, {**REFERRAL_READERS, "member": 403}),
    "referrals:assign": (lambda w: {"pk": _referral(w).pk}, POST_ONLY),
    "referrals:close": (lambda w: {"pk": _referral(w).pk}, POST_ONLY),
    # The API's own URL patterns are checked operation by operation below.
    "api:openapi-json": (lambda w: {}, ANY_SIGNED_IN),
    "api:openapi-view": (lambda w: {}, ANY_SIGNED_IN),
}

# Pages that carry protectively marked content and so must show the banner twice.
MARKED = {
    "accounts:partnership_detail",
    "accounts:partnership_members",
    "accounts:partnership_positions",
    "accounts:membership_role",
    "accounts:membership_remove",
    "audit:partnership_audit",
    "datasets:partnership_datasets",
    "datasets:dataset_create",
    "datasets:dataset_detail",
    "datasets:dataset_edit",
    "datasets:file_detail",
    "datasets:file_delete",
    "morile:partnership_assessments",
    "morile:assessment_detail",
    "morile:my_scoring",
    "morile:issue_score",
    "morile:matrix",
    "profiles:partnership_profiles",
    "profiles:profile_detail",
    "profiles:commissioning",
    "profiles:section_edit",
    "profiles:draft",
    "profiles:version_detail",
    "profiles:compare",
    "sharing:sharing",
    "sharing:feedback",
    "sharing:foi",
    "actions:plan",
    "actions:action_detail",
    "actions:meeting",
    "actions:meeting_record",
    "actions:dashboard",
    "actions:disruptions",
    "ocgs:group_list",
    "ocgs:priorities",
    "ocgs:group_detail",
    "ocgs:group_score",
    "ocgs:member_detail",
    "ocgs:member_score",
    "ocgs:network",
    "ocgs:operation_list",
    "ocgs:operation_detail",
    "ocgs:operation_summary",
    "gain:holdings",
    "gain:holding_detail",
    "gain:disclosure_detail",
    "selfassessment:results",
    "selfassessment:districts",
    "referrals:list",
    "referrals:new",
    "referrals:detail",
    "referrals:triage",
    "referrals:counts",
}

API_READ_OPEN = expect(owner=200, team=200, outsider=200, admin=200, anonymous=401, unverified=401)
API_MEMBERS = expect(owner=200, team=200, outsider=404, admin=404, anonymous=401, unverified=401)
API_WITH_ORGANISATION = {**API_READ_OPEN, "admin": 404}
API_COORDINATORS_ONLY = expect(owner=404, team=404, outsider=404, admin=404, anonymous=401,
                               unverified=401)  # fmt: skip
API_FORCE_ONLY = {**API_MEMBERS, "member": 404, "reader": 404}
# The referral's coordinators act; its referrer may read it but not act (403); the
# council's reader and everyone else do not see it (404).
API_COORDINATE = {**API_MEMBERS, "member": 403, "reader": 404}
OCG_TACTICAL = {"physical": 4, "psychological": 2, "financial": 2, "community": 1,
                "environment": 0, "geographic_scope": 2, "victim_vulnerability": 3,
                "confidence": 2}  # fmt: skip


def _api_write(success: int) -> dict[str, Any]:
    return expect(owner=success, team=403, outsider=404, admin=404, anonymous=401, unverified=401)


# (method, OpenAPI path) -> (path parameters, JSON body, expected status per persona)
API: dict[tuple[str, str], tuple[Callable[[World], dict[str, Any]], Any, dict[str, Any]]] = {
    ("get", "/api/me"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/organisations"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/organisations/{organisation_id}"): (
        lambda w: {"organisation_id": w.council.pk},
        None,
        API_READ_OPEN,
    ),
    ("get", "/api/areas"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/areas/{area_id}"): (
        lambda w: {"area_id": w.partnership.area_id},
        None,
        API_READ_OPEN,
    ),
    ("get", "/api/partnerships"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/partnerships/{slug}"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/partnerships/{slug}/memberships"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/partnerships/{slug}/memberships"): (
        lambda w: {"slug": w.partnership.slug},
        {"username": "newcomer", "role": "reader"},
        _api_write(201),
    ),
    ("patch", "/api/partnerships/{slug}/memberships/{membership_id}"): (
        lambda w: {"slug": w.partnership.slug, "membership_id": _reader_membership(w)},
        {"role": "member"},
        _api_write(200),
    ),
    ("delete", "/api/partnerships/{slug}/memberships/{membership_id}"): (
        lambda w: {"slug": w.partnership.slug, "membership_id": _reader_membership(w)},
        None,
        _api_write(204),
    ),
    ("get", "/api/datasets"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/datasets/{dataset_id}"): (
        lambda w: {"dataset_id": w.dataset.pk},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/datasets/{dataset_id}/files"): (
        lambda w: {"dataset_id": w.dataset.pk},
        "multipart",
        {**_api_write(202), "analyst": 202, "member": 202},
    ),
    ("get", "/api/files/{file_id}"): (lambda w: {"file_id": w.data_file.pk}, None, API_MEMBERS),
    ("get", "/api/feeds"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/morile/models"): (lambda w: {}, None, API_READ_OPEN),
    # The world's partnership has no street crime: members are told so (400).
    ("get", "/api/partnerships/{slug}/analysis"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        {**API_MEMBERS, "owner": 400, "reader": 400, "analyst": 400, "member": 400},
    ),
    ("get", "/api/partnerships/{slug}/analysis/{analysis_id}/hotspots"): (
        lambda w: {"slug": w.partnership.slug, "analysis_id": _analysis(w)},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/assessments"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/assessments/{assessment_id}"): (
        lambda w: {"assessment_id": w.assessment.pk},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/assessments/{assessment_id}/issues"): (
        lambda w: {"assessment_id": w.assessment.pk},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/assessments/{assessment_id}/grading"): (
        lambda w: {"assessment_id": w.assessment.pk},
        None,
        API_MEMBERS,
    ),
    # The world's assessment is scoring: managers are told the multipliers are fixed (400).
    ("put", "/api/assessments/{assessment_id}/grading"): (
        lambda w: {"assessment_id": w.assessment.pk},
        {"points": {"2": 0.7}},
        {**_api_write(400), "analyst": 400},
    ),
    ("get", "/api/assessments/{assessment_id}/ranking"): (
        lambda w: {"assessment_id": w.assessment.pk},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/assessments/{assessment_id}/scores"): (
        lambda w: {"assessment_id": w.assessment.pk},
        None,
        {**API_MEMBERS, "owner": 403, "reader": 403},
    ),
    ("put", "/api/assessments/{assessment_id}/issues/{issue_id}/score"): (
        lambda w: {"assessment_id": w.assessment.pk, "issue_id": w.issue.pk},
        {
            "values": {
                "individual": 4,
                "community": 4,
                "public_expectation": 8,
                "environmental": 0,
                "financial": 2,
                "organisational": 4,
                "organisational_economic": 4,
                "frequency": 0.5,
                "volume": 3,
                "confidence": 3,
                "capacity": 3,
                "capability": 2,
            }
        },
        {**API_MEMBERS, "owner": 403, "reader": 403},
    ),
    ("get", "/api/partnerships/{slug}/profiles"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/partnerships/{slug}/profiles"): (
        lambda w: {"slug": w.partnership.slug},
        {"title": "API profile", "period_start": "2022-01", "period_end": "2022-03"},
        _api_write(201),
    ),
    ("get", "/api/profiles/{profile_id}"): (
        lambda w: {"profile_id": w.profile.pk},
        None,
        API_MEMBERS,
    ),
    # The world's profile is in production: publishing now is refused with a reason (400).
    ("post", "/api/profiles/{profile_id}/transitions"): (
        lambda w: {"profile_id": w.profile.pk},
        {"action": "publish"},
        {**_api_write(400)},
    ),
    ("put", "/api/profiles/{profile_id}/sections/{key}"): (
        lambda w: {"profile_id": w.profile.pk, "key": "summary"},
        {"narrative": "<p>Changed.</p>"},
        {**_api_write(200), "analyst": 200},
    ),
    ("get", "/api/profiles/{profile_id}/clearances"): (
        lambda w: {"profile_id": w.profile.pk},
        None,
        {**API_MEMBERS, "member": 403, "reader": 403},
    ),
    ("put", "/api/profiles/{profile_id}/clearances/{clearance_id}"): (
        lambda w: {"profile_id": w.profile.pk, "clearance_id": w.profile.pk},
        {"cleared": True},
        {**API_MEMBERS, "owner": 404, "analyst": 404, "member": 404, "reader": 404},
    ),
    ("get", "/api/profiles/{profile_id}/versions"): (
        lambda w: {"profile_id": w.profile.pk},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/profiles/{profile_id}/versions/{number}"): (
        lambda w: {"profile_id": w.profile.pk, "number": 1},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/profiles/{profile_id}/share-requests"): (
        lambda w: {"profile_id": w.profile.pk},
        None,
        {**API_MEMBERS, "reader": 403},
    ),
    ("post", "/api/profiles/{profile_id}/share-requests"): (
        lambda w: {"profile_id": w.profile.pk},
        {
            "recipient": "outsider",
            "recipient_kind": "other_force",
            "rationale": "A joint operation across the border.",
        },
        {**_api_write(201), "analyst": 201, "member": 201},
    ),
    # The world's request waits for the owner: only the profile's owner agrees.
    ("post", "/api/profiles/{profile_id}/share-requests/{request_id}/steps"): (
        lambda w: {"profile_id": w.profile.pk, "request_id": w.share.pk},
        {"step": "agree"},
        {**_api_write(200), "reader": 404},
    ),
    ("get", "/api/profiles/{profile_id}/versions/{number}/feedback"): (
        lambda w: {"profile_id": w.profile.pk, "number": 1},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/profiles/{profile_id}/versions/{number}/feedback"): (
        lambda w: {"profile_id": w.profile.pk, "number": 1},
        {"section": "summary", "text": "The summary is clear and useful."},
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 201, "reader": 201},
    ),
    # The reader wrote the world's feedback: they see it but only owners answer; other
    # members do not see it at all.
    ("post", "/api/profiles/{profile_id}/versions/{number}/feedback/{feedback_id}/answer"): (
        lambda w: {"profile_id": w.profile.pk, "number": 1, "feedback_id": w.feedback.pk},
        {"answer": "Added to the next version, thank you."},
        {**_api_write(200), "member": 404},
    ),
    ("get", "/api/profiles/{profile_id}/foi"): (
        lambda w: {"profile_id": w.profile.pk},
        None,
        {**API_MEMBERS, "member": 403, "reader": 403},
    ),
    ("post", "/api/profiles/{profile_id}/foi"): (
        lambda w: {"profile_id": w.profile.pk},
        {
            "reference": "FOI-0002",
            "received_on": "2026-11-30",
            "summary": "The number of NRM referrals in the area.",
        },
        {**_api_write(201), "analyst": 201},
    ),
    ("get", "/api/partnerships/{slug}/actions"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/partnerships/{slug}/actions"): (
        lambda w: {"slug": w.partnership.slug},
        {"strand": "pursue", "recommendation": "Disrupt the groups in two markets."},
        {**_api_write(201), "analyst": 201},
    ),
    ("get", "/api/actions/{action_id}"): (lambda w: {"action_id": w.action.pk}, None, API_MEMBERS),
    # The council owns the world's action: its member reports progress; readers cannot.
    ("post", "/api/actions/{action_id}/progress"): (
        lambda w: {"action_id": w.action.pk},
        {"status": "on_track", "text": "Started as planned with the schools."},
        {**API_MEMBERS, "reader": 403},
    ),
    ("post", "/api/actions/{action_id}/milestones"): (
        lambda w: {"action_id": w.action.pk},
        {"text": "Pilot in two schools", "due_on": "2027-05-01"},
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 201, "reader": 403},
    ),
    ("get", "/api/partnerships/{slug}/disruptions"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    # The member records for their own agency (the council); readers do not record.
    ("post", "/api/partnerships/{slug}/disruptions"): (
        lambda w: {"slug": w.partnership.slug},
        {"power": "cpw", "agency": "Test Council", "occurred_on": "2026-11-01", "count": 3},
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 201, "reader": 403},
    ),
    ("get", "/api/partnerships/{slug}/delivery"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    # The OCG register: the force's group is the force's alone; everyone with an
    # organisation keeps a register of their own (the import names the force's nominal,
    # which other agencies are told they do not hold, in the words used for a missing one).
    ("get", "/api/gain/holdings"): (lambda w: {}, None, API_WITH_ORGANISATION),
    ("post", "/api/gain/holdings"): (
        lambda w: {},
        {"kind": "person", "rows": [{"reference": "API-1", "surname": "Example"}]},
        {
            **API_WITH_ORGANISATION,
            "owner": 201,
            "analyst": 201,
            "member": 201,
            "reader": 201,
            "outsider": 201,
        },
    ),
    ("get", "/api/gain/requests"): (lambda w: {}, None, API_COORDINATORS_ONLY),
    ("post", "/api/gain/requests"): (
        lambda w: {},
        {"kind": "person", "subject": {"surname": "Example"}, "purpose": "A URL walk check."},
        API_COORDINATORS_ONLY,
    ),
    ("get", "/api/gain/requests/{request_id}"): (
        lambda w: {"request_id": _gain(w)["request"].pk},
        None,
        API_COORDINATORS_ONLY,
    ),
    ("post", "/api/gain/requests/{request_id}/disclosures"): (
        lambda w: {"request_id": _gain(w)["request"].pk},
        {
            "organisation": "00000000-0000-0000-0000-000000000000",
            "purpose": "x",
            "legal_gateway": "y",
        },
        API_COORDINATORS_ONLY,
    ),
    ("get", "/api/gain/disclosures"): (lambda w: {}, None, API_WITH_ORGANISATION),
    ("post", "/api/gain/disclosures/{disclosure_id}/decision"): (
        lambda w: {"disclosure_id": _gain(w)["disclosure"].pk},
        {"approve": False, "shared": "Declined: not proportionate."},
        API_FORCE_ONLY,
    ),
    ("get", "/api/gain/joint-work"): (lambda w: {}, None, API_COORDINATORS_ONLY),
    ("get", "/api/ocgs"): (lambda w: {}, None, API_WITH_ORGANISATION),
    ("post", "/api/ocgs"): (
        lambda w: {},
        {"reference": "URL-NEW-1", "band": "2A"},
        {
            **API_WITH_ORGANISATION,
            "owner": 201,
            "analyst": 201,
            "member": 201,
            "reader": 201,
            "outsider": 201,
        },
    ),
    ("post", "/api/ocgs/import"): (
        lambda w: _ocg_exists(w),
        {"rows": [{"group_ref": "URL-OCG-2", "member_ref": "URL-P1", "band": "3C"}]},
        {**API_WITH_ORGANISATION, "member": 400, "reader": 400, "outsider": 400},
    ),
    ("get", "/api/ocgs/priorities"): (lambda w: {}, None, API_WITH_ORGANISATION),
    ("get", "/api/ocgs/{group_id}"): (lambda w: {"group_id": _ocg(w).pk}, None, API_FORCE_ONLY),
    ("put", "/api/ocgs/{group_id}/tactical-score"): (
        lambda w: {"group_id": _ocg(w).pk},
        {"answers": OCG_TACTICAL},
        API_FORCE_ONLY,
    ),
    ("post", "/api/ocgs/{group_id}/members"): (
        lambda w: {"group_id": _ocg(w).pk},
        {"nominal": "URL-P3", "role": "associate"},
        {**API_FORCE_ONLY, "owner": 201, "analyst": 201},
    ),
    ("put", "/api/ocgs/{group_id}/members/{member_id}/tactical-score"): (
        lambda w: {"group_id": _ocg(w).pk, "member_id": _ocg_member(w)},
        {"answers": OCG_TACTICAL},
        API_FORCE_ONLY,
    ),
    ("post", "/api/ocgs/{group_id}/associations"): (
        lambda w: {"group_id": _ocg(w).pk},
        {"left": "URL-P2", "right": "URL-P3", "kind": "business"},
        {**API_FORCE_ONLY, "owner": 201, "analyst": 201},
    ),
    ("get", "/api/ocgs/{group_id}/network"): (
        lambda w: {"group_id": _ocg(w).pk},
        None,
        API_FORCE_ONLY,
    ),
    # Joint operations: the force leads the world's operation; the council takes part and
    # records its own results; only the lead adds agencies.
    ("get", "/api/operations"): (lambda w: {}, None, API_WITH_ORGANISATION),
    ("post", "/api/operations"): (
        lambda w: {},
        {"name": "Op Walk", "planned_on": "2027-01-15"},
        {
            **API_WITH_ORGANISATION,
            "owner": 201,
            "analyst": 201,
            "member": 201,
            "reader": 201,
            "outsider": 201,
        },
    ),
    ("get", "/api/operations/{operation_id}"): (
        lambda w: {"operation_id": _operation(w).pk},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/operations/{operation_id}/participants"): (
        lambda w: {"operation_id": _operation(w).pk},
        {"organisation": "Other Police", "powers": "Vehicle checks"},
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 403, "reader": 403},
    ),
    ("post", "/api/operations/{operation_id}/outcomes"): (
        lambda w: {"operation_id": _operation(w).pk},
        {"measure": "arrests", "quantity": 2},
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 201, "reader": 201},
    ),
    ("get", "/api/operations/{operation_id}/summary"): (
        lambda w: {"operation_id": _operation(w).pk},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/profiles/{profile_id}/foi/{foi_id}/decision"): (
        lambda w: {"profile_id": w.profile.pk, "foi_id": w.foi.pk},
        {
            "decision": "withheld",
            "exemptions": ["s31"],
            "reasoning": "Disclosure would prejudice the prevention of crime.",
        },
        {**_api_write(200), "member": 404, "reader": 404},
    ),
    ("get", "/api/self-assessment/model"): (lambda w: {}, None, API_READ_OPEN),
    ("get", "/api/partnerships/{slug}/self-assessment"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    # Referrals: in this order, so the world's referral is triaged, assigned, then closed.
    ("get", "/api/partnerships/{slug}/referrals"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("post", "/api/partnerships/{slug}/referrals"): (
        lambda w: {"slug": w.partnership.slug},
        {
            "category": "premises",
            "where": "DH1",
            "description": "A flat visited late at night; a neighbour fears it is cuckooed.",
        },
        {**API_MEMBERS, "owner": 201, "analyst": 201, "member": 201, "reader": 403},
    ),
    ("get", "/api/partnerships/{slug}/referrals/counts"): (
        lambda w: {"slug": w.partnership.slug},
        None,
        API_MEMBERS,
    ),
    ("get", "/api/referrals/{referral_id}"): (
        lambda w: {"referral_id": _referral(w).pk},
        None,
        {**API_MEMBERS, "reader": 404},
    ),
    ("post", "/api/referrals/{referral_id}/triage"): (
        lambda w: {"referral_id": _referral(w).pk},
        {"answers": OCG_TACTICAL, "rating": "medium"},
        API_COORDINATE,
    ),
    ("post", "/api/referrals/{referral_id}/assign"): (
        lambda w: {"referral_id": _referral(w).pk},
        {"owner_agency": "Test Council", "route": "op_signature"},
        API_COORDINATE,
    ),
    ("post", "/api/referrals/{referral_id}/close"): (
        lambda w: {"referral_id": _referral(w).pk},
        {"outcome": "safeguarded", "notes": "Visited with the bank; card stopped."},
        API_COORDINATE,
    ),
}


def _analysis(world: World) -> Any:
    """A stored analysis of the world's partnership, from a small synthetic grid."""
    from shapely.geometry import box

    from socprofiles.analysis.engine import report
    from socprofiles.analysis.engine.stats import Period
    from socprofiles.analysis.models import AnalysisResult

    found = AnalysisResult.objects.filter(partnership=world.partnership).first()
    if found is not None:
        return found.pk
    codes = [f"E0100{i:04d}" for i in range(25)]
    geometries = {c: box(i % 5, i // 5, i % 5 + 1, i // 5 + 1) for i, c in enumerate(codes)}
    crimes = pd.DataFrame(
        [
            {"month": "2022-02", "lsoa_code": c, "crime_type": "Drugs"}
            for c in codes[:8]
            for _ in range(3)
        ]
    )
    inputs = report.Inputs(
        crimes=crimes,
        population=dict.fromkeys(codes, 1500),
        deprivation=pd.DataFrame({"lsoa_code": codes, "imd_decile": 1, "crime_decile": 2}),
        geometries=geometries,
        available_months={"2022-01", "2022-02"},
    )
    result = report.analyse(inputs, Period("2022-02", "2022-02"), permutations=99)
    return AnalysisResult.objects.create(
        partnership=world.partnership, area=world.partnership.area, period_start="2022-02",
        period_end="2022-02", data_version="test", result=result,
    ).pk  # fmt: skip


def _first_question() -> str:
    from socprofiles.selfassessment.scoring import default_model

    return default_model().question_keys[0]


def _referral(world: World) -> Any:
    """The council's referral (made by the member), triaged by the owner."""
    from socprofiles.referrals import services as referrals
    from socprofiles.referrals.models import Referral

    found = Referral.objects.filter(partnership=world.partnership, reference="REF-0001").first()
    if found is not None:
        return found
    referral = referrals.referral_submit(
        actor=world.member, partnership=world.partnership, category="fraud_victim",
        where="DH1", description="An older man is being pressed by phone to buy gift cards.",
    )  # fmt: skip
    return referrals.referral_triage(actor=world.owner, referral=referral, answers=OCG_TACTICAL)


def _reader_membership(world: World) -> Any:
    return PartnershipMembership.objects.get(partnership=world.partnership, user=world.reader).pk


def _ocg(world: World) -> Any:
    """The force's group with two of its nominals as members, linked; a third nominal
    not yet in it. Made once per world, by the services as the platform."""
    from socprofiles.gain.models import Holding
    from socprofiles.ocgs import services as ocgs
    from socprofiles.ocgs.models import Group

    found = Group.objects.filter(organisation=world.force, reference="URL-OCG-1").first()
    if found is not None:
        return found
    people = [
        Holding.objects.create(organisation=world.force, kind="person", reference=f"URL-P{i}",
                               values={"surname": f"Walker{i}"})
        for i in (1, 2, 3)
    ]  # fmt: skip
    group = ocgs.group_create(actor=None, organisation=world.force, reference="URL-OCG-1")
    for person, role in zip(people[:2], ("principal", "member"), strict=True):
        ocgs.member_add(actor=None, group=group, nominal=person, role=role)
    ocgs.association_add(actor=None, group=group, left=people[0], right=people[1], kind="family")
    return group


def _ocg_exists(world: World) -> dict[str, Any]:
    """No path parameters; the force's group and nominals exist first."""
    _ocg(world)
    return {}


def _ocg_member(world: World) -> Any:
    return _ocg(world).members.get(nominal__reference="URL-P1").pk


def _ocg_link(world: World) -> Any:
    from socprofiles.ocgs.models import Association

    _ocg(world)
    return Association.objects.filter(organisation=world.force).first().pk


def _operation(world: World) -> Any:
    """A joint operation the force leads with the council taking part, a council result."""
    import datetime as dt

    from socprofiles.ocgs import services as ocgs
    from socprofiles.ocgs.models import JointOperation

    found = JointOperation.objects.filter(name="Op URL walk").first()
    if found is not None:
        return found
    operation = ocgs.operation_create(actor=None, lead_organisation=world.force,
                                      name="Op URL walk", planned_on=dt.date(2027, 1, 10))  # fmt: skip
    ocgs.participant_add(actor=None, operation=operation, organisation=world.council)
    ocgs.outcome_record(actor=None, operation=operation, organisation=world.council,
                        measure="notices_served", quantity=3)  # fmt: skip
    return operation


def _gain(world: World) -> dict[str, Any]:
    """The force's and the council's holdings of one person, a coordinator (of a ROCU, not
    a persona) who asked who holds them, and a disclosure request to the force."""
    from socprofiles.accounts.models import OrganisationKind
    from socprofiles.accounts.tests.factories import OrganisationFactory, UserFactory
    from socprofiles.gain import services as gain
    from socprofiles.gain.models import Disclosure, HitRequest, Holding

    found = Disclosure.objects.filter(legal_gateway="URL walk gateway").first()
    if found is not None:
        holding = Holding.objects.get(organisation=world.force, reference="URL-G1")
        return {"holding": holding, "request": found.request, "disclosure": found}
    person = {"first_name": "Avery", "surname": "Quint", "dob": "1980-05-06"}
    for org, ref in ((world.force, "URL-G1"), (world.council, "URL-G2")):
        Holding.objects.create(organisation=org, kind="person", reference=ref, values=person,
                               cleaned={**person, "first_name": "avery", "surname": "quint",
                                        "postcode": None, "phone": None})  # fmt: skip
    rocu = OrganisationFactory(name="URL ROCU", kind=OrganisationKind.ROCU)
    coordinator = UserFactory(username="url-coordinator", organisation=rocu)
    coordinator.is_verified = lambda: True
    # The answers as the engine gives them (its behaviour is tested in the gain app).
    request = HitRequest.objects.create(
        coordinator=coordinator, kind="person", subject=person, purpose="URL walk",
        answers=[{"organisation": org.name, "organisation_id": str(org.pk), "hit": True,
                  "confidence": 0.99} for org in (world.force, world.council)],
    )  # fmt: skip
    disclosure = gain.disclosure_request(
        actor=coordinator, request=request, organisation=world.force, purpose="URL walk check",
        legal_gateway="URL walk gateway",
    )  # fmt: skip
    holding = Holding.objects.get(organisation=world.force, reference="URL-G1")
    return {"holding": holding, "request": request, "disclosure": disclosure}


def _walk(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def _all_routes() -> list[tuple[str, str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if persona == "unverified":
        # Password accepted, second factor not yet given.
        TOTPDevice.objects.get_or_create(user=world.member, name="app", confirmed=True)
        client.force_login(world.member)
        return client
    return sign_in(client, getattr(world, persona))


def _check(response: Any, expected: Any, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{label}: {response.status_code}"
        assert urlsplit(response["Location"]).path == reverse("accounts:login"), label
    elif expected == TWO_FACTOR:
        assert response.status_code == 302, f"{label}: {response.status_code}"
        assert urlsplit(response["Location"]).path.startswith("/accounts/two-factor/"), label
    else:
        assert response.status_code == expected, f"{label}: got {response.status_code}"


INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(rb"<style\b|\sstyle=\"")


def _check_html(response: Any, name: str, label: str) -> None:
    assert "Content-Security-Policy" in response, label
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], label
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content
    assert not INLINE_SCRIPT.search(body), f"{label}: inline script"
    assert not INLINE_STYLE.search(body), f"{label}: inline style"
    banners = body.count(b"data-classification=")
    if name in MARKED:
        assert banners == 2, f"{label}: {banners} classification banners, expected top and bottom"


def test_every_route_is_declared() -> None:
    names = {name for name, _, _ in _all_routes()}
    app_names = {n for n in names if not n.startswith(("admin:", "api:"))}
    missing = app_names - set(PAGES)
    assert not missing, f"routes without an access expectation: {sorted(missing)}"
    stale = set(PAGES) - names
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_as_declared(world: World, persona: str) -> None:
    client = _client(world, persona)
    for name, (kwargs, expected) in PAGES.items():
        url = reverse(name, kwargs=kwargs(world))
        response = client.get(url)
        label = f"{persona} GET {url}"
        _check(response, expected[persona], label)
        if response.status_code == 200:
            _check_html(response, name, label)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_answers_each_persona_as_declared(world: World, persona: str) -> None:
    from socprofiles.accounts.tests.factories import UserFactory

    schema_client = _client(world, "owner")
    schema = schema_client.get("/api/openapi.json").json()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations == set(API), (
        f"API operations without an access expectation: {sorted(operations - set(API))}; "
        f"stale: {sorted(set(API) - operations)}"
    )
    UserFactory(username="newcomer", organisation=world.council)
    client = _client(world, persona)
    # Writes need the CSRF cookie for sessions; the test client skips the check, and
    # test_session_writes_need_the_csrf_token proves it is enforced.
    for (method, path), (params, body, expected) in API.items():
        url = path.format(**params(world))
        sender = getattr(client, method)
        if body == "multipart":
            upload = SimpleUploadedFile(
                "counts.csv", b"Area code,Indicator,Value\nE06000047,Troubled families,12\n"
            )
            response = sender(url, data={"file": upload})
        elif body is not None:
            response = sender(url, data=json.dumps(body), content_type="application/json")
        else:
            response = sender(url)
        _check(response, expected[persona], f"{persona} {method.upper()} {url}")
        # Undo a successful write so every operation meets the same world.
        if response.status_code in (200, 201, 204) and method != "get":
            PartnershipMembership.objects.filter(user__username="newcomer").delete()
            PartnershipMembership.objects.update_or_create(
                partnership=world.partnership, user=world.reader, defaults={"role": "reader"}
            )


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_platform_administrators_only(world: World, persona: str) -> None:
    client = _client(world, persona)
    samples = {
        "object_id": str(world.owner.pk),
        "app_label": "accounts",
        "content_type_id": "1",
        "id": "1",
        # django-otp's device pages need a device that exists (its admin has no 404).
        "pk": str(
            TOTPDevice.objects.filter(user=world.admin).values_list("pk", flat=True).first() or 1
        ),
    }
    checked = 0
    for name, route, pattern in _all_routes():
        if not name.startswith("admin:"):
            continue
        params = pattern.pattern.regex.groupindex
        if pattern.name is None and "(?P<url>" in route:  # the admin's catch-all
            url = "/admin/no-such-page/"
        elif pattern.name is None:  # unnamed: the admin's redirect from <object_id>/
            url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], route)
        else:
            try:
                url = reverse(name, kwargs={p: samples[p] for p in params})
            except KeyError:
                pytest.fail(f"no sample value for a parameter of {name}: {list(params)}")
        response = client.get(url)
        label = f"{persona} GET {url}"
        if persona == "anonymous":
            _check(response, LOGIN, label)
        elif persona == "unverified":
            _check(response, TWO_FACTOR, label)
        elif persona == "admin":
            assert response.status_code < 500, label
        else:
            _check(response, 404, label)
        checked += 1
    assert checked > 20


def test_a_membership_cannot_be_reached_through_another_partnership(world: World) -> None:
    """IDs from one partnership used under another's address are simply not there."""
    foreign = PartnershipMembership.objects.get(user=world.outsider)
    client = _client(world, "owner")
    for name in ("accounts:membership_role", "accounts:membership_remove"):
        url = reverse(name, kwargs={"slug": world.partnership.slug, "pk": foreign.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"role": "reader"}).status_code == 404
    assert PartnershipMembership.objects.filter(pk=foreign.pk, role="owner").exists()


# The reader from outside with a time-limited grant (guide 4.46): what they may reach while
# the grant runs, and that it all disappears the day after it ends. Only the profile's
# pages and API concern them; everywhere else they are a signed-in person with no
# partnership.
GRANTEE_WHILE_GRANTED = {
    "profiles:profile_detail": 200,
    "profiles:version_detail": 200,
    "profiles:download": 200,
    "profiles:figure": 404,  # the world's profile has no figures
    "profiles:draft": 404,
    "profiles:compare": 302,  # one version: nothing to compare
    "profiles:commissioning": 403,
    "profiles:section_edit": 403,
    "profiles:partnership_profiles": 404,
    "profiles:reviews": 200,
    "sharing:shared_with_me": 200,
    "sharing:sharing": 403,
    "sharing:feedback": 200,
    "sharing:foi": 403,
}
GRANTEE_API_WHILE_GRANTED = {
    "/api/profiles/{profile_id}": 200,
    "/api/profiles/{profile_id}/versions": 200,
    "/api/profiles/{profile_id}/versions/{number}": 200,
    "/api/profiles/{profile_id}/versions/{number}/feedback": 200,
    "/api/profiles/{profile_id}/clearances": 403,
    "/api/profiles/{profile_id}/share-requests": 403,
    "/api/profiles/{profile_id}/foi": 403,
    "/api/partnerships/{slug}/profiles": 404,
}


def _grant(world: World, days: int) -> Any:
    import datetime as dt

    from django.utils import timezone

    from socprofiles.sharing import services as sharing

    share = world.share
    share.expires_on = timezone.localdate() + dt.timedelta(days=days)
    share.save()
    sharing.share_owner_decide(actor=world.owner, request=share, agree=True)
    return sharing.share_approve(actor=world.chair, request=share, approve=True)


@pytest.mark.parametrize("when", ["granted", "expired", "revoked"])
def test_a_time_limited_grant_opens_the_profile_until_it_ends(world: World, when: str) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from socprofiles.sharing import services as sharing

    share = _grant(world, days=10)
    travel = timezone.now() + (dt.timedelta(days=11) if when == "expired" else dt.timedelta(0))
    if when == "revoked":
        sharing.share_revoke(actor=world.owner, request=share, reason="The operation has ended.")
    with time_machine.travel(travel, tick=False):
        client = sign_in(Client(), world.grantee)  # a fresh session on the day
        for name, expected in GRANTEE_WHILE_GRANTED.items():
            url = reverse(name, kwargs=PAGES[name][0](world))
            if name not in ("profiles:reviews", "sharing:shared_with_me") and when != "granted":
                expected = 404  # after the grant: the profile does not exist for them
            response = client.get(url)
            assert response.status_code == expected, f"{when} grantee GET {url}"
            if name == "sharing:shared_with_me":
                listed = world.profile.title in response.content.decode()
                assert listed == (when == "granted"), f"{when}: listed={listed}"
        for path, expected in GRANTEE_API_WHILE_GRANTED.items():
            params = {"profile_id": world.profile.pk, "number": 1, "slug": world.partnership.slug}
            url = path.format(**params)
            if when != "granted" and "{slug}" not in path:
                expected = 404
            response = client.get(url)
            assert response.status_code == expected, f"{when} grantee GET {url}"
            if expected == 404:
                assert world.profile.title not in response.content.decode()
