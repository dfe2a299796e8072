"""Shared fixtures: a throwaway PostgreSQL (tests.postgres_server), the bundled datasets built once."""
import pytest

pytest_plugins = ["tests.postgres_server"]


@pytest.fixture(scope="session")
def bundled_frames():
    """Every dataset built from data/raw/ once per test session (deterministic)."""
    import datasets

    return datasets.build_all()
