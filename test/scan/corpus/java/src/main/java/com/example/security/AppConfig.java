package com.example.security;

import java.util.Optional;

public final class AppConfig {

    private AppConfig() {}

    public static String jwtSecret() {
        return System.getenv().getOrDefault("JWT_SECRET", "changeit");
    }

    public static String apiKey() {
        return Optional.ofNullable(System.getenv("API_KEY")).orElse("dev-api-key");
    }

    public static String region() {
        return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    }

    public static String webhookSecret() {
        return Optional.ofNullable(System.getenv("WEBHOOK_SECRET"))
                .orElseThrow(() -> new IllegalStateException("WEBHOOK_SECRET is not set"));
    }
}
