"""Application configuration read from the environment."""
import os
import secrets

PORT = int(os.getenv("PORT", "8000"))
LOG_LEVEL = os.getenv("LOG_LEVEL", "info")

JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", "dev-secret-key-change-in-production")
JWT_ALGORITHM = os.getenv("JWT_ALGORITHM", "HS256")
ACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))

DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
REDIS_PASSWORD = os.getenv("REDIS_PASSWORD") or "redis"
SESSION_SECRET = os.getenv("SESSION_SECRET", secrets.token_hex(32))
API_TOKEN = os.getenv("API_TOKEN", "")
WEBHOOK_SECRET = os.getenv("WEBHOOK_SECRET", None)
TLS_CERT_FILE = os.getenv("TLS_CERT_FILE", "/etc/ssl/certs/app.pem")
