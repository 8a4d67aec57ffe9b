from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from socprofiles.accounts.models import (
    Area,
    AreaKind,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMembership,
    PartnershipOrganisation,
    PartnershipRole,
    User,
    VettingLevel,
)

TEST_PASSWORD = "correct-horse-battery-staple-42"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Test force area {n}")
    kind = AreaKind.FORCE_AREA
    code = factory.Sequence(lambda n: f"E2300{n:04d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    kind = OrganisationKind.POLICE_FORCE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    vetting_level = VettingLevel.NPPV2
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test SOC Partnership {n}")
    slug = factory.Sequence(lambda n: f"test-partnership-{n}")
    area = factory.SubFactory(AreaFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def lead_link(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            PartnershipOrganisation.objects.get_or_create(
                partnership=self, organisation=self.lead_organisation
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMembership
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    role = PartnershipRole.MEMBER

    @factory.post_generation
    def organisation_link(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and self.user.organisation_id:
            PartnershipOrganisation.objects.get_or_create(
                partnership=self.partnership, organisation_id=self.user.organisation_id
            )
