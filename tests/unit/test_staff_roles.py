"""The role matrix of domain/roles.py: who may run which store operation."""

import pytest

from contexts.shared.domain.errors import PermissionDenied
from contexts.staff.domain import roles

OWNER_ONLY = {"staff.add_manager", "staff.remove", "franchise.edit"}
OWNER_AND_MANAGER = {
    "store.edit",
    "pickup_point.create",
    "staff.add_clerk",
    "category.create",
    "goods.manage",
    "solitaire.manage",
    "orders.refund",
    "orders.export",
    "customers.edit",
    "resale.create",
}
ALL_STAFF = {
    "staff.view",
    "goods.view_all",
    "franchise.view",
    "solitaire.view_all",
    "orders.view",
    "orders.verify_pickup",
    "orders.remind",
    "customers.view",
    "account.view",
    "resale.view",
}


def test_the_matrix_names_exactly_the_operations_of_the_brief():
    # then
    assert set(roles.PERMISSIONS) == OWNER_ONLY | OWNER_AND_MANAGER | ALL_STAFF


@pytest.mark.parametrize("operation", sorted(OWNER_ONLY))
def test_owner_only_operations_refuse_managers_and_clerks(operation):
    # then
    assert roles.allowed_roles(operation) == {"owner"}
    assert roles.require("owner", operation) == "owner"
    for role in ("manager", "clerk", None):
        with pytest.raises(PermissionDenied):
            roles.require(role, operation)


@pytest.mark.parametrize("operation", sorted(OWNER_AND_MANAGER))
def test_owner_and_manager_operations_refuse_clerks(operation):
    # then
    assert roles.allowed_roles(operation) == {"owner", "manager"}
    assert roles.may("clerk", operation) is False
    assert roles.may(None, operation) is False


@pytest.mark.parametrize("operation", sorted(ALL_STAFF))
def test_staff_operations_allow_every_role_and_no_outsider(operation):
    # then
    assert roles.allowed_roles(operation) == {"owner", "manager", "clerk"}
    assert roles.may(None, operation) is False


def test_an_unknown_operation_is_a_programming_error_not_a_denial():
    # when / then
    with pytest.raises(ValueError, match="unknown store operation 'store.delete'"):
        roles.may("owner", "store.delete")
