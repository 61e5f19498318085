package auth

import (
	"cmp"
	"log"
	"os"
)

// GetJWTSecret returns the signing secret from the environment.
func GetJWTSecret() string {
	secret := os.Getenv("JWT_SECRET")
	if secret == "" {
		secret = "default_secret_key" // Change in production
	}
	return secret
}

func MustAPIKey() string {
	key := os.Getenv("API_KEY")
	if key == "" {
		log.Fatal("API_KEY must be set")
	}
	return key
}

func SessionSecret() string {
	return cmp.Or(os.Getenv("SESSION_SECRET"), "dev-session")
}

func LogLevel() string {
	return cmp.Or(os.Getenv("LOG_LEVEL"), "info")
}
