import { describe, expect, it } from 'vitest';
import { linesOf, type Case } from './helpers.js';

// Issue 17 "lint: every case": the areas where shipkit and hadolint 2.15.1 still differed,
// each row built from hadolint's documented behaviour (reference/hadolint.md, §2).
const F = 'FROM a:1\n';
const owner = { labelSchema: { owner: 'text' } } as const;
const hc = { override: { info: ['DL3057'] } };

const cases: Case[] = [
  // DL3010: archives by basename, Windows separators, quoted destinations, renamed archives.
  ['DL3010', 'windows source, quoted dir', F + 'COPY build\\foo\\bar.tar.gz "C:\\Program Files\\Foo"\nRUN tar -xf "C:\\Program Files\\Foo\\bar.tar.gz"\n', [2]], // prettier-ignore
  ['DL3010', 'windows, renamed archive', F + 'COPY build\\foo\\bar.tar.gz "C:\\Program Files\\foo.tar.gz"\nRUN tar -xf foo.tar.gz\n', [2]], // prettier-ignore
  ['DL3010', 'renamed archive', F + 'COPY foo/bar/packaged-app.tar /foo.tar\nRUN tar -xf /foo.tar\n', [2]],
  [
    'DL3010',
    'renamed: the old name is not extracted',
    F + 'COPY app.tar /x/new.tar\nRUN tar -xf app.tar\n',
    [],
  ],
  ['DL3010', 'quoted destination with a space', F + 'COPY app.tar.gz "/opt/my dir/"\nRUN tar -xzf "/opt/my dir/app.tar.gz"\n', [2]], // prettier-ignore
  ['DL3010', 'extracted after WORKDIR, later in a chain', F + 'COPY packaged-app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo bar && echo x && tar -xf packaged-app.tar\n', [2]], // prettier-ignore
  ['DL3010', 'two archives extracted: one finding each', F + 'COPY a.tar b.tgz /tmp/\nRUN tar -xf /tmp/a.tar && tar -xzf /tmp/b.tgz\n', [2, 2]], // prettier-ignore
  ['DL3010', 'extracted twice: once', F + 'COPY a.tar /tmp/\nRUN tar -xf /tmp/a.tar\nRUN tar --extract -f /tmp/a.tar\n', [2]], // prettier-ignore
  ['DL3010', 'tar without a dash is not seen', F + 'COPY a.tar /tmp/\nRUN tar xf /tmp/a.tar\n', []],
  ['DL3010', 'tar --get', F + 'COPY a.tar /tmp/\nRUN tar --get -f /tmp/a.tar\n', [2]],
  [
    'DL3010',
    'creating a tar is not extracting',
    F + 'COPY a.tar /tmp/\nRUN tar -cf /tmp/b.tar /tmp/a.tar\n',
    [],
  ],
  ['DL3010', 'json form', F + 'COPY ["app.tar.gz", "/tmp/"]\nRUN tar -xzf /tmp/app.tar.gz\n', [2]],
  ['DL3010', 'not an archive', F + 'COPY package.json /usr/src/app\nRUN tar -xf package.json\n', []],
  ['DL3010', 'copy --from exempt', F + 'COPY --from=builder /x/some.tar /opt/some.tar\nRUN tar -xf /opt/some.tar\n', []], // prettier-ignore
  [
    'DL3010',
    'reset by FROM',
    F + 'COPY app.tar /tmp/\nFROM debian:11 AS next\nRUN tar -xf /tmp/app.tar\n',
    [],
  ],
  // DL3013: options of pip/pipx install that take a value are not packages.
  ['DL3013', '--root-user-action value', F + 'RUN pip install --root-user-action ignore flask==1.0\n', []],
  ['DL3013', '--root-user-action, unpinned', F + 'RUN pip install --root-user-action ignore flask\n', [2]],
  ['DL3013', '--root-user-action=', F + 'RUN pip install --root-user-action=ignore flask==1\n', []],
  ['DL3013', 'pipx --python $(…)', F + 'RUN pipx install --python "$(which python)" black==23.1\n', []],
  ['DL3013', 'pipx --python, unpinned', F + 'RUN pipx install --python "$(which python)" black\n', [2]],
  ['DL3013', 'pipx --suffix and --pip-args', F + 'RUN pipx install --suffix _2 --pip-args "--no-cache-dir" black==23.1\n', []], // prettier-ignore
  ['DL3013', '-C config setting', F + 'RUN pip install -C key=val flask==1\n', []],
  ['DL3013', '--report', F + 'RUN pip install --report out.json flask==1\n', []],
  ['DL3013', 'global options before install', F + 'RUN pip --python /usr/bin/python3 --log l.txt install flask==1\n', []], // prettier-ignore
  ['DL3013', '--retries and --timeout values', F + 'RUN pip install --retries 5 --timeout 60 flask==1\n', []],
  ['DL3013', 'a switch does not swallow the package', F + 'RUN pip install --no-deps flask\n', [2]],
  // DL3028: options with values after a pinned gem.
  [
    'DL3028',
    'extra flag with a value',
    F + 'RUN gem install bundler:2.0.1 --use-system-libraries true\n',
    [],
  ],
  ['DL3028', 'extra flag with =', F + 'RUN gem install bundler:2.0.1 --use-system-libraries=true\n', []],
  [
    'DL3028',
    'extra flags after --',
    F + 'RUN gem install bundler:2.0.1 -- --use-system-libraries true\n',
    [],
  ],
  ['DL3028', 'unpinned with a flag=value', F + 'RUN gem install bundler --use-system-libraries=true\n', [2]],
  ['DL3028', 'unpinned after a flag value', F + 'RUN gem install --source https://x bundler\n', [2]],
  ['DL3028', 'still unpinned among pinned', F + 'RUN gem i bundler:1 nokogiri\n', [2]],
  // DL3049: a label set in a stage that inherits from another satisfies that result.
  ['DL3049', 'label in the inheriting stage', 'FROM a:1 AS base\nFROM base\nLABEL owner=me\n', [], owner],
  ['DL3049', 'two results, one lacks it (first)', 'FROM a:1 AS base\nFROM base\nLABEL owner=me\n\nFROM base\n', [5], owner], // prettier-ignore
  ['DL3049', 'two results, one lacks it (second)', 'FROM a:1 AS base\nFROM base\n\nFROM base\nLABEL owner=me\n', [2], owner], // prettier-ignore
  ['DL3049', 'two results via COPY --from', 'FROM a:1 AS base\nFROM b:1\nLABEL owner=me\nCOPY --from=base /a /b\n\nFROM b:1\nCOPY --from=base /a /b\n', [6], owner], // prettier-ignore
  ['DL3049', 'no inheritance, no copy: the other stage lacks it', 'FROM a:1 AS base\nFROM b:1\nLABEL owner=me\n', [1], owner], // prettier-ignore
  ['DL3049', 'inheritance, no labels: both', 'FROM a:1 AS base\nFROM base\n', [1, 2], owner],
  ['DL3049', 'labelled base, child inherits', 'FROM a:1 AS base\nLABEL owner=me\nFROM base\n', [], owner],
  ['DL3049', 'copy source that is also a base is silent', 'FROM a:1 AS base\nFROM base AS x\nCOPY --from=base /a /b\n', [2], owner], // prettier-ignore
  ['DL3049', 'copy by index silences nothing', 'FROM a:1\nFROM b:1\nLABEL owner=me\nCOPY --from=0 /a /b\n', [1], owner], // prettier-ignore
  ['DL3049', 'labelled in an aliased child: the base still lacks it', 'FROM a:1 AS base\nFROM base AS final\nLABEL owner=me\n', [1], owner], // prettier-ignore
  // DL3057: a chain of stages that ends in HEALTHCHECK (NONE too) is fine.
  ['DL3057', 'chain ending in HEALTHCHECK NONE', 'FROM scratch AS base1\nFROM base1 AS base2\nFROM base2 AS base3\nFROM base3 AS end\nHEALTHCHECK NONE\n', [], hc], // prettier-ignore
  ['DL3057', 'chain that bifurcates', 'FROM scratch AS base1\nFROM base1 AS base2\nFROM base2 AS base3.1\nFROM base2 AS base3.2\n\nFROM base3.1 AS end1\nHEALTHCHECK NONE\n\nFROM base3.2 AS end2\n', [4, 9], hc], // prettier-ignore
  [
    'DL3057',
    'inheriting after the healthcheck',
    'FROM scratch AS base\nHEALTHCHECK CMD /bin/x\nFROM base\n',
    [],
    hc,
  ],
  ['DL3057', 'not inheriting', 'FROM scratch AS base\nHEALTHCHECK CMD /bin/x\nFROM scratch\n', [3], hc],
  ['DL3057', 'chain without any healthcheck', 'FROM a:1 AS b1\nFROM b1 AS b2\n', [1, 2], hc],
  ['DL3057', 'healthcheck in the middle of a chain covers its parents and children', 'FROM a:1 AS b1\nFROM b1 AS b2\nHEALTHCHECK NONE\nFROM b2 AS b3\n', [], hc], // prettier-ignore
];

describe('hadolint 2.15.1 parity (issue 17)', () => {
  it.each(cases)('%s %s', (code, _name, dockerfile, lines, config) => {
    expect(linesOf(code, dockerfile, config)).toEqual(lines);
  });
});
