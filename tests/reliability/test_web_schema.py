"""Schemathesis sends what the OpenAPI description allows (and much it does not) to every
operation, as the public and as an analyst: the server must never answer with a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from ceasefire.store import Store
from ceasefire.web.accounts import new_api_token
from ceasefire.web.app import Settings, create_app
from tests.reliability.tally import Tally

EXAMPLES = 25


def test_no_operation_answers_with_a_server_error(web_store: Store, syria_pack, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    """Schemathesis: generated requests to every /api/v1 operation, as the public and as an analyst."""
    app = create_app(web_store, syria_pack, Settings(secret_key="k", tiles="", submit_limit=(10**6, 60.0)))
    analyst = {"Authorization": f"Bearer {new_api_token(web_store, 'ana')}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    calls = 0

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def never_fails(case: schemathesis.Case) -> None:
            nonlocal calls
            case.call_and_validate(checks=[not_a_server_error])
            case.call_and_validate(checks=[not_a_server_error], headers=analyst)
            calls += 2
            tally.case(no_server_error=2)

        never_fails()
    assert len(operations) >= 10 and calls >= len(operations) * 2
    print(f"schemathesis: {len(operations)} operations, {calls} calls, no server errors")
