#!/usr/bin/env node
// Verifies that shipkit's version agrees everywhere it is written, before anything is released:
// package.json, src/version.ts (what `shipkit --version` prints), the built CLI, the Dockerfile's
// VERSION default, a CHANGELOG.md section, and the major version in every reference users copy
// (`…/shipkit/…@v1`, `ghcr.io/shipkit-dev/shipkit:1`) in the README, pipelines, templates, workflows,
// examples and docs. With --tag vX.Y.Z, the tag must name the same version; with --image REF, the
// image must carry it in its org.opencontainers.image.version label and print it.
//
// With --notes-out FILE, the CHANGELOG.md section of the version is written there (the release notes).
//
// Usage: scripts/release-check [--tag vX.Y.Z] [--image REF] [--notes-out FILE] [--root DIR]
// Exit codes: 0 all agree; 1 a disagreement (each one printed, naming the file and both values);
// 2 bad arguments.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files users copy references from; folders are searched for *.yml, *.yaml, *.md and Jenkinsfile. */
const REFERENCE_PATHS = [
  'README.md',
  'action.yml',
  'pipelines',
  'templates',
  '.github/workflows',
  'examples',
  'actions',
  'docs',
];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);

function parseArgs(argv) {
  const opts = { root: new URL('..', import.meta.url).pathname };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === '--tag') opts.tag = value();
    else if (flag === '--image') opts.image = value();
    else if (flag === '--root') opts.root = value();
    else if (flag === '--notes-out') opts.notesOut = value();
    else
      throw new Error(
        `unknown argument ${argv[i]} (usage: release-check [--tag vX.Y.Z] [--image REF] [--root DIR])`,
      );
    if (opts.tag === undefined && flag === '--tag') throw new Error('--tag needs a value');
  }
  return opts;
}

function walk(path, out = []) {
  if (!existsSync(path)) return out;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) if (!SKIP_DIRS.has(name)) walk(join(path, name), out);
  } else if (/\.(ya?ml|md)$|(^|\/)Jenkinsfile$/.test(path)) out.push(path);
  return out;
}

/** Every shipkit reference with a major version in `text`: `{ line, ref, major }`. */
export function majorRefs(text) {
  const found = [];
  const patterns = [
    /(?:shipkit-dev|<owner>|[\w.-]+)\/shipkit\/[\w./-]+@v(\d+)(?![\w.])/g, // actions, workflows, components
    /(?:shipkit-dev|<owner>)\/shipkit@v(\d+)(?![\w.])/g, // the root action
    /ghcr\.io\/shipkit-dev\/shipkit:(\d+)(?![\w.])/g, // the runtime image's major tag
    /@shipkit-dev\/shipkit@(\d+)(?![\w.])/g, // npm i -g @shipkit-dev/shipkit@1
  ];
  text.split('\n').forEach((lineText, i) => {
    for (const re of patterns)
      for (const m of lineText.matchAll(re)) found.push({ line: i + 1, ref: m[0], major: Number(m[1]) });
  });
  return found;
}

/** The body of the `## [version]` section of a changelog, without its heading; undefined when absent. */
export function changelogSection(text, version) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/** All disagreements, as lines naming the file and both values. */
export function check({ root, tag, image }) {
  const problems = [];
  const rel = (p) => relative(root, p) || p;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = pkg.version;
  const semver = /^(\d+)\.(\d+)\.(\d+)(?:-[\w.-]+)?$/.exec(version ?? '');
  if (!semver) return [`package.json: version "${version}" is not a semantic version`];
  const major = Number(semver[1]);

  if (tag !== undefined && tag !== `v${version}`)
    problems.push(
      `release tag ${tag} names version ${tag.replace(/^v/, '')}, but package.json says ${version}`,
    );

  const versionTs = join(root, 'src', 'version.ts');
  const inSource = /VERSION\s*=\s*'([^']+)'/.exec(readFileSync(versionTs, 'utf8'))?.[1];
  if (inSource !== version)
    problems.push(`${rel(versionTs)}: VERSION is ${inSource}, package.json says ${version}`);

  const cli = join(root, 'dist', 'cli', 'index.js');
  if (existsSync(cli)) {
    const printed = execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim();
    if (printed !== `shipkit ${version}`)
      problems.push(
        `${rel(cli)}: --version prints "${printed}", package.json says ${version} (run npm run build)`,
      );
  } else problems.push(`${rel(cli)} is missing (run npm run build)`);

  const dockerfile = join(root, 'Dockerfile');
  const inDockerfile = /^ARG VERSION=(\S+)/m.exec(readFileSync(dockerfile, 'utf8'))?.[1];
  if (inDockerfile !== version)
    problems.push(`${rel(dockerfile)}: ARG VERSION=${inDockerfile}, package.json says ${version}`);

  const changelog = join(root, 'CHANGELOG.md');
  const escaped = version.replace(/\./g, '\\.');
  if (
    !existsSync(changelog) ||
    !new RegExp(`^## \\[${escaped}\\]`, 'm').test(readFileSync(changelog, 'utf8'))
  )
    problems.push(`${rel(changelog)}: no "## [${version}]" section for the release notes`);

  for (const file of REFERENCE_PATHS.flatMap((p) => walk(join(root, p))))
    for (const r of majorRefs(readFileSync(file, 'utf8')))
      if (r.major !== major)
        problems.push(
          `${rel(file)}:${r.line}: ${r.ref} refers to major ${r.major}, package.json says ${version}`,
        );

  if (image) {
    const label = execFileSync(
      'docker',
      [
        'image',
        'inspect',
        '--format',
        '{{ index .Config.Labels "org.opencontainers.image.version" }}',
        image,
      ],
      { encoding: 'utf8' },
    ).trim();
    if (label !== version)
      problems.push(
        `image ${image}: label org.opencontainers.image.version is "${label}", package.json says ${version}`,
      );
    const printed = execFileSync('docker', ['run', '--rm', image, 'shipkit', '--version'], {
      encoding: 'utf8',
    }).trim();
    if (printed !== `shipkit ${version}`)
      problems.push(`image ${image}: shipkit --version prints "${printed}", package.json says ${version}`);
  }
  return problems;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`release-check: ${err.message}`);
    process.exit(2);
  }
  const problems = check(opts);
  for (const p of problems) console.error(`release-check: ${p}`);
  if (problems.length) process.exit(1);
  if (opts.notesOut) {
    const { version } = JSON.parse(readFileSync(join(opts.root, 'package.json'), 'utf8'));
    writeFileSync(
      opts.notesOut,
      changelogSection(readFileSync(join(opts.root, 'CHANGELOG.md'), 'utf8'), version) + '\n',
    );
  }
  console.log(
    `release-check: version ${JSON.parse(readFileSync(join(opts.root, 'package.json'), 'utf8')).version} agrees everywhere`,
  );
}
