package config

import "github.com/caarlos0/env/v11"

type Env struct {
	AppEnv        string `env:"APP_ENV" envDefault:"development"`
	Port          string `env:"PORT" envDefault:":3000"`
	JWTSecret     string `env:"JWT_SECRET" envDefault:"secret"`
	JWTExpiredIn  int    `env:"JWT_EXPIRED_IN" envDefault:"24"`
	APIKey        string `env:"API_KEY,required"`
	SessionKey    string `envconfig:"SESSION_KEY" default:"changeme"`
	EncryptionKey string `envconfig:"ENCRYPTION_KEY" required:"true"`
}

func Parse() (Env, error) {
	var cfg Env
	err := env.Parse(&cfg)
	return cfg, err
}
