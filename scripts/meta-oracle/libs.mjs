// The libraries docker/metadata-action runs on, installed outside the repository by run.mjs
// (they are not shipkit dependencies): META_ORACLE_DIR, default /tmp/shipkit-meta-oracle.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const oracleDir = process.env.META_ORACLE_DIR || '/tmp/shipkit-meta-oracle';
const require = createRequire(join(oracleDir, 'package.json'));

export const libs = {
  handlebars: require('handlebars'),
  moment: require('moment-timezone'),
  pep440: require('@renovatebot/pep440'),
  semver: require('semver'),
  csv: require('csv-parse/sync'),
};
