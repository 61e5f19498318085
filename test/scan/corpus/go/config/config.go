package config

import (
	"os"
	"strconv"
)

type Config struct {
	Port       string
	JWTSecret  string
	JWTExpiry  int
	DBPassword string
	DBHost     string
}

func getEnv(key, fallback string) string {
	if value, ok := os.LookupEnv(key); ok {
		return value
	}
	return fallback
}

func getEnvAsInt(key string, fallback int) int {
	if v, err := strconv.Atoi(getEnv(key, "")); err == nil {
		return v
	}
	return fallback
}

func Load() *Config {
	return &Config{
		Port:       getEnv("PORT", "8080"),
		JWTSecret:  getEnv("JWT_SECRET", "secret"),
		JWTExpiry:  getEnvAsInt("JWT_EXPIRY", 24),
		DBPassword: getEnv("DB_PASSWORD", ""),
		DBHost:     getEnv("DB_HOST", "localhost"),
	}
}
