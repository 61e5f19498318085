/**
 * What the Azure source adds to the SDK's pipeline: every answer read by the kit's capped reader
 * (the SDK would buffer any size), and the one test for a redirect status the SDK handed back
 * because it would not follow it to another origin.
 */
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { readCapped } from '../kit/http.js';

type Policy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

/**
 * A pipeline policy, placed next to the transport, that reads every answer itself within
 * `maxBytes`: past it the connection is closed and the call fails, instead of the SDK buffering
 * whatever the peer sends.
 */
export function bodyCapPolicy(maxBytes: number): Policy {
  return {
    name: 'secretsourceAnswerCap',
    async sendRequest(request, next) {
      request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
      const response = await next(request);
      const stream = response.readableStreamBody;
      if (stream !== undefined) {
        delete response.readableStreamBody;
        response.bodyAsText = (await readCapped(stream, maxBytes)).toString('utf8');
      }
      return response;
    },
  };
}

/** True for the 3xx statuses a redirect uses. */
export function isRedirect(status: number | undefined): boolean {
  return status !== undefined && status >= 300 && status < 400;
}
