from rest_framework import serializers

MAX_ID = 2**63 - 1  # ids are 64-bit: a larger number can name nothing


def IdField(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
