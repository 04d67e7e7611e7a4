from rest_framework import serializers
from rest_framework.fields import empty

MAX_ID = 2**63 - 1  # ids are 64-bit: a larger number can name nothing


def IdField(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class GivenInQuery:
    """A query parameter that is present is a value to validate, even when it is empty: DRF
    would otherwise treat `?name=` on an optional field as absent."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class QuerySlugField(GivenInQuery, serializers.SlugField):
    pass


class QueryChoiceField(GivenInQuery, serializers.ChoiceField):
    pass
