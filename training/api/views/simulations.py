"""Scam simulations' results, aggregated: rates per simulation, per group and per day."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from training.api.serializers.simulations import SimulationOut, SimulationResultsOut
from training.api.views.base import OrganizationViewSet
from training.campaigns.models import Simulation
from training.campaigns.selectors import simulations as selectors


@extend_schema_view(
    list=extend_schema(summary="List scam simulations"),
    retrieve=extend_schema(summary="One scam simulation"),
)
@extend_schema(tags=["simulations"])
class SimulationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    serializer_class = SimulationOut
    queryset = Simulation.objects.none()  # for the schema only: get_queryset() is the gate
    ordering_fields = ["id", "created_at", "launched_at"]
    ordering = "id"

    def get_queryset(self):
        return selectors.simulations_of(self.membership).prefetch_related("groups")

    def get_object(self):
        return selectors.simulation_for(self.membership, self.kwargs["pk"])

    @extend_schema(
        summary="A simulation's click, submit and report rates, per group and per day",
        responses=SimulationResultsOut,
    )
    @action(detail=True, methods=["get"])
    def results(self, request, org=None, pk=None):
        simulation = self.get_object()
        results = selectors.results(simulation)
        return Response(
            SimulationResultsOut(
                {
                    "simulation": simulation,
                    "summary": results["summary"],
                    "groups": results["groups"],
                    "timeline": results["timeline"],
                }
            ).data
        )
