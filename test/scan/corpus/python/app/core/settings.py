import secrets
from typing import Literal

from pydantic import EmailStr, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    API_V1_STR: str = "/api/v1"
    SECRET_KEY: str = "changethis"
    # 60 minutes * 24 hours * 8 days = 8 days
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 60 * 24 * 8
    ENVIRONMENT: Literal["local", "staging", "production"] = "local"
    ALGORITHM: str = "HS256"

    POSTGRES_SERVER: str = "localhost"
    POSTGRES_USER: str = "postgres"
    POSTGRES_PASSWORD: str = ""

    SMTP_USER: str | None = None
    SMTP_PASSWORD: SecretStr | None = None

    FIRST_SUPERUSER: EmailStr = "admin@example.com"
    FIRST_SUPERUSER_PASSWORD: str = "changethis"
    CSRF_SECRET: str = secrets.token_urlsafe(32)


class JwtSettings(BaseSettings):
    jwt_secret_key: SecretStr = SecretStr("super-secret-jwt-key")
    jwt_refresh_secret: str
    jwt_issuer: str = "auth-service"


settings = Settings()
