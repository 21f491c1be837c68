"""Property-based requests from the OpenAPI spec (schemathesis): no input gives a server error.

Schemathesis' own pytest plugin does not load under this pytest, so the operations are driven
here with Hypothesis directly: every operation, its generated cases, each sent through ASGI.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.serve.conftest import Served

schemathesis = pytest.importorskip("schemathesis")


def test_no_server_errors(served: Served) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", served.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    for op in operations:
        @given(case=op.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def send(case) -> None:  # type: ignore[no-untyped-def]
            auth = {"Authorization": f"Bearer {served.token}"} if case.method == "POST" else {}
            response = case.call(headers=auth)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} "
                                f"{response.text[:200]}")
            elif response.status_code >= 400 and response.status_code != 304:
                assert set(response.json()) == {"error"}, response.text

        send()
    assert failures == []
