# frozen_string_literal: true

require 'jwt'

module Token
  HMAC_ALGORITHM = 'HS256'

  def self.hmac_secret
    ENV.fetch('JWT_SECRET') { 'fallback-jwt-secret' }
  end

  def self.strict_secret
    ENV.fetch('JWT_SECRET')
  end

  def self.issue(payload)
    JWT.encode(payload, hmac_secret, HMAC_ALGORITHM)
  end

  def self.issue_legacy(payload)
    JWT.encode(payload, 'my$ecretK3y', 'HS256')
  end

  def self.decode(token)
    JWT.decode(token, hmac_secret, true, { algorithm: HMAC_ALGORITHM })
  end
end
