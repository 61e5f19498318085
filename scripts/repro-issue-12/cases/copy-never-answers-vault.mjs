// `secretsource copy` against a vault that accepts connections and never answers: does it end?
import { neverAnswersCase } from '../lib/shapes.mjs';

await neverAnswersCase('copy-never-answers-vault', 'vault', ['copy', 'vault:app/', 'memory:', '--apply']);
