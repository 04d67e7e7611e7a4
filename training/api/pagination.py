from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Stable pages over lists of any size: rows added meanwhile never shift a page."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"
