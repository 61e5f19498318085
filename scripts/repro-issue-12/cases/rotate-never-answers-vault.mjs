// `secretsource rotate` against a vault that accepts connections and never answers: does it end?
import { neverAnswersCase } from '../lib/shapes.mjs';

await neverAnswersCase('rotate-never-answers-vault', 'vault', ['rotate', 'vault:app/jwt']);
