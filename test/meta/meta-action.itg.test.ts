import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_REPO, CASES, EPOCH, SHA, type MetaCase } from './cases.js';
import { caseEnv } from './run-case.js';
import { startGitHubContractServer, type ContractServer } from './github-contract-server.js';

const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'dist', 'meta', 'index.js');
const cli = join(root, 'dist', 'cli', 'index.js');

/** Reads a GITHUB_OUTPUT file as @actions/core writes it (`name<<delimiter` … `delimiter`). */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
      out[m[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

interface Run {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  envFile: string;
}

let work: string;
let seq = 0;

/** Runs a script as GitHub would: INPUT_* variables, payload file, GITHUB_OUTPUT / GITHUB_ENV files. */
function runAction(
  env: Record<string, string>,
  inputs: Record<string, string>,
  payload: unknown,
  script = bundle,
  args: string[] = [],
): Promise<Run> {
  const dir = join(work, `run-${++seq}`);
  const files = { event: `${dir}-event.json`, output: `${dir}-output`, env: `${dir}-env` };
  writeFileSync(files.event, JSON.stringify(payload));
  writeFileSync(files.output, '');
  writeFileSync(files.env, '');
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    RUNNER_TEMP: work,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    ...env,
  };
  for (const [k, v] of Object.entries(inputs)) full[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((ok) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: full, cwd: work, timeout: 30_000 },
      (err, stdout) => {
        ok({
          code: err ? Number((err as { code?: number }).code ?? 1) : 0,
          stdout,
          outputs: parseGithubOutput(readFileSync(files.output, 'utf8')),
          envFile: readFileSync(files.env, 'utf8'),
        });
      },
    );
  });
}

function caseInputs(c: MetaCase): Record<string, string> {
  const inputs: Record<string, string> = {
    'bake-target': 'docker-metadata-action',
    'github-token': 'ghs_contracttoken',
  };
  for (const [k, v] of Object.entries(c.inputs)) if (v !== undefined) inputs[k] = v;
  return inputs;
}

/** Runs `fn` over `items` with at most `limit` at a time (the machine is shared). */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

describe.skipIf(!existsSync(bundle) && 'dist/meta/index.js is not built (npm run build)')(
  'bundled actions/meta run as GitHub runs it (contract test against a GitHub API server)',
  () => {
    let api: ContractServer;
    let results: Run[];

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'skmeta-itg-'));
      api = await startGitHubContractServer({
        'repos/get': () => API_REPO,
        'repos/get-commit': (p) => ({ sha: p.ref, commit: { committer: { date: '2020-01-09T12:00:00Z' } } }),
      });
      results = await pool(CASES, 2, (c) =>
        runAction({ ...caseEnv(c), GITHUB_API_URL: api.url }, caseInputs(c), c.event?.payload ?? {}),
      );
    });
    afterAll(async () => {
      await api?.close();
      rmSync(work, { recursive: true, force: true });
    });

    it('every API request matched GitHub OpenAPI contract (repos/get with token auth)', () => {
      expect(api.violations).toEqual([]);
      expect(api.requests.length).toBeGreaterThanOrEqual(
        CASES.length - CASES.filter((c) => 'error' in c.expected).length,
      );
      expect(
        api.requests.every((r) => r.operationId === 'repos/get' && r.path === '/repos/octocat/Hello-World'),
      ).toBe(true);
      expect(api.requests[0].headers.authorization).toBe('token ghs_contracttoken');
    });

    CASES.forEach((c, i) => {
      it(c.name, () => {
        const r = results[i];
        if ('error' in c.expected) {
          expect(r.code).not.toBe(0);
          expect(r.stdout).toMatch(/::error/);
          expect(r.stdout).toMatch(c.expected.error);
          return;
        }
        expect(r.code, r.stdout).toBe(0);
        expect(r.outputs.version).toBe(c.expected.version);
        expect(r.outputs.tags).toBe(c.expected.tags.join('\n'));
        const labels = Object.fromEntries(
          r.outputs.labels.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        if (c.expected.labels) expect(labels).toMatchObject(c.expected.labels);
        expect(JSON.parse(r.outputs.json)).toMatchObject({ tags: c.expected.tags, labels });
        if (c.expected.warning) expect(r.stdout).toMatch(c.expected.warning);
      });
    });

    it('separators, tag-names, annotations and DOCKER_METADATA_OUTPUT_* env as metadata-action', async () => {
      const r = await runAction(
        {
          ...caseEnv({ name: 'x', inputs: {}, expected: { error: /x/ } }),
          GITHUB_REF: 'refs/tags/v1.2.3',
          GITHUB_API_URL: api.url,
          DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index',
        },
        {
          images: 'user/app',
          tags: 'type=semver,pattern={{version}}',
          'sep-tags': ',',
          'sep-labels': ';',
          'sep-annotations': '|',
          labels: 'a=1',
          annotations: 'b=2',
        },
        {},
      );
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.tags).toBe('user/app:1.2.3,user/app:latest');
      expect(r.outputs['tag-names']).toBe('1.2.3,latest');
      expect(r.outputs.labels.split(';')[0]).toBe('a=1');
      const annotations = r.outputs.annotations.split('|');
      expect(annotations).toContain('manifest:b=2');
      expect(annotations).toContain('index:b=2');
      expect(annotations).not.toContain('manifest:a=1');
      expect(annotations).toContain('index:org.opencontainers.image.version=1.2.3');
      expect(annotations).toHaveLength(18);
      expect(parseGithubOutput(r.envFile).DOCKER_METADATA_OUTPUT_TAG_NAMES).toBe('1.2.3,latest');
      const bake = JSON.parse(readFileSync(r.outputs['bake-file-tags'], 'utf8')) as unknown;
      expect(bake).toEqual({
        target: {
          'docker-metadata-action': {
            tags: ['user/app:1.2.3', 'user/app:latest'],
            args: { DOCKER_META_IMAGES: 'user/app', DOCKER_META_VERSION: '1.2.3' },
          },
        },
      });
    });

    it('an unreachable GitHub API only warns; labels come from the event payload', async () => {
      const r = await runAction(
        {
          GITHUB_ACTIONS: 'true',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REF: 'refs/heads/master',
          GITHUB_SHA: SHA,
          GITHUB_REPOSITORY: 'octocat/Hello-World',
          SOURCE_DATE_EPOCH: EPOCH,
          GITHUB_API_URL: 'http://127.0.0.1:9',
        },
        { images: 'user/app', tags: 'type=edge\ntype=ref,event=branch' },
        {
          repository: {
            name: 'Hello-World',
            description: 'From the payload',
            html_url: 'https://github.com/octocat/Hello-World',
            default_branch: 'master',
            license: { spdx_id: 'Apache-2.0' },
          },
        },
      );
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(
        /::warning::Cannot read repository octocat\/Hello-World from http:\/\/127\.0\.0\.1:9/,
      );
      expect(r.outputs.tags).toBe('user/app:edge\nuser/app:master');
      expect(r.outputs.labels).toContain('org.opencontainers.image.description=From the payload');
      expect(r.outputs.labels).toContain('org.opencontainers.image.licenses=Apache-2.0');
    });

    it('bad input fails with one line naming the input and line, and no outputs', async () => {
      const r = await runAction(
        { ...caseEnv({ name: 'x', inputs: {}, expected: { error: /x/ } }), GITHUB_API_URL: api.url },
        { tags: 'type=ref,event=branch\ntype=semver' },
        {},
      );
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/::error[^\n]*input "tags" line 2: type=semver needs a pattern attribute/);
      expect(r.outputs).toEqual({});
    });

    it('GitLab: the CLI gives the same tags from CI_* variables, as a dotenv report', async () => {
      const dotenv = join(work, 'gitlab.env');
      const r = await runAction(
        {
          GITLAB_CI: 'true',
          CI_PIPELINE_SOURCE: 'push',
          CI_COMMIT_TAG: 'v1.2.3',
          CI_COMMIT_SHA: SHA,
          CI_DEFAULT_BRANCH: 'master',
          CI_PROJECT_TITLE: 'Hello-World',
          CI_PROJECT_URL: 'https://gitlab.com/octocat/hello-world',
          SOURCE_DATE_EPOCH: EPOCH,
          SHIPKIT_DOTENV: dotenv,
        },
        {},
        {},
        cli,
        [
          'meta',
          '--images',
          'registry.gitlab.com/octocat/hello-world',
          '--tags',
          'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
        ],
      );
      expect(r.code, r.stdout).toBe(0);
      const env = readFileSync(dotenv, 'utf8');
      expect(env).toContain('SHIPKIT_META_VERSION=1.2.3\n');
      expect(env).toContain(
        'SHIPKIT_META_TAGS=registry.gitlab.com/octocat/hello-world:1.2.3\\nregistry.gitlab.com/octocat/hello-world:1.2\\nregistry.gitlab.com/octocat/hello-world:sha-860c190\\nregistry.gitlab.com/octocat/hello-world:latest\n',
      );
      expect(env).toContain('org.opencontainers.image.url=https://gitlab.com/octocat/hello-world');
    });
  },
);
