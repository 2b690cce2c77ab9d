"""The baseline: a plain Django view (no DRF, no domain) issuing the SQL that one
POST /api/v1/orders issued, recorded by the driver into the file BENCH_SCRIPT names."""

import json
import os
import pickle
from functools import cache

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tests.benchmarks.replay import NothingChanged, Script


@cache
def script() -> Script:
    with open(os.environ["BENCH_SCRIPT"], "rb") as source:
        return pickle.load(source)


@csrf_exempt
@require_POST
def plain_join(request):
    json.loads(request.body)
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        with connection.cursor() as cursor:
            script().run(cursor, token=token)
    except NothingChanged:
        return JsonResponse({"code": "out_of_stock"}, status=409)
    return JsonResponse({"status": "pending_payment"}, status=201)
