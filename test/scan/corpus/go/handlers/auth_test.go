package handlers

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

var testKey = []byte("test_secret")

func TestLogin(t *testing.T) {
	t.Setenv("JWT_SECRET", "test-secret")
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "alice"})
	if _, err := token.SignedString(testKey); err != nil {
		t.Fatal(err)
	}
}
