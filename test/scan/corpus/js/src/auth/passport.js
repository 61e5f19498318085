const passport = require('passport');
const { Strategy: JwtStrategy, ExtractJwt } = require('passport-jwt');
const User = require('../models/user');

const opts = {
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  secretOrKey: process.env.JWT_SECRET || 'secret',
  issuer: process.env.JWT_ISSUER || 'accounts.example.com',
};

passport.use(
  new JwtStrategy(opts, async (payload, done) => {
    const user = await User.findById(payload.sub);
    return done(null, user || false);
  }),
);
