import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from '../../src/cli/args.js';
import { loadStep, STEPS } from '../../src/steps.js';

/**
 * Jenkins cannot run here. What can: Groovy's own compiler on the Jenkinsfile (a declarative
 * pipeline is Groovy syntax), the declarative structure it must have, and every `shipkit` call in it
 * through the CLI's real argument parser, so a flag the CLI does not accept fails here, not in a
 * user's build.
 */
const root = join(import.meta.dirname, '..', '..');
const file = join(root, 'pipelines', 'jenkins', 'Jenkinsfile');
const text = readFileSync(file, 'utf8');

/** A JAVA_HOME for groovyc, whose wrapper expects Debian's default-java link. */
function javaHome(): string {
  try {
    return dirname(dirname(realpathSync(execFileSync('which', ['java'], { encoding: 'utf8' }).trim())));
  } catch {
    return '/usr/lib/jvm/default-java';
  }
}

const groovyEnv = { ...process.env, JAVA_HOME: process.env.JAVA_HOME ?? javaHome() };
const skipGroovy = (() => {
  const r = spawnSync('groovyc', ['-version'], { env: groovyEnv, stdio: 'ignore' });
  return r.status === 0 ? undefined : 'groovyc is not installed (run scripts/setup-host.sh)';
})();

/** Splits one shell command line as sh would for our calls: spaces, '…' and "…" (kept verbatim). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Every `shipkit …` command in the Jenkinsfile's `sh '…'` steps. */
const calls = [...text.matchAll(/\bsh '([^']*)'/g)]
  .map((m) => m[1])
  .filter((cmd) => cmd.startsWith('shipkit '))
  .map((cmd) => words(cmd).slice(1));

describe('pipelines/jenkins/Jenkinsfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-jenkins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(skipGroovy)(
    `compiles with groovyc${skipGroovy ? ` (skipped: ${skipGroovy})` : ''}`,
    () => {
      copyFileSync(file, join(dir, 'Jenkinsfile.groovy'));
      const r = spawnSync('groovyc', ['-d', join(dir, 'out'), join(dir, 'Jenkinsfile.groovy')], {
        encoding: 'utf8',
        env: groovyEnv,
      });
      expect(r.stderr + r.stdout).not.toMatch(/error/i);
      expect(r.status).toBe(0);
    },
    60_000,
  );

  it('is a declarative pipeline: agent, parameters, environment, stages with steps, post', () => {
    expect(text).toMatch(/^pipeline \{$/m);
    for (const section of ['agent', 'parameters', 'environment', 'stages', 'post'])
      expect(text, section).toMatch(new RegExp(`^  ${section} \\{$`, 'm'));
    const stages = [...text.matchAll(/^ {4}stage\('([^']+)'\) \{$/gm)].map((m) => m[1]);
    expect(stages).toEqual([
      'Lint',
      'Build & push',
      'Stack up & smoke',
      'Deploy to the idle colour',
      'Promote',
      'Roll back',
    ]);
    expect(text.match(/^ {6}steps \{$/gm)).toHaveLength(stages.length);
  });

  it('runs the flow through the runtime image, asks a person before promoting, and rolls back by parameter', () => {
    expect(text).toMatch(/image 'ghcr\.io\/shipkit-dev\/shipkit:1'/);
    const promote = text.slice(text.indexOf("stage('Promote')"), text.indexOf("stage('Roll back')"));
    expect(promote.indexOf('input message:')).toBeGreaterThan(0);
    expect(promote.indexOf('input message:')).toBeLessThan(promote.indexOf('shipkit bluegreen promote'));
    expect(text).toMatch(/booleanParam\(name: 'ROLLBACK'/);
    const rollback = text.slice(text.indexOf("stage('Roll back')"));
    expect(rollback).toMatch(/when \{ expression \{ params\.ROLLBACK \} \}/);
    expect(rollback).toContain('shipkit bluegreen rollback');
  });

  it("takes secrets from Jenkins' credential store, never from the file", () => {
    expect(text).toMatch(/withCredentials\(\[usernamePassword\(credentialsId: 'registry'/);
    expect(text).toMatch(/SLACK_BOT_TOKEN = credentials\('slack-bot-token'\)/);
    expect(text).not.toMatch(/xox[bp]-|password\s*=\s*'/i);
  });

  it('calls shipkit for every step of the flow', () => {
    const steps = calls.map(([step, sub]) => (sub && !sub.startsWith('-') ? `${step} ${sub}` : step));
    expect(new Set(steps)).toEqual(
      new Set([
        'notify',
        'lint',
        'build-push',
        'stack up',
        'smoke',
        'stack down',
        'bluegreen deploy',
        'bluegreen promote',
        'bluegreen rollback',
      ]),
    );
  });

  for (const args of calls) {
    it(`shipkit ${args.slice(0, 2).join(' ')}… uses only flags the CLI accepts`, async () => {
      const step = await loadStep(args[0]);
      expect(step, `step ${args[0]}`).toBeDefined();
      expect(() => parseArgs(args.slice(1), step!.inputNames, step!.cli)).not.toThrow();
    });
  }

  it('reads only outputs that the steps it ran declare', async () => {
    const read = [...text.matchAll(/shipkitOutput\('([\w-]+)'\)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    const declared = new Set<string>();
    for (const load of Object.values(STEPS)) (await load()).outputNames.forEach((n) => declared.add(n));
    for (const name of read) expect(declared, name).toContain(name);
  });
});
