// `secretsource copy` against a aws-sm that accepts connections and never answers: does it end?
import { neverAnswersCase } from '../lib/shapes.mjs';

await neverAnswersCase('copy-never-answers-aws-sm', 'aws-sm', ['copy', 'aws-sm:app/', 'memory:', '--apply']);
