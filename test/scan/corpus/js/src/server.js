const express = require('express');
const session = require('express-session');
const cookieParser = require('cookie-parser');
const config = require('./config');

const app = express();

app.use(cookieParser(process.env.COOKIE_SECRET));
app.use(
  session({
    secret: 'keyboard cat',
    resave: false,
    saveUninitialized: true,
    cookie: { secure: true },
  }),
);

const admin = express();
admin.use(cookieParser('my secret here'));
app.use('/admin', admin);

app.listen(config.port, () => {
  console.log(`listening on ${config.port}`);
});
