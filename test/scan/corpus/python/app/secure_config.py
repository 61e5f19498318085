"""Centralised secret loading."""
import logging
import os
import warnings

logger = logging.getLogger(__name__)


def get_api_secret_key() -> str:
    api_key = os.environ.get("API_SECRET_KEY")
    if not api_key:
        warnings.warn("API_SECRET_KEY is not set; using an insecure default")
        api_key = "insecure-default-key-change-this"
    return api_key


def get_encryption_key() -> str:
    return os.getenv("ENCRYPTION_KEY", "0" * 64)


def get_signing_secret() -> str:
    secret = os.environ.get("SIGNING_SECRET")
    if not secret:
        raise RuntimeError("SIGNING_SECRET must be set")
    return secret
