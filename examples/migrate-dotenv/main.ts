/**
 * `tsx examples/migrate-dotenv/main.ts [.env] [/myapp/prod/]`: move a .env file into SSM Parameter
 * Store in three steps: a masked plan (nothing written), the apply, and a re-run that changes nothing.
 * AWS settings come from the usual variables (AWS_REGION, AWS_ENDPOINT_URL for LocalStack or moto).
 * The CLI does the same: `secretsource copy dotenv:.env aws-ssm:/myapp/prod/ [--apply]`.
 */
import { type CopyReport, copySecrets } from 'secretsource';
import { awsSsm } from 'secretsource/providers/aws-ssm';
import { dotenvSource } from 'secretsource/providers/dotenv';

const [file = '.env', prefix = '/myapp/prod/'] = process.argv.slice(2);
const say = (line: string) => console.log(line);

function show(title: string, report: CopyReport): void {
  say(`${title}: ${report.from} -> ${report.to}`);
  for (const item of report.items) {
    const why = item.code ? ` ${item.code}` : '';
    say(`  ${item.action.padEnd(9)} ${item.name} -> ${item.target} ${item.fingerprint ?? ''}${why}`);
  }
  const c = report.counts;
  say(
    `  ${c.create} create, ${c.update} update, ${c.unchanged} unchanged, ${c.refused} refused; ${report.writes} written`,
  );
}

const from = dotenvSource({ path: file });
const to = awsSsm();
const options = { from, to, toPrefix: prefix, policy: { environment: 'production' as const } };

show('plan', await copySecrets(options));
const applied = await copySecrets({ ...options, apply: true });
show('apply', applied);
const again = await copySecrets({ ...options, apply: true });
show('re-run', again);
await to.close();
process.exitCode = applied.ok && again.ok && again.writes === 0 ? 0 : 1;
