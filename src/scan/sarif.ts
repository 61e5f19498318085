/**
 * SARIF 2.1.0 output for GitHub code scanning and other viewers: one rule per kind, one result per
 * finding with its location, the keyed fingerprint as `partialFingerprints` (stable across runs and
 * code moves), verdict and codes as properties. No value, snippet or unkeyed hash of a value.
 */
import type { FindingKind, ScanFinding, ScanReport } from './types.js';

/** A SARIF log (the subset of the 2.1.0 schema this writer produces). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<Record<string, unknown>>;
}

const RULES: Record<FindingKind, { name: string; short: string; help: string }> = {
  fallback: {
    name: 'InsecureSecretFallback',
    short: 'A secret setting falls back to a literal default when it is unset',
    help: 'Remove the default so a missing secret stops the app at start-up (fail fast), or generate one at run time for development only. The day the variable is not set, the default becomes the production key, and anyone with the code knows it.',
  },
  hardcoded: {
    name: 'HardcodedSecret',
    short: 'A secret is written in the source or a deploy file',
    help: 'Read the secret from the environment or a secret manager, and rotate the value: it is public to anyone with the repository, including its history.',
  },
  'committed-env': {
    name: 'CommittedEnvSecret',
    short: 'A .env file tracked by git holds a secret',
    help: 'Remove the file from git (`git rm --cached`), add it to .gitignore, commit an example file without values instead, and rotate every secret it held.',
  },
  unrendered: {
    name: 'UnrenderedSecretToken',
    short: 'A template or pipeline token is used as a secret value in a file deployed as is',
    help: 'If the pipeline does not replace the token (a variable missing or misspelled), the token itself becomes the secret. Reference the secret instead (secretKeyRef, a secret store), or make the pipeline fail on missing tokens.',
  },
  value: {
    name: 'RealSecretInRepository',
    short: "One of the app's real secrets appears in the repository",
    help: 'Rotate the secret now, then remove it from the tree (and from history if it is there).',
  },
};

const KINDS = Object.keys(RULES) as FindingKind[];

/** Converts a scan report to a SARIF 2.1.0 log. */
export function toSarif(report: Pick<ScanReport, 'findings'>, options: { version: string }): SarifLog {
  const rules = KINDS.map((kind) => ({
    id: `secretsource/${kind}`,
    name: RULES[kind].name,
    shortDescription: { text: RULES[kind].short },
    fullDescription: { text: `${RULES[kind].short}.` },
    help: { text: RULES[kind].help, markdown: RULES[kind].help },
    defaultConfiguration: { level: 'error' },
    properties: {
      tags: ['security', 'secrets'],
      precision: 'high',
      'security-severity': kind === 'value' ? '9.0' : '7.5',
    },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secretsource',
            semanticVersion: options.version,
            informationUri: 'https://www.npmjs.com/package/secretsource',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => result(f)),
      },
    ],
  };
}

function result(f: ScanFinding): Record<string, unknown> {
  return {
    ruleId: `secretsource/${f.kind}`,
    ruleIndex: KINDS.indexOf(f.kind),
    level: f.verdict === 'weak' || f.kind === 'value' || f.kind === 'unrendered' ? 'error' : 'warning',
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    partialFingerprints: { 'secretsourceFinding/v1': f.fingerprint },
    properties: {
      setting: f.name,
      verdict: f.verdict,
      codes: f.codes,
      profile: f.profile,
      rule: f.rule,
      ...(f.form ? { form: f.form } : {}),
      ...(f.commit ? { commit: f.commit } : {}),
    },
  };
}
