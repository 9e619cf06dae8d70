import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileResult, Finding } from '../types.js';
import { STACK_RULES } from '../stack/catalog.js';

const stackTitle = (code: string) => STACK_RULES.find((r) => r.code === code)?.title ?? code;

/** The language of the file a finding is in (SK findings land in compose, nginx, HAProxy files too). */
function languageOf(file: string, code: string): string {
  if (code.startsWith('SC')) return 'sh';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  if (/\.(conf|template|tmpl)$/.test(file)) return 'nginx';
  if (/\.cfg$/.test(file)) return 'haproxy';
  if (/\.sh$/.test(file)) return 'sh';
  return 'dockerfile';
}

/** The category shipkit's workflows upload lint SARIF under (stable, so alerts are tracked across runs). */
export const SARIF_CATEGORY = 'shipkit-lint';

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  style: 'note',
};

/** Where shipkit's stack rule pages (docs/rules/SKxxxx.md) are published. */
export const SK_DOCS = 'https://github.com/shipkit-dev/shipkit/blob/main/docs/rules';

/** Where a code's documentation lives: hadolint's wiki for DL rules, ShellCheck's for SC codes, ours for SK. */
export function helpUri(code: string): string | undefined {
  if (/^SK\d{4}$/.test(code)) return `${SK_DOCS}/${code}.md`;
  if (/^SC\d+$/.test(code)) return `https://www.shellcheck.net/wiki/${code}`;
  if (/^DL\d+$/.test(code) && code !== 'DL1000') return `https://github.com/hadolint/hadolint/wiki/${code}`;
  return undefined;
}

/**
 * A path as a SARIF `uri`: relative to `cwd` with `/` separators and each segment percent-encoded
 * (a file named `a b.Dockerfile` or `::x::.Dockerfile` stays one valid URI reference); a file
 * outside `cwd` becomes a `file://` URI.
 */
export function artifactUri(file: string, cwd: string): string {
  let rel = file;
  if (isAbsolute(file)) {
    rel = relative(cwd, file);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(file).href;
  }
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[] };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run by the tool `shipkit`, its rules named by
 * hadolint's (DL) and ShellCheck's (SC) ids with links to their documentation, one result per
 * finding at its file and line.
 */
export function sarif(results: FileResult[], version: string, cwd = process.cwd()): Record<string, unknown> {
  const rules: Rule[] = [];
  const index = new Map<string, number>();
  const ruleOf = (f: Finding): number => {
    const known = index.get(f.code);
    if (known !== undefined) return known;
    const uri = helpUri(f.code);
    const source = f.code.startsWith('SC') ? 'ShellCheck' : f.code.startsWith('SK') ? 'shipkit' : 'hadolint';
    rules.push({
      id: f.code,
      name: f.code,
      shortDescription: {
        text:
          f.code === 'DL1000'
            ? 'Dockerfile parse error'
            : f.code.startsWith('SK')
              ? stackTitle(f.code)
              : f.message,
      },
      ...(uri ? { helpUri: uri } : {}),
      help: { text: uri ? `${f.code} (${source} rule): ${uri}` : `${f.code}: the Dockerfile does not parse` },
      defaultConfiguration: { level: LEVEL[f.severity] ?? 'note' },
      properties: { tags: [f.code.startsWith('SK') ? 'compose-stack' : 'dockerfile', source.toLowerCase()] },
    });
    index.set(f.code, rules.length - 1);
    return rules.length - 1;
  };
  const out = results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.code,
      ruleIndex: ruleOf(f),
      level: LEVEL[f.severity] ?? 'note',
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(r.file, cwd) },
            region: {
              startLine: Math.max(1, f.line),
              startColumn: Math.max(1, f.column),
              sourceLanguage: languageOf(r.file, f.code),
            },
          },
        },
      ],
    })),
  );
  return {
    $schema: 'http://json.schemastore.org/sarif-2.1.0',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipkit',
            fullName: 'shipkit lint: hadolint-compatible Dockerfile rules and ShellCheck on RUN',
            version,
            rules,
          },
        },
        defaultSourceLanguage: 'dockerfile',
        results: out,
      },
    ],
  };
}
