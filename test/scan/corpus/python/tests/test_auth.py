import os

import jwt
import pytest

os.environ["JWT_SECRET_KEY"] = "test-secret"

from app.auth import create_access_token  # noqa: E402


def test_token_round_trip():
    token = create_access_token({"sub": "alice"})
    payload = jwt.decode(token, "test-secret", algorithms=["HS256"])
    assert payload["sub"] == "alice"


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("API_SECRET_KEY", "testing-api-key")
    return "testing-api-key"
