"""staff on the real database: its constraints, the authorization answer and the member list."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contexts.identity import bootstrap as identity
from contexts.identity.models import User
from contexts.shared.domain.errors import Conflict, NotFound, PermissionDenied
from contexts.staff import bootstrap, queries
from contexts.staff.contracts import StaffMember
from contexts.staff.models import StoreMember

pytestmark = pytest.mark.django_db

STORE = "5a1e0000-0000-4000-8000-000000000001"
T0 = timezone.localtime().replace(microsecond=0)


def user(name: str, phone: str | None = None) -> str:
    user_id = identity.login_with_wechat(code=f"sandbox-{name}", nickname=name.title()).user.id
    if phone:
        User.objects.filter(pk=user_id).update(phone=phone)
    return user_id


@pytest.fixture
def crew():
    owner = user("olive", "13800000001")
    bootstrap.make_owner(store_id=STORE, user_id=owner, joined_at=T0)
    manager = user("max", "13800000002")
    clerk = user("cleo", "13800000003")
    bootstrap.add_member(actor_id=owner, store_id=STORE, phone="13800000002", role="manager")
    bootstrap.add_member(actor_id=manager, store_id=STORE, phone="13800000003", role="clerk")
    return {"owner": owner, "manager": manager, "clerk": clerk}


def test_the_database_keeps_one_owner_per_store_and_one_membership_per_user(crew):
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        StoreMember.objects.create(id="x1", store_id=STORE, user_id="someone", role="owner", joined_at=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        StoreMember.objects.create(
            id="x2", store_id=STORE, user_id=crew["clerk"], role="manager", joined_at=T0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StoreMember.objects.create(id="x3", store_id=STORE, user_id="someone", role="boss", joined_at=T0)
    assert StoreMember.objects.count() == 3


def test_authorize_answers_with_the_role_or_refuses(crew, django_assert_num_queries):
    # then
    with django_assert_num_queries(1):
        assert queries.authorize(user_id=crew["manager"], store_id=STORE, operation="store.edit") == "manager"
    assert queries.authorize(crew["clerk"], STORE, "orders.verify_pickup") == "clerk"
    with pytest.raises(PermissionDenied):
        queries.authorize(user_id=crew["clerk"], store_id=STORE, operation="store.edit")
    with pytest.raises(PermissionDenied):
        queries.authorize(user_id=crew["owner"], store_id="another-store", operation="staff.view")
    assert queries.role_of(user_id=None, store_id=STORE) is None
    assert queries.may(crew["owner"], STORE, "franchise.edit") is True


def test_members_come_owner_first_with_identity_names_in_two_queries(crew, django_assert_num_queries):
    # when
    with django_assert_num_queries(2):
        members = queries.members(STORE)
    # then
    assert [(m.user_id, m.nickname, m.phone, m.role) for m in members] == [
        (crew["owner"], "Olive", "13800000001", "owner"),
        (crew["manager"], "Max", "13800000002", "manager"),
        (crew["clerk"], "Cleo", "13800000003", "clerk"),
    ]
    assert queries.staff_user_ids(STORE) == [crew["owner"], crew["manager"], crew["clerk"]]
    assert queries.store_ids_of(crew["clerk"]) == {STORE: "clerk"}


def test_adding_returns_the_member_as_the_list_shows_it(crew):
    # given
    newcomer = user("nia", "13800000004")
    before = timezone.now()
    # when
    member = bootstrap.add_member(actor_id=crew["owner"], store_id=STORE, phone="13800000004", role="clerk")
    # then
    assert member == StaffMember(
        store_id=STORE,
        user_id=newcomer,
        nickname="Nia",
        phone="13800000004",
        role="clerk",
        joined_at=member.joined_at,
    )
    assert before <= member.joined_at <= before + timedelta(seconds=5)
    assert queries.members(STORE)[-1] == member


def test_removal_rules_hold_on_the_database(crew):
    # when
    bootstrap.remove_member(actor_id=crew["owner"], store_id=STORE, user_id=crew["clerk"])
    # then
    with pytest.raises(Conflict):
        bootstrap.remove_member(actor_id=crew["owner"], store_id=STORE, user_id=crew["owner"])
    with pytest.raises(NotFound):
        bootstrap.remove_member(actor_id=crew["owner"], store_id=STORE, user_id=crew["clerk"])
    assert queries.store_ids_of(crew["clerk"]) == {}
    assert StoreMember.objects.count() == 2
