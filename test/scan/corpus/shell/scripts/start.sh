#!/usr/bin/env bash
set -euo pipefail

PORT="${PORT:-3000}"
JWT_SECRET="${JWT_SECRET:-changeme}"
: "${SESSION_SECRET:=dev-session-secret}"
: "${API_TOKEN:?API_TOKEN is required}"
export LOG_LEVEL=info

export PORT JWT_SECRET SESSION_SECRET
exec node dist/server.js
