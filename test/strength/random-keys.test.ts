/** No strong key is rejected: the encoded half of the 300,000-key sweep (hex, base64, alphanumerics). */
import { describe } from 'vitest';
import { sweep } from './random-keys.js';

describe('CSPRNG keys in every encoding are never rejected', () => {
  sweep((encoding) => !encoding.startsWith('passphrase'));
});
