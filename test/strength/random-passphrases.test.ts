/** No strong key is rejected: the passphrase half of the 300,000-key sweep (six styles). */
import { describe } from 'vitest';
import { sweep } from './random-keys.js';

describe('random passphrases of enough words are never rejected', () => {
  sweep((encoding) => encoding.startsWith('passphrase'));
});
