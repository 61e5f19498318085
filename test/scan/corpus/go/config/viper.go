package config

import "github.com/spf13/viper"

type JWTConfig struct {
	SecretKey string `mapstructure:"secret_key"`
	Issuer    string `mapstructure:"issuer"`
}

func setDefaults() {
	viper.SetDefault("server.port", 8080)
	viper.SetDefault("jwt.secret_key", "your-super-secret-jwt-key-change-in-production")
	viper.SetDefault("jwt.issuer", "go-backend")
	viper.SetDefault("jwt.expires_hours", 168)
	viper.SetDefault("database.password", "")
	viper.AutomaticEnv()
}
