const { JWT_SECRET = 'dev-secret', PORT = '3000', DATABASE_URL, API_KEY } = process.env;

if (!DATABASE_URL) throw new Error('DATABASE_URL is required');

export const runtime = {
  jwtSecret: JWT_SECRET,
  port: Number(PORT),
  databaseUrl: DATABASE_URL,
  apiKey: API_KEY,
};
