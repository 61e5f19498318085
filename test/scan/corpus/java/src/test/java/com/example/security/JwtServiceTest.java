package com.example.security;

import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class JwtServiceTest {

    private static final String SECRET_KEY = "test-secret-key-for-unit-tests-only-0123456789";

    @Test
    void issuesToken() {
        JwtUtil util = new JwtUtil();
        ReflectionTestUtils.setField(util, "secret", SECRET_KEY);
        assertThat(util.generateToken("alice")).isNotBlank();
    }
}
