import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execute } from '../../src/core/run.js';
import { inputsFrom, InputReader } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { getInputs, step } from '../../src/meta/step.js';
import { EPOCH, SHA } from './cases.js';
import { tempDir } from '../helpers/tmp.js';

afterEach(() => vi.unstubAllEnvs());

function stubGitLab(extra: Record<string, string> = {}) {
  vi.stubEnv('GITHUB_ACTIONS', '');
  vi.stubEnv('GITLAB_CI', 'true');
  const vars: Record<string, string> = {
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_BRANCH: 'main',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_SHA: SHA,
    CI_PROJECT_TITLE: 'shop',
    SOURCE_DATE_EPOCH: EPOCH,
    // Where the bake files go, removed after the test.
    RUNNER_TEMP: tempDir('skmeta-step-'),
    ...extra,
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}

describe('meta step', () => {
  it('reads separators untrimmed and lists with metadata-action CSV rules', () => {
    const inputs = getInputs(
      new InputReader(
        inputsFrom({
          'sep-tags': ', ',
          tags: '# c\ntype=raw,value=a\n"type=raw,value=b"',
          images: 'a/b,c/d',
        }),
      ),
    );
    expect(inputs).toMatchObject({
      sepTags: ', ',
      sepLabels: '\n',
      tags: ['type=raw,value=a', 'type=raw,value=b'],
      images: ['a/b,c/d'],
      context: 'workflow',
      bakeTarget: 'docker-metadata-action',
    });
    expect(() => getInputs(new InputReader(inputsFrom({ context: 'svn' })))).toThrow(
      /unknown value "svn" \(expected one of: workflow, git\)/,
    );
  });

  it('sets every output, logs groups, and writes bake files (GitLab context, no network)', async () => {
    stubGitLab();
    const platform = new MemoryPlatform();
    const code = await execute(
      step,
      inputsFrom({
        images: 'registry.example/shop',
        tags: 'type=ref,event=branch\ntype=sha',
        'sep-tags': ',',
      }),
      platform,
    );
    expect(code, platform.text()).toBe(0);
    expect(platform.outputs.get('version')).toBe('main');
    expect(platform.outputs.get('tags')).toBe('registry.example/shop:main,registry.example/shop:sha-860c190');
    expect(platform.outputs.get('tag-names')).toBe('main,sha-860c190');
    expect(platform.outputs.get('labels')).toContain('org.opencontainers.image.title=shop\n');
    expect(JSON.parse(platform.outputs.get('json') ?? '{}')).toMatchObject({
      'tag-names': ['main', 'sha-860c190'],
    });
    const bake = platform.outputs.get('bake-file') ?? '';
    expect(existsSync(bake)).toBe(true);
    expect(JSON.parse(readFileSync(bake, 'utf8'))).toMatchObject({
      target: { 'docker-metadata-action': { labels: { 'org.opencontainers.image.version': 'main' } } },
    });
    expect(platform.lines.filter((l) => l.level === 'group').map((l) => l.message)).toEqual([
      'Context info',
      'Docker image version',
      'Docker tags',
      'Docker labels',
      'Annotations',
    ]);
  });

  it('warns when no version is produced, like metadata-action', async () => {
    stubGitLab();
    const platform = new MemoryPlatform();
    const code = await execute(step, inputsFrom({ tags: 'type=semver,pattern={{version}}' }), platform);
    expect(code).toBe(0);
    expect(platform.outputs.get('version')).toBe('');
    expect(platform.text()).toContain(
      'warning: No Docker image version has been generated. Check tags input.',
    );
  });

  it('bad rules exit 2 with the input and line, and set no outputs', async () => {
    stubGitLab();
    const platform = new MemoryPlatform();
    const code = await execute(
      step,
      inputsFrom({ tags: 'type=raw,value=x\ntype=edge,enable=maybe' }),
      platform,
    );
    expect(code).toBe(2);
    expect(platform.text()).toMatch(
      /error: input "tags" line 2: enable must evaluate to true or false, got "maybe"/,
    );
    expect(platform.outputs.size).toBe(0);
  });
});
