"""Schemathesis against the served OpenAPI spec of the real app on loopback: generated requests to
every operation (with a write token) get no server error and no answer the spec does not allow."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from .test_defences import TOKEN, Server

EXAMPLES = 50  # per operation: 14 operations in about 10 s on loopback
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Not checked: that every schema-valid request is accepted. A filter's date is a string in the spec
# but must read as YYYY-MM-DD, and from must not follow to: such requests are 422s by design.


def test_every_operation_answers_within_the_spec(ledgers: Any, reader: Any) -> None:
    limits = {"writes_per_minute": 0, "auth_failures_per_minute": 0}  # the fuzzer writes a lot
    with Server(ledgers.new("schema"), tokens=[TOKEN], reader=reader, **limits) as server:
        schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 12
        for operation in operations:

            @given(operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def check(case: Any) -> None:
                case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])

            check()
