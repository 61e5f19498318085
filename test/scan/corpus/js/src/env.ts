import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().default(3000),
  DATABASE_URL: z.string().url(),
  JWT_SECRET: z.string().min(32),
  SESSION_SECRET: z.string().default('dev-session-secret'),
  STRIPE_SECRET_KEY: z.string().optional(),
  CSRF_SECRET: z.string().min(16).default('insecure-csrf-secret'),
  JWT_ISSUER: z.string().default('my-app'),
});

export const env = EnvSchema.parse(process.env);
