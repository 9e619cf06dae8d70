import { describe, expect, it } from 'vitest';
import {
  budgetMessage,
  cleanInstruction,
  formatSize,
  imagesJson,
  logTable,
  parseHistory,
  summaryMarkdown,
  type ImageResult,
} from './report.js';

const web: ImageResult = {
  name: 'web',
  tags: ['127.0.0.1:5000/skbp-web:1', '127.0.0.1:5000/skbp-web:latest'],
  imageId: 'sha256:111',
  digest: `sha256:${'d'.repeat(64)}`,
  size: 14_200_000,
  layers: 4,
  buildMs: 3200,
};

describe('images output', () => {
  it('pins the pushed image by digest and keeps every tag', () => {
    expect(imagesJson([web, { ...web, name: 'local', digest: '', tags: ['skbp-local:latest'] }])).toEqual({
      web: {
        image: `127.0.0.1:5000/skbp-web@sha256:${'d'.repeat(64)}`,
        tags: web.tags,
        digest: web.digest,
        imageid: 'sha256:111',
        size: 14_200_000,
      },
      local: {
        image: 'skbp-local:latest',
        tags: ['skbp-local:latest'],
        digest: '',
        imageid: 'sha256:111',
        size: 14_200_000,
      },
    });
  });
});

describe('tables', () => {
  it('summary has image, tags, digest, size, layers, build time', () => {
    const md = summaryMarkdown([web], 'classic').text;
    expect(md).toContain('| Image | Tags | Digest | Size | Layers | Build time |\n|---|---|---|---|---|---|');
    expect(md).toContain(
      `| web | \`127.0.0.1:5000/skbp-web:1\`<br>\`127.0.0.1:5000/skbp-web:latest\` | \`sha256:${'d'.repeat(64)}\` | 14.2 MB | 4 | 3.2 s |`,
    );
  });
  it('log table is aligned text', () => {
    const [head, row] = logTable([web]);
    expect(head.startsWith('IMAGE  TAGS')).toBe(true);
    expect(row).toContain('dddddddddddd  14.2 MB  4       3.2 s');
  });
  it('formats sizes in decimal units', () => {
    expect([formatSize(999), formatSize(15_000_000), formatSize(272_600_000)]).toEqual([
      '999 B',
      '15.0 MB',
      '272.6 MB',
    ]);
  });
});

describe('size budget', () => {
  const history = [
    '0\t/bin/sh -c #(nop)  CMD ["node" "server.js"]',
    '5200000\t|1 BASE=shipkit/base:bookworm /bin/sh -c apt-get update && apt-get install -y curl',
    '41000000\t/bin/sh -c #(nop) COPY dir:abc in /app ',
    '272600000\t',
    '12\tRUN /bin/sh -c echo hi > /hi # buildkit',
  ].join('\n');

  it('turns history into Dockerfile instructions', () => {
    expect(parseHistory(history).map((l) => l.instruction)).toEqual([
      'CMD ["node" "server.js"]',
      'RUN apt-get update && apt-get install -y curl',
      'COPY dir:abc in /app',
      '(base image layer, no history)',
      'RUN /bin/sh -c echo hi > /hi',
    ]);
    expect(cleanInstruction('/bin/sh -c #(nop) WORKDIR /app')).toBe('WORKDIR /app');
  });

  it('lists the biggest layers first with the instruction and matching hints', () => {
    const msg = budgetMessage('web', 318_800_012, 15_000_000, parseHistory(history));
    const lines = msg.split('\n');
    expect(lines[0]).toBe(
      'web: image is 318.8 MB, over the max-size budget of 15.0 MB (by 303.8 MB). Biggest layers:',
    );
    expect(lines.slice(1, 4)).toEqual([
      '   272.6 MB  (base image layer, no history)',
      '    41.0 MB  COPY dir:abc in /app',
      '    5.20 MB  RUN apt-get update && apt-get install -y curl',
    ]);
    expect(msg).toContain('--no-install-recommends');
    expect(msg).toContain('rm -rf /var/lib/apt/lists/*');
    expect(msg).toContain('alpine');
    expect(msg).toContain('multi-stage');
  });
});
