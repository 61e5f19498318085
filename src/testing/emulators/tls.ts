/** The emulators' TLS certificate, made at start with `selfsigned` (an optional peer, loaded on first use). */
import { loadPeer } from '../../../providers/kit/peer.js';

/** A PEM certificate and its private key; the key lives only in memory. */
export interface SelfSignedPems {
  cert: string;
  private: string;
}

/**
 * A self-signed CA certificate for 127.0.0.1 and localhost, valid for `days`. Node has no API that
 * makes an X.509 certificate, so this uses `selfsigned`; without it, `ERR_PROVIDER_DEPENDENCY_MISSING`.
 */
export async function selfSignedPems(commonName: string, days: number): Promise<SelfSignedPems> {
  const { generate } = await loadPeer('testing', 'selfsigned', () => import('selfsigned'));
  return generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + days * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
}
