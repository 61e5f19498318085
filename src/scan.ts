/**
 * `secretsource/scan`: find insecure fallbacks, hard-coded secrets, committed .env secrets and
 * unrendered tokens in a source tree, judged by the strength engine; look for the app's real
 * secrets in the tree and git history; baselines and SARIF for CI. The main entry's `scanTree`
 * loads this module on first call.
 */
export * from './scan/index.js';
