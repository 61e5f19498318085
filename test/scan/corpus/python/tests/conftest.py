import pytest


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "testing")
    monkeypatch.setenv("FIRST_SUPERUSER_PASSWORD", "password")
