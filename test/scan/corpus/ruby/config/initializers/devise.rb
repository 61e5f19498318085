# frozen_string_literal: true

Devise.setup do |config|
  config.secret_key = ENV.fetch('DEVISE_SECRET_KEY', 'dev-devise-secret')
  config.mailer_sender = 'please-change-me-at-config-initializers-devise@example.com'

  require 'devise/orm/active_record'

  config.case_insensitive_keys = [:email]
  config.strip_whitespace_keys = [:email]
  config.stretches = Rails.env.test? ? 1 : 12
  config.pepper = ENV['DEVISE_PEPPER'] || 'pepper'
  config.reconfirmable = true
  config.expire_all_remember_me_on_sign_out = true
  config.password_length = 6..128
end
