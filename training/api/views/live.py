"""Live quiz sessions hosted by the organisation's staff, and their results (nicknames only)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from training.api.serializers.live import LiveResultsOut, LiveSessionOut
from training.api.views.base import OrganizationViewSet
from training.live.models import LiveSession
from training.live.selectors import hosted_session_in, results_rows, sessions_hosted_in

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
FIXED_COLUMNS = 6  # rank, nickname, signed_in, score, correct, answered; then points


@extend_schema_view(list=extend_schema(summary="List live sessions"))
@extend_schema(tags=["live sessions"])
class LiveSessionViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = LiveSessionOut
    queryset = LiveSession.objects.none()  # for the schema only: get_queryset() is the gate
    role = "staff"
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = (
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    )
    ordering_fields = ["id", "created_at"]
    ordering = "id"

    def get_queryset(self):
        return sessions_hosted_in(self.membership)

    @extend_schema(summary="A live session's results, one row per player", responses=LiveResultsOut)
    @action(detail=True, methods=["get"])
    def results(self, request, org=None, id=None):
        session = hosted_session_in(self.membership, id)
        header, rows = results_rows(session)
        players = [
            {
                **dict(zip(header[:FIXED_COLUMNS], row[:FIXED_COLUMNS], strict=True)),
                "signed_in": row[2] == "yes",
                "points": [None if value == "" else value for value in row[FIXED_COLUMNS:]],
            }
            for row in rows
        ]
        return Response(LiveResultsOut({"session": session, "players": players}).data)
