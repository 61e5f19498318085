/**
 * The public options of the `k8s` source's connection. Kept apart from connection.ts, which uses
 * `@kubernetes/client-node`'s types: these declarations are what an app's type-check reads, and
 * the client's own (through isomorphic-ws) need `@types/ws`, which an app does not have to install.
 */

/** Where a pod's service-account token, CA and namespace are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How the source reaches the API server. */
export interface KubernetesConnectionOptions {
  /** API server URL; with `token` and `ca`, nothing else is read. */
  server?: string | undefined;
  /** Bearer token for `server`. */
  token?: string | undefined;
  /** PEM CA bundle that signed the API server's certificate (with `server`). */
  ca?: string | Buffer | undefined;
  /** Kubeconfig file(s), separated like `KUBECONFIG`. @default process.env.KUBECONFIG, else ~/.kube/config outside a pod */
  kubeconfig?: string | undefined;
  /** Kubeconfig context. @default the kubeconfig's current-context */
  context?: string | undefined;
  /** Where the service account is mounted in a pod (token re-read whenever it changes). @default '/var/run/secrets/kubernetes.io/serviceaccount' */
  serviceAccountDir?: string | undefined;
  /** Allow plain `http://` to a host other than loopback (the token would cross in clear text). @default false */
  allowInsecureHttp?: boolean | undefined;
  /** Largest answer read from the API server, in bytes. @default 33554432 */
  maxResponseBytes?: number | undefined;
  /** Environment read for `KUBECONFIG` and `KUBERNETES_SERVICE_HOST`/`_PORT`. @default process.env */
  env?: NodeJS.ProcessEnv | undefined;
}
