import type { ImageTarget } from '../../src/build-push/plan.js';

/** One image to build in the plan tests: `web` in /src/web, tagged for the local registry; `over` changes any field. */
export const imageTarget = (over: Partial<ImageTarget> = {}): ImageTarget => ({
  name: 'web',
  context: '/src/web',
  buildArgs: [],
  platforms: [],
  tags: ['127.0.0.1:5000/acme/web:1.2.3'],
  labels: [],
  cacheFrom: [],
  cacheTo: [],
  ...over,
});
