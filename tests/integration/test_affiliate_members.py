"""affiliate's members and resales on the real database: the constraints behind the "once"
rules, concurrent requests, and the queries other contexts call (resale_terms for a join,
brands_of_members for the "affiliate" relation)."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contexts.affiliate import bootstrap, queries
from contexts.affiliate.adapters.orm import DjangoAffiliateUow
from contexts.affiliate.contracts import ResaleTerms
from contexts.affiliate.models import Membership, Resale
from contexts.shared.domain.errors import Conflict
from tests.support.franchise import members_table, resales_table, store_row
from tests.support.threads import run_at_once

BRAND, SHOP, OTHER = (str(uuid.uuid4()) for _ in range(3))
SOLITAIRE = str(uuid.uuid4())


def franchise(enabled: bool = True, commission_bps: int = 1000, cycle: str = "weekly") -> None:
    bootstrap.open_franchise(store_id=BRAND)
    bootstrap.update_policy(
        store_id=BRAND, enabled=enabled, commission_bps=commission_bps, billing_cycle=cycle
    )


@pytest.fixture
def stores(db):
    for store_id, name in [(BRAND, "Brand shop"), (SHOP, "Affiliate shop"), (OTHER, "Other shop")]:
        store_row(store_id, name)
    franchise()


def join(store_id: str = SHOP):
    return bootstrap.add_member(brand_store_id=BRAND, member_store_id=store_id)


def resell(store_id: str = SHOP, solitaire_id: str = SOLITAIRE):
    return bootstrap.create_resale(solitaire_id=solitaire_id, brand_store_id=BRAND, store_id=store_id)


# ---- the database's own rules ----------------------------------------------------------------
@pytest.mark.django_db
def test_the_database_keeps_a_member_once_and_never_the_brand(stores):
    # given
    join()
    now = timezone.now()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(brand_store_id=BRAND, member_store_id=SHOP, joined_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(brand_store_id=BRAND, member_store_id=BRAND, joined_at=now)
    assert [(b, m) for b, m, _at in members_table()] == [(BRAND, SHOP)]


@pytest.mark.django_db
def test_the_database_keeps_one_resale_per_solitaire_and_store(stores):
    # given
    join()
    resell()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Resale.objects.create(
            id=str(uuid.uuid4()),
            solitaire_id=SOLITAIRE,
            brand_store_id=BRAND,
            store_id=SHOP,
            created_at=timezone.now(),
        )
    assert len(resales_table()) == 1


@pytest.mark.django_db
def test_a_member_stored_by_a_twin_after_the_load_is_a_conflict(stores):
    # given a franchise loaded without its lock, then a twin request adds the member
    with DjangoAffiliateUow() as uow:
        loaded = uow.franchises.by_store(BRAND)
        Membership.objects.create(brand_store_id=BRAND, member_store_id=SHOP, joined_at=timezone.now())
        loaded.add_member(SHOP, now=timezone.now())
        # when / then
        with pytest.raises(Conflict) as caught:
            uow.franchises.save(loaded)
        assert [(b, m) for b, m, _at in members_table()] == [(BRAND, SHOP)]  # the twin's row only
    assert caught.value.code == "invalid_state"


# ---- concurrency -----------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_adds_of_one_member_at_once_make_one_membership(stores):
    # when
    outcomes = run_at_once([join, join], on_success=lambda view: view.store_id)
    # then
    assert sorted(outcomes) == sorted([SHOP, "invalid_state"])
    assert [(b, m) for b, m, _at in members_table()] == [(BRAND, SHOP)]


@pytest.mark.django_db(transaction=True)
def test_two_resales_of_one_solitaire_at_once_make_one(stores):
    # given
    join()
    # when
    outcomes = run_at_once([resell, resell], on_success=lambda answer: (answer[0].id, answer[1]))
    # then
    [(resale_id, *_rest)] = resales_table()
    assert sorted(outcomes, key=lambda o: o[1]) == [(resale_id, False), (resale_id, True)]


# ---- resale_terms ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_terms_of_a_resale_are_the_brands_policy_now(stores):
    # given
    join()
    resale, _ = resell()
    bootstrap.update_policy(store_id=BRAND, enabled=True, commission_bps=1250, billing_cycle="daily")
    # when
    with CaptureQueriesContext(connection) as asked:
        terms = queries.resale_terms(resale_id=resale.id, solitaire_id=SOLITAIRE)
    # then
    assert terms == ResaleTerms(
        resale_id=resale.id,
        solitaire_id=SOLITAIRE,
        brand_store_id=BRAND,
        affiliate_store_id=SHOP,
        commission_bps=1250,
        billing_cycle="daily",
    )
    assert len(asked) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["unknown", "other_solitaire", "removed", "disabled"])
def test_a_resale_that_takes_no_orders_has_no_terms(stores, case):
    # given
    join()
    resale, _ = resell()
    resale_id, solitaire_id = resale.id, SOLITAIRE
    if case == "unknown":
        resale_id = str(uuid.uuid4())
    elif case == "other_solitaire":
        solitaire_id = str(uuid.uuid4())
    elif case == "removed":
        bootstrap.remove_member(brand_store_id=BRAND, member_store_id=SHOP)
    else:
        franchise(enabled=False)
    # when / then
    with pytest.raises(Conflict) as caught:
        queries.resale_terms(resale_id=resale_id, solitaire_id=solitaire_id)
    assert caught.value.code == "franchise_disabled"


@pytest.mark.django_db
def test_a_store_that_joins_again_gets_its_resales_terms_back(stores):
    join()
    resale, _ = resell()
    bootstrap.remove_member(brand_store_id=BRAND, member_store_id=SHOP)
    join()
    assert queries.resale_terms(resale_id=resale.id, solitaire_id=SOLITAIRE).affiliate_store_id == SHOP


# ---- members_of, brands_of_members, resales_of_store -----------------------------------------
@pytest.mark.django_db
def test_members_of_lists_names_oldest_first_in_two_queries(stores):
    # given
    first = join(SHOP)
    second = join(OTHER)
    # when
    with CaptureQueriesContext(connection) as asked:
        found = queries.members_of(BRAND)
    # then
    assert found == [first, second]
    assert [m.store_name for m in found] == ["Affiliate shop", "Other shop"]
    assert len(asked) == 2


@pytest.mark.django_db
def test_brands_of_members_are_the_franchises_the_stores_belong_to(stores):
    # given a second brand with the other store as member, and a brand nobody joined
    join(SHOP)
    second, lonely = str(uuid.uuid4()), str(uuid.uuid4())
    for brand in (second, lonely):
        bootstrap.open_franchise(store_id=brand)
        bootstrap.update_policy(store_id=brand, enabled=True, commission_bps=10, billing_cycle="daily")
    bootstrap.add_member(brand_store_id=second, member_store_id=OTHER)
    # when
    with CaptureQueriesContext(connection) as asked:
        found = queries.brands_of_members([SHOP, OTHER, str(uuid.uuid4())])
    # then
    assert found == {BRAND, second}
    assert len(asked) == 1
    assert queries.brands_of_members([BRAND]) == set()


@pytest.mark.django_db
def test_brands_of_no_stores_asks_nothing(stores):
    with CaptureQueriesContext(connection) as asked:
        assert queries.brands_of_members([]) == set()
    assert len(asked) == 0


@pytest.mark.django_db
def test_resales_of_store_are_newest_first(stores):
    # given
    join()
    older, _ = resell(solitaire_id="s-older")
    newer, _ = resell(solitaire_id="s-newer")
    Resale.objects.filter(pk=older.id).update(created_at=newer.created_at - timedelta(minutes=1))
    # when
    page = queries.resales_of_store(SHOP)
    # then
    assert page.count() == 2
    assert [r.id for r in page[0:2]] == [newer.id, older.id]
    assert queries.resales_of_store(OTHER).count() == 0
