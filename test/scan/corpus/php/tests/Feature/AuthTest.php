<?php

namespace Tests\Feature;

use Firebase\JWT\JWT;
use Tests\TestCase;

class AuthTest extends TestCase
{
    public function test_token_is_accepted(): void
    {
        config(['jwt.secret' => 'test-secret']);
        $token = JWT::encode(['sub' => 1], 'test-secret', 'HS256');
        $this->withHeader('Authorization', "Bearer $token")->get('/api/me')->assertOk();
    }
}
