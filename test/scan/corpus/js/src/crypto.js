const { createHash, createHmac, randomBytes } = require('node:crypto');

function signPayload(body) {
  return createHmac('sha256', 'a secret').update(body).digest('hex');
}

function verifyWebhook(body, signature) {
  const expected = createHmac('sha256', process.env.WEBHOOK_SECRET).update(body).digest('hex');
  return expected === signature;
}

function etag(body) {
  return createHash('sha256').update(body).digest('base64url');
}

const requestId = () => randomBytes(8).toString('hex');

module.exports = { signPayload, verifyWebhook, etag, requestId };
