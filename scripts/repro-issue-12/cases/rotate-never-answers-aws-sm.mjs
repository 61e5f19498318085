// `secretsource rotate` against a aws-sm that accepts connections and never answers: does it end?
import { neverAnswersCase } from '../lib/shapes.mjs';

await neverAnswersCase('rotate-never-answers-aws-sm', 'aws-sm', ['rotate', 'aws-sm:app/jwt']);
