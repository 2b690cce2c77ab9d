from rest_framework import pagination, serializers

from bff.serializing import rendered_each


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def page_of(results: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a page of `results` (API.md's list shape), named after them: OrderOutput
    gives OrderPage."""
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": results(many=True),
    }
    return type(f"{results.__name__.removesuffix('Output')}Page", (serializers.Serializer,), fields)


def paginated(view, request, source, serializer_class: type[serializers.Serializer]) -> dict:
    """The JSON of the requested page of `source`, each row rendered by `serializer_class`."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(source, request, view=view)
    return paginator.get_paginated_response(rendered_each(serializer_class, page)).data
