import pino, { type LoggerOptions } from 'pino';

/** Secrets never reach the logs: whatever the object, these paths are replaced before writing. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-wc-webhook-signature"]',
  'req.headers["x-ledgerbridge-signature"]',
  '*.apiKey',
  '*.token',
  '*.accessToken',
  '*.consumerKey',
  '*.consumerSecret',
  '*.secret',
  '*.webhookSecret',
  '*.credentials',
  '*.password',
];

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: redactPaths, censor: '[redacted]' } };
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino(loggerOptions(level));
}
