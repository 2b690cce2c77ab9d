"""The read side's lazy pages: what a paginator counts and slices."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet


class ContractPage:
    """A lazy list of contracts a paginator can count and slice: the count is one query, and a
    page is one batch of queries whatever its size (`to_contracts` gets the page's rows at once,
    so it can fetch what they share in one go)."""

    def __init__(self, queryset: QuerySet, to_contracts: Callable[[list], list]) -> None:
        self._queryset = queryset
        self._to_contracts = to_contracts

    @classmethod
    def each(cls, queryset: QuerySet, to_contract: Callable[[Any], Any]) -> "ContractPage":
        """A page whose rows convert one by one, with nothing to fetch beside them."""
        return cls(queryset, lambda rows: [to_contract(row) for row in rows])

    @property
    def ordered(self) -> bool:
        return self._queryset.ordered

    def count(self) -> int:
        return self._queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self._to_contracts(list(self._queryset[item]))
        return self._to_contracts([self._queryset[item]])[0]

    def __iter__(self):
        return iter(self._to_contracts(list(self._queryset)))
