import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseArgs } from '../../src/cli/args.js';
import { loadStep } from '../../src/steps.js';

const root = join(import.meta.dirname, '..', '..');

interface SpecInput {
  type?: 'string' | 'number' | 'boolean' | 'array';
  default?: unknown;
  description?: string;
  options?: unknown[];
}

/** The components GitLab can include: `templates/<name>.yml` or `templates/<name>/template.yml`. */
function components(): Map<string, string> {
  const found = new Map<string, string>();
  const dir = join(root, 'templates');
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir)) {
    if (entry.endsWith('.yml')) found.set(entry.replace(/\.yml$/, ''), join(dir, entry));
    else if (existsSync(join(dir, entry, 'template.yml'))) found.set(entry, join(dir, entry, 'template.yml'));
  }
  return found;
}

function specOf(file: string): { inputs: Record<string, SpecInput>; body: Record<string, unknown> } {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  expect(docs.length, `${file}: a spec header, '---', then the jobs`).toBe(2);
  for (const d of docs) expect(d.errors.map(String), file).toEqual([]);
  const header = docs[0].toJS() as { spec?: { inputs?: Record<string, SpecInput> } };
  return { inputs: header.spec?.inputs ?? {}, body: docs[1].toJS() as Record<string, unknown> };
}

/** `include:` entries of a pipeline that point at one of our components, with the inputs they pass. */
function includesOf(file: string): { component: string; inputs: Record<string, unknown> }[] {
  const doc = parse(readFileSync(file, 'utf8')) as { include?: unknown };
  const list = Array.isArray(doc.include) ? doc.include : doc.include ? [doc.include] : [];
  const out: { component: string; inputs: Record<string, unknown> }[] = [];
  for (const inc of list as Record<string, string | undefined>[]) {
    const ref = inc.component ?? inc.local ?? (inc.project ? inc.file : undefined) ?? '';
    const name =
      /\/shipkit\/([\w-]+)@/.exec(ref)?.[1] ??
      /templates\/([\w-]+)(?:\/template)?\.yml$/.exec(ref)?.[1] ??
      undefined;
    if (name) out.push({ component: name, inputs: (inc.inputs as unknown as Record<string, unknown>) ?? {} });
  }
  return out;
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

const pipelines = [
  ...(existsSync(join(root, 'pipelines', 'gitlab'))
    ? readdirSync(join(root, 'pipelines', 'gitlab'))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => join(root, 'pipelines', 'gitlab', f))
    : []),
];

describe('GitLab components declare typed, described inputs', () => {
  for (const [name, file] of components()) {
    it(`${relative(root, file)} has a spec with a type, description and valid default for every input`, () => {
      const { inputs, body } = specOf(file);
      expect(Object.keys(body).length, `${name}: defines at least one job`).toBeGreaterThan(0);
      for (const [key, spec] of Object.entries(inputs)) {
        expect(spec.description, `${name}.${key}: description`).toBeTruthy();
        expect(['string', 'number', 'boolean', 'array'], `${name}.${key}: type`).toContain(
          spec.type ?? 'string',
        );
        if (spec.default !== undefined) {
          expect(typeOf(spec.default), `${name}.${key}: default's type`).toBe(spec.type ?? 'string');
          if (spec.options)
            expect(spec.options, `${name}.${key}: default among options`).toContain(spec.default);
        }
      }
      // Every input is used, and nothing refers to an input that is not declared.
      const text = readFileSync(file, 'utf8').split(/^---$/m)[1];
      const used = new Set([...text.matchAll(/\$\[\[\s*inputs\.([\w-]+)/g)].map((m) => m[1]));
      expect(
        [...used].filter((u) => !(u in inputs)),
        `${name}: undeclared inputs used`,
      ).toEqual([]);
      expect(
        Object.keys(inputs).filter((k) => !used.has(k)),
        `${name}: declared inputs never used`,
      ).toEqual([]);
    });
  }
});

describe('GitLab pipelines pass only declared inputs to our components (GitLab rejects unknown ones; gitlab-ci-local does not)', () => {
  for (const file of pipelines) {
    it(`${relative(root, file)}`, () => {
      const known = components();
      for (const inc of includesOf(file)) {
        const path = known.get(inc.component);
        expect(path, `${relative(root, file)}: component ${inc.component} exists`).toBeTruthy();
        const { inputs } = specOf(path!);
        for (const [key, value] of Object.entries(inc.inputs)) {
          expect(Object.keys(inputs), `${inc.component}: unknown input "${key}"`).toContain(key);
          const want = inputs[key].type ?? 'string';
          if (typeof value !== 'string' || !value.includes('$')) {
            expect(typeOf(value), `${inc.component}.${key}: type`).toBe(want);
          }
          if (inputs[key].options)
            expect(inputs[key].options, `${inc.component}.${key}: option`).toContain(value);
        }
        for (const [key, spec] of Object.entries(inputs)) {
          if (spec.default === undefined)
            expect(Object.keys(inc.inputs), `${inc.component}: required "${key}"`).toContain(key);
        }
      }
    });
  }
});

describe('plain templates (include: project:, no catalog) match the components', () => {
  const plainFile = join(root, 'pipelines', 'gitlab', 'shipkit.gitlab-ci.yml');
  const plain = parse(readFileSync(plainFile, 'utf8')) as Record<string, { script?: string[] }>;
  const verbs = (lines: string[] = []) =>
    lines.map(
      (l) =>
        /(?:inputs\.cli \]\]|\$SHIPKIT) (\w[\w-]*(?: (?:up|down|deploy|promote|rollback))?)/.exec(l)?.[1],
    );
  for (const [name, file] of components()) {
    it(`.shipkit-${name} runs the same single shipkit call as templates/${name}/template.yml`, () => {
      const job = plain[`.shipkit-${name}`];
      expect(job, `.shipkit-${name} exists`).toBeTruthy();
      const { body } = specOf(file);
      const componentJob = Object.values(body)[0] as { script: string[] };
      expect(job.script).toHaveLength(1);
      expect(verbs(job.script)).toEqual(verbs(componentJob.script));
    });
  }
});

describe('GitLab components for ordinary runners and the CI/CD catalog', () => {
  it('each component has a README generated from its spec, up to date (the catalog shows it)', async () => {
    const { expectedComponentPages } = await import('../../scripts/gen-docs.mjs');
    const pages = expectedComponentPages();
    expect(pages.map((p) => relative(root, p.path)).sort()).toEqual(
      [...components().keys()].map((n) => `templates/${n}/README.md`).sort(),
    );
    for (const page of pages)
      expect(page.existing, `${relative(root, page.path)} (run npm run docs)`).toBe(page.content);
  });

  for (const [name, file] of components()) {
    const { inputs, body } = specOf(file);
    const job = Object.values(body)[0] as { extends?: string; image?: unknown; tags?: unknown };
    it(`${name}: runs on the runtime image, with a tags input`, () => {
      expect(inputs.image.default).toBe('ghcr.io/shipkit-dev/shipkit:1');
      expect(inputs.tags?.type).toBe('array');
      expect(job.tags).toBe('$[[ inputs.tags ]]');
    });
    if (inputs['docker-host']) {
      it(`${name}: every docker-host option has its variant, which sets DOCKER_HOST and the smoke host`, () => {
        expect(job.extends).toBe(`.shipkit-${name}-docker-$[[ inputs.docker-host ]]`);
        for (const option of inputs['docker-host'].options ?? []) {
          const variant = body[`.shipkit-${name}-docker-${String(option)}`] as {
            variables?: Record<string, string>;
          };
          expect(variant, `.shipkit-${name}-docker-${String(option)}`).toBeTruthy();
          expect(variant.variables?.DOCKER_HOST).toMatch(/^(tcp|unix):\/\//);
          expect(variant.variables?.SHIPKIT_DOCKER_HOSTNAME).toBeTruthy();
        }
      });
    }
    if (inputs['lb-image']) {
      it(`${name}: runs on the deploy host by default and leaves the LB image to the step`, () => {
        expect(inputs.tags.default).toEqual(['deploy-host']);
        expect(inputs['lb-image'].default).toBe('');
      });
    }
  }

  it('the plain template shows its stages and sets every variable its scripts use', () => {
    const text = readFileSync(join(root, 'pipelines', 'gitlab', 'shipkit.gitlab-ci.yml'), 'utf8');
    expect(text).toMatch(/^# +stages: \[lint, build, test, deploy, promote, rollback\]$/m);
    const doc = parse(text) as Record<string, { variables?: Record<string, string>; script?: string[] }>;
    const set = new Set(Object.values(doc).flatMap((j) => Object.keys(j.variables ?? {})));
    Object.keys(doc.variables ?? {}).forEach((v) => set.add(v));
    const used = Object.values(doc)
      .flatMap((j) => [...(j.script ?? [])])
      .flatMap((line) => [...line.matchAll(/\$\{?(\w+)/g)].map((m) => m[1]));
    // CI_* are GitLab's own; the others come from an earlier job's dotenv report (build, runner up).
    const fromDotenv = ['SHIPKIT_BUILD_PUSH_IMAGES', 'SHIPKIT_RUNNER_RUNNER_ID'];
    const unset = used.filter((v) => !set.has(v) && !v.startsWith('CI_') && !fromDotenv.includes(v));
    expect(unset).toEqual([]);
  });
});

describe('every shipkit call in the GitLab components and the plain template uses flags the CLI accepts', () => {
  /** Shell words of one script line, with `$[[ inputs.x ]]` and `$VAR` standing for some value. */
  const words = (line: string) =>
    [...line.replace(/\$\[\[[^\]]+\]\]/g, 'X').matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
  const plain = parse(
    readFileSync(join(root, 'pipelines', 'gitlab', 'shipkit.gitlab-ci.yml'), 'utf8'),
  ) as Record<string, { script?: string[]; before_script?: string[]; after_script?: string[] }>;
  const sources: [string, string[]][] = [
    ...[...components()].map(([name, file]): [string, string[]] => {
      const job = Object.values(specOf(file).body)[0] as typeof plain.x;
      return [
        `templates/${name}`,
        [...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])],
      ];
    }),
    ...Object.entries(plain).map(([name, job]): [string, string[]] => [
      `plain ${name}`,
      [...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])],
    ]),
  ];
  for (const [where, lines] of sources) {
    for (const line of lines.filter((l) => /^(X|\$SHIPKIT) /.test(l.replace(/\$\[\[[^\]]+\]\]/g, 'X')))) {
      it(`${where}: ${line.slice(0, 60)}…`, async () => {
        const [, stepName, ...rest] = words(line);
        const step = await loadStep(stepName);
        expect(step, stepName).toBeDefined();
        expect(() => parseArgs(rest, step!.inputNames, step!.cli)).not.toThrow();
      });
    }
  }
});
