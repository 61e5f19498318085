// Secrets Manager answers GetSecretValue with a 100 MB SecretString: accepted, although the source
// declares maxValueBytes 64 KB?
import { oversizedCase } from '../lib/shapes.mjs';

await oversizedCase('aws-sm-oversized-value', 'aws-sm');
