'use strict';

require('dotenv').config();

module.exports = {
  env: process.env.NODE_ENV || 'development',
  port: process.env.PORT || 3000,
  mongoUri: process.env.MONGO_URI || 'mongodb://localhost:27017/app',
  jwtSecret: process.env.JWT_SECRET || 'secret',
  jwtExpiresIn: process.env.JWT_EXPIRES_IN || '7d',
  refreshTokenSecret: process.env.REFRESH_TOKEN_SECRET || '',
  sessionSecret: process.env.SESSION_SECRET ?? 'keyboard cat',
  cookieName: process.env.COOKIE_NAME || 'sid',
  smtp: {
    host: process.env.SMTP_HOST || 'localhost',
    user: process.env.SMTP_USER || 'mailer',
    pass: process.env.SMTP_PASS || 'mailpass',
  },
};
