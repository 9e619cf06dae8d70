/**
 * The labels stack puts on every resource of a project, written out as a test expects them (the step
 * builds them from `Label` in src/stack/override.ts; this spells the names so a rename fails the tests).
 */
export function expectedLabels(o: {
  owner: string;
  created: number;
  project: string;
}): Record<string, string> {
  return {
    'dev.shipkit.owner': o.owner,
    'dev.shipkit.created': String(o.created),
    'dev.shipkit.project': o.project,
    'dev.shipkit.kind': 'stack',
  };
}
