/** Every recogniser, one per ecosystem or file kind. A new one adds one import and one entry here. */
import type { Recognizer } from '../recognizer.js';
import { ci } from './ci.js';
import { docker } from './docker.js';
import { dotenv } from './dotenv.js';
import { appsettings, csharp } from './dotnet.js';
import { go } from './go.js';
import { java, spring } from './java.js';
import { javascript } from './javascript.js';
import { kubernetes } from './kubernetes.js';
import { php } from './php.js';
import { python } from './python.js';
import { erb, ruby } from './ruby.js';
import { compose, shell } from './shell.js';
import { yamlConfig } from './yaml-config.js';

/** The registered recognisers. */
export const recognizers: readonly Recognizer[] = [
  python,
  javascript,
  go,
  java,
  spring,
  csharp,
  appsettings,
  php,
  ruby,
  erb,
  shell,
  compose,
  docker,
  ci,
  kubernetes,
  yamlConfig,
  dotenv,
];
