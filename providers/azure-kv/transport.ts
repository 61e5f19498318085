/**
 * What the Azure source adds to the SDK's pipeline: every answer read by the kit's capped reader
 * (the SDK would buffer any size).
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
