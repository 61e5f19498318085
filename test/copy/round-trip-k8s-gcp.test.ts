/**
 * The .env round trip into the Kubernetes and Secret Manager emulators, read back with
 * @kubernetes/client-node (one read of the Secret for all its keys) and @google-cloud/secret-manager
 * (one access per secret, in parallel).
 */
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { gcpTestOptions, gcpTestSource } from '../helpers/gcp-sm.js';
import { k8sTestOptions, k8sTestSource } from '../helpers/k8s.js';
import { runRoundTrip, uid } from './round-trip.js';

let k8s: CoreV1Api | undefined;
/** The client-node API on the emulator, from an in-memory kubeconfig. */
function k8sApi(): CoreV1Api {
  if (k8s) return k8s;
  const o = k8sTestOptions();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'emulator', server: o.server!, caData: Buffer.from(String(o.ca)).toString('base64') }],
    users: [{ name: 'admin', token: o.token! }],
    contexts: [{ name: 'test', cluster: 'emulator', user: 'admin' }],
    currentContext: 'test',
  });
  k8s = kc.makeApiClient(CoreV1Api);
  return k8s;
}

/** Every target is `namespace/secret/key` of one Secret: read it once, decode the keys asked for. */
async function readK8s(targets: readonly string[]): Promise<Array<string | undefined>> {
  const [namespace, name] = targets[0]?.split('/') ?? [];
  if (!namespace || !name) return targets.map(() => undefined);
  const data = await k8sApi()
    .readNamespacedSecret({ namespace, name })
    .then(
      (s) => s.data ?? {},
      (err: { code?: number }) => {
        if (err.code === 404) return {} as Record<string, string>;
        throw err;
      },
    );
  return targets.map((t) => {
    const b64 = data[t.split('/')[2]!];
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
  });
}

let gcp: SecretManagerServiceClient | undefined;
let gcpProject = '';
/** The real client, REST on loopback, with a fetch-based auth client that adds the emulator's token. */
function gcpClient(): SecretManagerServiceClient {
  if (gcp) return gcp;
  const o = gcpTestOptions();
  const headers = { authorization: `Bearer ${process.env.SECRETSOURCE_TEST_GCP_SM_TOKEN}` };
  const authClient = {
    getRequestHeaders: async () => headers,
    fetch: (url: string, init: { headers?: Record<string, string> } & RequestInit) =>
      fetch(url, { ...init, headers: { ...init.headers, ...headers } }),
  };
  gcp = new SecretManagerServiceClient({
    fallback: true,
    apiEndpoint: o.apiEndpoint!,
    port: o.port!,
    protocol: 'http',
    authClient: authClient as never,
  });
  return gcp;
}

async function readGcp(project: string, targets: readonly string[]): Promise<Array<string | undefined>> {
  return Promise.all(
    targets.map(async (t) => {
      try {
        const [v] = await gcpClient().accessSecretVersion({
          name: `projects/${project}/secrets/${t}/versions/latest`,
        });
        return Buffer.from(v.payload?.data as Uint8Array).toString('utf8');
      } catch (err) {
        if ((err as { code?: number }).code === 5) return undefined;
        throw err;
      }
    }),
  );
}

runRoundTrip({
  name: 'k8s',
  create: async () => ({ source: k8sTestSource(), prefix: `rt/s${uid()}/` }),
  readRaw: readK8s,
});

// Each corpus file copies into a project of its own; readRaw is called after create for that file.
const projects = new Map<string, string>();
runRoundTrip({
  name: 'gcp-sm',
  create: async () => {
    const prefix = `rt${uid()}_`;
    gcpProject = `p-${uid()}`;
    projects.set(prefix, gcpProject);
    return { source: gcpTestSource({ projectId: gcpProject }), prefix };
  },
  readRaw: (targets) => {
    const prefix = [...projects.keys()].find((p) => targets[0]?.startsWith(p));
    return readGcp(prefix ? projects.get(prefix)! : gcpProject, targets);
  },
});
