<?php

namespace App;

use Firebase\JWT\JWT;
use Firebase\JWT\Key;

final class Auth
{
    public static function key(): string
    {
        $key = getenv('JWT_KEY') ?: 'example_key';
        return $key;
    }

    public static function appSecret(): string
    {
        $secret = $_ENV['APP_SECRET'] ?? 'ThisTokenIsNotSoSecretChangeIt';
        return $secret;
    }

    public static function issue(array $payload): string
    {
        return JWT::encode($payload, self::key(), 'HS256');
    }

    public static function issueLegacy(array $payload): string
    {
        return JWT::encode($payload, 'example_key', 'HS256');
    }

    public static function decode(string $jwt): object
    {
        return JWT::decode($jwt, new Key(self::key(), 'HS256'));
    }

    public static function timezone(): string
    {
        return $_ENV['APP_TIMEZONE'] ?? 'UTC';
    }
}
