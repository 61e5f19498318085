/**
 * WEAK_UNRESOLVED_REF: a secret-manager reference used as the value (an ARN, a GCP secret path, a
 * Key Vault URI or `@Microsoft.KeyVault(...)`, `{{resolve:...}}`, `op://`, a Vault path, sops
 * `ENC[...]`, an Ansible vault blob, or one of secretsource's own `source:name` refs). The resolver
 * must never hand an unresolved reference to the app.
 */
import { defineRule } from '../context.js';

/** Prefixes (lower case) and what they are. */
const PREFIXES: ReadonlyArray<[string, string]> = [
  ['arn:aws', 'an AWS ARN'],
  ['{{resolve:', 'a CloudFormation dynamic reference'],
  ['@microsoft.keyvault(', 'an Azure App Service Key Vault reference'],
  ['op://', 'a 1Password reference'],
  ['$ansible_vault;', 'an Ansible vault blob'],
  ['!vault', 'an Ansible vault blob'],
  ['vault:', 'a Vault reference'],
  ['vault://', 'a Vault reference'],
  ['sm://', 'a secret-manager URI'],
  ['gsm://', 'a GCP Secret Manager URI'],
  ['gcp-secret://', 'a GCP Secret Manager URI'],
  ['ssm://', 'an SSM parameter URI'],
  ['ssm:/', 'an SSM parameter reference'],
  ['secretsmanager:', 'an AWS Secrets Manager reference'],
  ['akv://', 'an Azure Key Vault URI'],
  ['keyvault://', 'an Azure Key Vault URI'],
  ['aws-sm:', 'a secretsource reference'],
  ['aws-ssm:', 'a secretsource reference'],
  ['azure-kv:', 'a secretsource reference'],
  ['dotenv:', 'a secretsource reference'],
  ['env:', 'a secretsource reference'],
  ['file:', 'a file reference'],
  ['doppler://', 'a Doppler reference'],
  ['infisical://', 'an Infisical reference'],
  ['azurekeyvault://', 'an Azure Key Vault URI'],
  ['azure-keyvault://', 'an Azure Key Vault URI'],
  ['gcpsm://', 'a GCP Secret Manager URI'],
  ['bws://', 'a Bitwarden Secrets Manager reference'],
  ['!ref ', 'a CloudFormation reference'],
  ['!sub ', 'a CloudFormation substitution'],
];

/** Prefixes no random key starts with by chance (long, or followed by an encrypted blob of their own). */
const DISTINCT = new Set(['!vault', '{{resolve:']);
/** sops: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`. */
const SOPS = /^ENC\[[A-Z0-9_]{2,32},data:/;
const PATH_LIKE = /^[\w./#:?=@+,%~ -]{1,2048}$/;
const VALS_REF = /^ref\+[a-z0-9]{2,32}:\/\/[\w./#:?=@+,%~-]{1,2048}$/;
const GCP_PATH = /^projects\/[^/\s]{1,128}\/secrets\/[^/\s]{1,256}(?:\/versions\/[^/\s]{1,64})?$/;
/** Case-sensitive, lower-case segments: base64 keys start with `kv/` by chance, but then go on in mixed case. */
const VAULT_PATH =
  /^(?:secret|kv|kv-v2|secrets)\/(?:data\/)?[a-z0-9_.-]{1,128}(?:\/[a-z0-9_.-]{1,128}){0,16}(?:#[\w.-]{1,128})?$/;

/** Raises WEAK_UNRESOLVED_REF for a secret-manager reference used as the value. */
export const unresolvedRefRule = defineRule({
  id: 'unresolved-ref',
  codes: ['WEAK_UNRESOLVED_REF'],
  check(ctx) {
    if (ctx.binary || ctx.text.length > 4096) return [];
    const kind = referenceKind(ctx.text);
    if (!kind) return [];
    return [
      {
        code: 'WEAK_UNRESOLVED_REF',
        message: `the value is ${kind}, not the secret it points to; resolve it before use`,
        kind,
      },
    ];
  },
});

/** What kind of reference `text` is, or undefined. */
export function referenceKind(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  for (const [prefix, kind] of PREFIXES) {
    if (!t.startsWith(prefix)) continue;
    // Short prefixes occur by chance at the start of random printable keys: the rest must look like a path.
    if (prefix.length >= 8 || DISTINCT.has(prefix) || PATH_LIKE.test(t.slice(prefix.length))) return kind;
  }
  if (t.includes('{{resolve:')) return 'a CloudFormation dynamic reference';
  if (SOPS.test(text.trim())) return 'a sops-encrypted value';
  // `ref+vault://...`: the scheme is required, as `ref+` alone is four base64 characters.
  if (VALS_REF.test(t)) return 'a vals reference';
  if (
    t.startsWith('https://') &&
    (t.includes('.vault.azure.') || t.includes('.vault.usgovcloudapi.')) &&
    t.includes('/secrets/')
  ) {
    return 'an Azure Key Vault URI';
  }
  if (GCP_PATH.test(t)) return 'a GCP Secret Manager path';
  if (VAULT_PATH.test(text.trim())) return 'a Vault path';
  return undefined;
}
