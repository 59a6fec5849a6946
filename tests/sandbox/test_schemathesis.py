"""Schemathesis against the OpenAPI document, on a live sandbox: no 5xx, and conformance."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from treasury_sandbox_world import TOKEN

from treasury_desktop.paths import resources_dir
from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox

with warnings.catch_warnings():  # schemathesis 3 still uses jsonschema.RefResolver
    warnings.simplefilter("ignore", DeprecationWarning)
    import schemathesis

    schemathesis.experimental.OPEN_API_3_1.enable()
    schema = schemathesis.from_path(str(resources_dir() / "api" / "openapi.yaml"))

pytestmark = pytest.mark.filterwarnings("ignore:jsonschema.RefResolver:DeprecationWarning")


class _LegacyMany:
    """hypothesis-jsonschema 0.23 drives ``many`` with ``more()``; Hypothesis >= 6.16x only
    offers ``with many(...) as e: for _ in e``. This adapter keeps the old protocol."""

    def __init__(self, data: object, min_size: int, max_size: float, average_size: float) -> None:
        from hypothesis.internal.conjecture import utils

        self._many = utils.many(
            data,
            min_size=min_size,
            max_size=max_size,  # type: ignore[arg-type]
            average_size=average_size,
        )
        self._many.__enter__()
        self._steps = iter(self._many)

    def more(self) -> bool:
        try:
            next(self._steps)
        except StopIteration:
            self._many.__exit__(None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


@pytest.fixture(scope="module", autouse=True)
def _jsonschema_strategies_on_this_hypothesis() -> object:
    import types

    from hypothesis_jsonschema import _from_schema

    shim = types.SimpleNamespace(**vars(_from_schema.cu))
    shim.many = _LegacyMany
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_from_schema, "cu", shim)
        yield


@pytest.fixture(scope="module")
def live(world, tmp_path_factory: pytest.TempPathFactory) -> RunningSandbox:
    running = start_sandbox(world.config, tmp_path_factory.mktemp("schemathesis") / "db.sqlite3")
    yield running
    running.stop()


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms(case, live: RunningSandbox) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    case.operation.base_url = live.url  # also for the checks' own extra calls (ignored_auth)
    response = case.call(base_url=live.url)
    case.validate_response(response)


def test_the_document_is_valid_openapi() -> None:
    import yaml
    from openapi_spec_validator import validate

    validate(yaml.safe_load(Path(resources_dir() / "api" / "openapi.yaml").read_text()))
