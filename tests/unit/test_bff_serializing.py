"""One serializer instance per class serves every request: checking and rendering keep no state
on it, also when threads use it at once."""

import threading

import pytest
from rest_framework.exceptions import ValidationError

from bff.orders import OrderLineInput, PickupInput
from bff.serializing import rendered, validated


def test_validated_answers_each_body_with_its_own_data_and_the_errors_of_its_own():
    assert validated(OrderLineInput, {"goods_id": "g1", "quantity": 2}) == {"goods_id": "g1", "quantity": 2}
    with pytest.raises(ValidationError) as refused:
        validated(OrderLineInput, {"goods_id": "g1", "quantity": "2"})
    assert list(refused.value.detail) == ["quantity"]
    # the refusal left nothing behind on the shared instance
    assert validated(OrderLineInput, {"solitaire_item_id": "i1", "quantity": 1}) == {
        "solitaire_item_id": "i1",
        "quantity": 1,
    }


def test_threads_checking_at_once_each_get_their_own_answer():
    # given 16 threads, every other one with a wrong body
    outcomes, barrier = [None] * 16, threading.Barrier(16)

    def check(index: int) -> None:
        body = {"method": "pickup", "pickup_point_id": f"p{index}"} if index % 2 else {"method": "boat"}
        barrier.wait()
        for _ in range(200):
            try:
                outcomes[index] = validated(PickupInput, body)["pickup_point_id"]
            except ValidationError as exc:
                outcomes[index] = sorted(exc.detail)

    threads = [threading.Thread(target=check, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert outcomes == [["method"] if i % 2 == 0 else f"p{i}" for i in range(16)]


def test_rendered_is_the_serializers_representation():
    assert rendered(OrderLineInput, {"goods_id": "g1", "quantity": 3}) == {"goods_id": "g1", "quantity": 3}
