"""Campaigns: create, launch (now, or at a future start: scheduled), cancel, and progress."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from awareness.content.selectors import catalogue
from training.api.serializers.campaigns import CampaignIn, CampaignOut, CampaignProgressOut
from training.api.views.base import OrganizationViewSet, parse
from training.campaigns import selectors
from training.campaigns.models import Campaign
from training.campaigns.services import cancel_campaign, create_campaign, schedule_campaign
from training.people.selectors import groups_among


@extend_schema_view(
    list=extend_schema(summary="List campaigns"),
    retrieve=extend_schema(summary="One campaign"),
)
@extend_schema(tags=["campaigns"])
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    serializer_class = CampaignOut
    queryset = Campaign.objects.none()  # for the schema only: get_queryset() is the gate
    ordering_fields = ["id", "starts_at", "created_at"]
    ordering = "id"

    def get_queryset(self):
        return selectors.campaigns_of(self.membership)

    def get_object(self):
        return selectors.campaign_for(self.membership, self.kwargs["pk"])

    @extend_schema(
        summary="Create a draft campaign", request=CampaignIn, responses={201: CampaignOut}
    )
    def create(self, request, org=None):
        data = parse(CampaignIn, request.data)
        # The same choice of modules as the campaign page: any current, shown module.
        by_slug = {m.slug: m for m in catalogue(language=get_language(), max_age_rating=18)}
        unknown = [slug for slug in data["modules"] if slug not in by_slug]
        if unknown:
            raise serializers.ValidationError(
                {"modules": [_("No such module: %(slug)s") % {"slug": s} for s in unknown]}
            )
        data["modules"] = [by_slug[slug] for slug in dict.fromkeys(data["modules"])]
        data["groups"] = groups_among(self.membership, data["groups"])
        campaign = create_campaign(self.membership, **data)
        return Response(self._out(campaign), status=201)

    def _out(self, campaign) -> dict:
        """Read again through the gate, with what the output shows."""
        return CampaignOut(selectors.campaign_for(self.membership, campaign.pk)).data

    @extend_schema(
        summary="Launch a draft campaign",
        description="Launches now if its start has come; otherwise it is scheduled and "
        "launches at its start. The status says which.",
        request=None,
        responses=CampaignOut,
    )
    @action(detail=True, methods=["post"])
    def launch(self, request, org=None, pk=None):
        campaign = schedule_campaign(self.membership, self.get_object(), now=timezone.now())
        return Response(self._out(campaign))

    @extend_schema(summary="Cancel a campaign", request=None, responses=CampaignOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request, org=None, pk=None):
        campaign = cancel_campaign(self.membership, self.get_object())
        return Response(self._out(campaign))

    @extend_schema(
        summary="Progress of the campaign's latest run",
        description="All zero until the launch has enrolled people.",
        responses=CampaignProgressOut,
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, org=None, pk=None):
        progress = selectors.campaign_progress(self.get_object(), now=timezone.now())
        return Response(CampaignProgressOut(progress).data)
