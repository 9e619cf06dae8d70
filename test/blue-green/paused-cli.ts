// The shipkit CLI for kill tests: `--pause=<point>:<ms>` before the step name sleeps at that named point
// of a blue-green switch (through the step's `hooks` seam) so the test can SIGKILL the process there.
// Without --pause it is the plain CLI (src/entries/cli.ts).
import { cli, quietOnBrokenPipe } from '../../src/cli/main.js';
import { InputReader } from '../../src/core/inputs.js';
import { execute } from '../../src/core/run.js';
import { defineStep } from '../../src/core/step.js';
import { parseArgs } from '../../src/cli/args.js';
import { LocalPlatform } from '../../src/platform/local.js';
import { processEnv } from '../../src/platform/context.js';
import { getInputs, runBlueGreen, step } from '../../src/blue-green/step.js';
import { runSmoke } from '../../src/smoke/index.js';

quietOnBrokenPipe();
const [first, ...rest] = process.argv.slice(2);
const pause = /^--pause=([\w-]+):(\d+)$/.exec(first ?? '');
if (!pause) {
  process.exitCode = await cli(process.argv.slice(2));
} else {
  const [, point, ms] = pause;
  const platform = new LocalPlatform(processEnv());
  const hooks = {
    async at(name: string) {
      if (name !== point) return;
      platform.info(`test hook: pausing ${ms} ms at ${point} (pid ${process.pid})`);
      await new Promise((r) => setTimeout(r, Number(ms)));
    },
  };
  const paused = defineStep({
    name: step.name,
    summary: step.summary,
    inputs: Object.fromEntries(step.inputNames.map((n) => [n, n])),
    outputs: Object.fromEntries(step.outputNames.map((n) => [n, n])),
    getInputs: (reader: InputReader) => getInputs(reader),
    main: (inputs, p) => runBlueGreen(inputs, p, runSmoke, hooks),
  });
  // rest[0] is the step name (`bluegreen`), as for the plain CLI.
  process.exitCode = await execute(paused, parseArgs(rest.slice(1), step.inputNames, step.cli), platform);
}
