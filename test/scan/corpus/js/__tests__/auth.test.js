const jwt = require('jsonwebtoken');
const request = require('supertest');

process.env.JWT_SECRET = 'test-secret';
const app = require('../src/server');

describe('auth', () => {
  it('accepts a valid token', async () => {
    const token = jwt.sign({ sub: 'alice' }, 'test-secret');
    await request(app).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
  });
});
