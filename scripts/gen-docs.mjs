#!/usr/bin/env node
// Generates each step's usage and inputs/outputs tables in actions/<step>/README.md from its action.yml,
// between `<!-- start usage -->` and `<!-- end usage -->` (the text around the markers is kept), so
// the docs cannot drift from the action. `node scripts/gen-docs.mjs --check` fails when out of date.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { inferType, readInterface } from './gen-interface.mjs';
import { expectedRulePages, loadRules } from './gen-rule-docs.mjs';

const root = new URL('..', import.meta.url).pathname;
const START = '<!-- start usage -->';
const END = '<!-- end usage -->';

const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

/** The input's type as the step reads it: the same inference and hints as src/generated/<step>.ts. */
export function inputType(spec, step, name) {
  return step ? readInterface(step).inputs[name].type : inferType(spec);
}

/** A default as a table cell; a whitespace default (a newline separator) shown escaped. */
const shownDefault = (d) => (String(d).trim() === '' ? JSON.stringify(String(d)).slice(1, -1) : cell(d));

/** The generated block for one action: a usage snippet, then the inputs and outputs tables. */
export function renderUsage(step, action) {
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const example = inputs
    .filter(([, s]) => s.required)
    .map(([n]) => `    ${n}: ...`)
    .join('\n');
  const lines = [
    START,
    '```yaml',
    `- uses: <owner>/shipkit/actions/${step}@v1`,
    ...(example ? ['  with:', example] : []),
    '```',
    '',
    '### Inputs',
    '',
    '| Name | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...inputs.map(
      ([n, s]) =>
        `| \`${n}\` | ${inputType(s, step, n)} | ${s.default === undefined || s.default === '' ? (s.required ? '*required*' : '') : `\`${shownDefault(s.default)}\``} | ${cell(s.description)} |`,
    ),
    '',
    '### Outputs',
    '',
    '| Name | Description |',
    '| --- | --- |',
    ...outputs.map(([n, s]) => `| \`${n}\` | ${cell(s.description)} |`),
    END,
  ];
  return lines.join('\n');
}

/** The whole page: existing prose around the markers is kept; a new page gets a title and summary. */
export function renderPage(step, action, existing) {
  const block = renderUsage(step, action);
  if (existing && existing.includes(START) && existing.includes(END)) {
    return (
      existing.slice(0, existing.indexOf(START)) + block + existing.slice(existing.indexOf(END) + END.length)
    );
  }
  return `# \`${step}\`\n\n${action.description ?? ''}\n\nCLI: \`shipkit ${step} --<input> <value> …\`\n\n${block}\n`;
}

export function steps() {
  return readdirSync(join(root, 'actions')).filter((d) => existsSync(join(root, 'actions', d, 'action.yml')));
}

export function expectedPages() {
  return steps().map((step) => {
    const action = parse(readFileSync(join(root, 'actions', step, 'action.yml'), 'utf8'));
    const path = join(root, 'actions', step, 'README.md');
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    return { step, path, existing, content: renderPage(step, action, existing) };
  });
}

/** What each GitLab component does, for its generated README (the catalog shows it). */
const COMPONENT_SUMMARIES = {
  lint: 'Lints every Dockerfile (hadolint rules, ShellCheck) and writes a Code Quality report. Runs as a non-root user.',
  build:
    'Builds every compose service with a `build:` section, pushes it, and passes the images to later jobs as a dotenv report.',
  test: 'Brings the compose stack up, smoke-tests the load balancer (JUnit report), and always tears the stack down.',
  deploy:
    'Deploys the new image to the idle colour on the deploy host and smoke-tests it on the preview port. Nothing switches.',
  promote:
    'Manual: switches live traffic to the deployed colour (protect the environment to require approvals).',
  rollback: 'Manual: switches back to the release that was live before, or redeploys it.',
  'ephemeral-runner':
    "Creates a runner for this pipeline through GitLab's API, starts it in a container on the Docker host for one job (the test job), and removes it afterwards; a TTL and a gc job sweep what cancelled pipelines leave.",
};

const DOCKER_HOST_NOTE = `### Reaching a Docker engine (\`docker-host\`)

- \`dind\` (default): a \`docker:dind\` service over TLS. The runner must allow privileged services and
  share the client certificates, as GitLab documents:
  \`\`\`toml
  [runners.docker]
    privileged = true
    volumes = ["/certs/client"]
  \`\`\`
- \`socket\`: the runner host's engine. The runner mounts the socket and names the host for the smoke test:
  \`\`\`toml
  [runners.docker]
    volumes = ["/var/run/docker.sock:/var/run/docker.sock"]
    extra_hosts = ["host.docker.internal:host-gateway"]
  \`\`\`
`;

const DEPLOY_HOST_NOTE = `### The deploy host

The job runs on the runner tagged \`deploy-host\` (input \`tags\`), on the Docker host that serves the app:
its blue-green state (\`/var/lib/shipkit\`) and load balancer live there. Use a shell executor on that
host, or a docker executor that mounts the socket and the state folder at the same paths:
\`\`\`toml
[runners.docker]
  volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/var/lib/shipkit:/var/lib/shipkit"]
\`\`\`
`;

const EPHEMERAL_RUNNER_NOTE = `### Set-up

1. A masked, protected CI/CD variable \`SHIPKIT_RUNNER_TOKEN\`: a project (or group) access token or a
   personal access token with the \`create_runner\` and \`manage_runner\` scopes, of a user with the
   Maintainer role (Owner for \`scope: group\`). shipkit redacts it from its own output; GitLab masks it.
2. A runner for these jobs on the Docker host (input \`tags\`) whose jobs mount the host's socket:
   \`\`\`toml
   [runners.docker]
     volumes = ["/var/run/docker.sock:/var/run/docker.sock"]
   \`\`\`
3. The test job on the ephemeral runner, by its tag:
   \`\`\`yaml
   include:
     - component: $CI_SERVER_FQDN/shipkit-dev/shipkit/ephemeral-runner@v1
       inputs: { tags: [docker-host] }
     - component: $CI_SERVER_FQDN/shipkit-dev/shipkit/test@v1
       inputs: { tags: [shipkit-$CI_PIPELINE_ID] }
   \`\`\`

### What happens

- \`shipkit-ephemeral-runner\` (stage \`.pre\`): \`POST /api/v4/user/runners\` with \`runner_type\`
  \`project_type\` (or \`group_type\`), \`tag_list\` = the label only, \`run_untagged: false\`, \`locked: true\`;
  the answer's \`glrt-\` token goes to the container as \`CI_SERVER_TOKEN\` (never on a command line), and
  the container runs \`gitlab-runner run-single --max-builds 1 --wait-timeout <ttl>\` with the docker
  executor (\`CI_SERVER_URL\`, \`RUNNER_NAME\`, \`RUNNER_EXECUTOR\`, \`DOCKER_IMAGE\`, \`--docker-volumes\`…).
  The container carries \`dev.shipkit.ttl\` / \`dev.shipkit.created\` labels and the runner id.
- \`shipkit-ephemeral-runner-down\` (stage \`.post\`, \`when: always\`): removes the container and
  \`DELETE /api/v4/runners/:id\`.
- \`shipkit-ephemeral-runner-gc\` (stage \`.pre\`): removes exited or expired runner containers of ours on
  the host and deletes API runners named \`shipkit-…\` older than the TTL that are not online — what a
  cancelled pipeline (which skips \`.post\`) left behind. A scheduled pipeline can run it too.

The command and variables were checked against gitlab-runner's own definitions, not a running image
(it cannot be pulled where shipkit is tested): the ubuntu image's \`ENTRYPOINT\` (\`dumb-init /entrypoint\`,
which ends in \`exec gitlab-runner "$@"\`), and \`run-single\`'s flags and variables in \`commands/single.go\`
and \`common/config.go\` of a 17.x source (the one with \`run-single --config/--runner\`), as the 17.8
commands page describes them; the default \`runner-image\` is pinned to \`gitlab/gitlab-runner:v17.8.0\`.
shipkit's tests run the lifecycle with a stand-in image (not gitlab-runner) that reads the same command
and variables.
`;

/** The generated README of one GitLab component (templates/<name>/README.md), from its spec. */
export function renderComponentPage(name, templateText) {
  const header = parse(templateText.split(/^---$/m)[0]);
  const inputs = Object.entries(header?.spec?.inputs ?? {});
  const shown = (v) => (Array.isArray(v) ? JSON.stringify(v) : String(v));
  const lines = [
    `# \`${name}\` component`,
    '',
    '<!-- Generated by scripts/gen-docs.mjs from template.yml: edit that, then run `npm run docs`. -->',
    '',
    COMPONENT_SUMMARIES[name] ?? '',
    '',
    '```yaml',
    'include:',
    `  - component: $CI_SERVER_FQDN/shipkit-dev/shipkit/${name}@v1`,
    '    inputs: {}',
    '```',
    '',
    '## Inputs',
    '',
    '| Name | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...inputs.map(
      ([n, s]) =>
        `| \`${n}\` | ${s.type ?? 'string'}${s.options ? ` (${s.options.join(', ')})` : ''} | ${s.default === undefined ? '*required*' : s.default === '' ? '' : `\`${cell(shown(s.default))}\``} | ${cell(s.description)} |`,
    ),
    '',
  ];
  if (name === 'ephemeral-runner') lines.push(EPHEMERAL_RUNNER_NOTE);
  else if (inputs.some(([n]) => n === 'docker-host')) lines.push(DOCKER_HOST_NOTE);
  else if (/docker:\s*\n\s*user: root/.test(templateText)) lines.push(DEPLOY_HOST_NOTE);
  return lines.join('\n');
}

export function expectedComponentPages() {
  const dir = join(root, 'templates');
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'template.yml')))
    .map((name) => {
      const path = join(dir, name, 'README.md');
      const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      const content = renderComponentPage(name, readFileSync(join(dir, name, 'template.yml'), 'utf8'));
      return { step: name, path, existing, content };
    });
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const check = process.argv.includes('--check');
  let stale = 0;
  const rulePages = expectedRulePages(await loadRules());
  for (const page of [...expectedPages(), ...expectedComponentPages(), ...rulePages]) {
    if (page.existing === page.content) continue;
    stale++;
    if (check) console.error(`stale: ${page.path} (run npm run docs)`);
    else {
      mkdirSync(dirname(page.path), { recursive: true });
      writeFileSync(page.path, page.content);
    }
  }
  if (check && stale) process.exit(1);
  console.log(check ? 'docs are up to date' : `docs: ${stale} page(s) written`);
}
