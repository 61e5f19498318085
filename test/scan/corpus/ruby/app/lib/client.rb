# frozen_string_literal: true

class PaymentsClient
  API_KEY = 'replace-with-your-payments-key'
  BASE_URL = ENV.fetch('PAYMENTS_URL', 'https://api.payments.example.com')
  TIMEOUT = Integer(ENV.fetch('PAYMENTS_TIMEOUT', '10'))

  def initialize(api_key: ENV['PAYMENTS_API_KEY'])
    @api_key = api_key || API_KEY
  end
end
