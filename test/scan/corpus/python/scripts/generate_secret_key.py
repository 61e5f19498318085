#!/usr/bin/env python3
"""Generate a production SECRET_KEY."""
import argparse
import secrets

MIN_BYTES = 32
DEFAULT_BYTES = 64


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bytes", type=int, default=DEFAULT_BYTES)
    parser.add_argument("--format", choices=["raw", "env", "export"], default="raw")
    args = parser.parse_args()
    if args.bytes < MIN_BYTES:
        raise SystemExit(f"--bytes must be at least {MIN_BYTES}")
    key = secrets.token_urlsafe(args.bytes)
    if args.format == "env":
        print(f"SECRET_KEY={key}")
    elif args.format == "export":
        print(f"export SECRET_KEY={key}")
    else:
        print(key)


if __name__ == "__main__":
    main()
