/**
 * What the Azure source adds to the SDK's pipeline: every answer read by the kit's capped reader
 * (the SDK would buffer any size), and every redirect refused where it arrives.
 */
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { isRedirect, readCapped, redirectRefusal } from '../kit/http.js';

type Policy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

/**
 * A pipeline policy, placed next to the transport, that reads every answer itself within
 * `maxBytes`: past it the connection is closed and the call fails, instead of the SDK buffering
 * whatever the peer sends. A 3xx is refused here, before the SDK's redirect step could follow it
 * (or, since 4.11, its error reader could fail on the empty body with a TypeError).
 */
export function bodyCapPolicy(maxBytes: number): Policy {
  return {
    name: 'secretsourceAnswerCap',
    async sendRequest(request, next) {
      request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
      const response = await next(request);
      const stream = response.readableStreamBody;
      if (isRedirect(response.status)) {
        (stream as { destroy?: () => void } | undefined)?.destroy?.();
        throw redirectRefusal(response.status);
      }
      if (stream !== undefined) {
        delete response.readableStreamBody;
        response.bodyAsText = (await readCapped(stream, maxBytes)).toString('utf8');
      }
      return response;
    },
  };
}
