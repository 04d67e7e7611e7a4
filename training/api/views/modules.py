"""The catalogue, read through the same selectors as the pages: only current modules none of
whose material is hidden (consent withdrawn, removal requested), never above the caller's age."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from awareness.content.selectors import catalogue, module_for
from training.api.serializers.modules import ModuleOut, ModuleQuery
from training.api.views.base import parse
from training.people.models import MAX_AGE_RATING
from training.progress.learners import age_band_of


def _max_age_rating(request) -> int:
    return MAX_AGE_RATING[age_band_of(request)]


class ModuleViewSet(viewsets.ViewSet):
    """Anyone may read the catalogue; signed-in learners see what their age allows, anonymous
    callers what a 13-year-old may see."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(parameters=[ModuleQuery], responses=ModuleOut(many=True), tags=["modules"])
    def list(self, request):
        """Current modules in the request's language (Accept-Language), else English."""
        query = parse(ModuleQuery, request.query_params)
        modules = catalogue(
            language=get_language(), max_age_rating=_max_age_rating(request), **query
        )
        return Response(ModuleOut(modules, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern="^[-a-zA-Z0-9_]+$")
        ],
        responses=ModuleOut,
        tags=["modules"],
    )
    def retrieve(self, request, slug=None):
        module = module_for(slug, language=get_language(), max_age_rating=_max_age_rating(request))
        return Response(ModuleOut(module).data)
