# frozen_string_literal: true

require 'rails_helper'

RSpec.describe 'Auth', type: :request do
  let(:secret) { 'spec-secret' }

  before { stub_const('ENV', ENV.to_h.merge('JWT_SECRET' => secret)) }

  it 'accepts a signed token' do
    token = JWT.encode({ sub: 1 }, secret, 'HS256')
    get '/me', headers: { 'Authorization' => "Bearer #{token}" }
    expect(response).to have_http_status(:ok)
  end
end
