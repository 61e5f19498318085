#!/bin/sh
set -e

export ADMIN_PASSWORD=admin123
export DB_PASSWORD="$(aws ssm get-parameter --name /app/prod/db-password --with-decryption --query Parameter.Value --output text)"
NEW_SECRET=$(openssl rand -hex 32)
export AWS_REGION=eu-west-1

kubectl create secret generic app --from-literal=jwt-secret="$NEW_SECRET" --dry-run=client -o yaml | kubectl apply -f -
