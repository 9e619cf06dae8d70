#!/usr/bin/env node
import { cli, quietOnBrokenPipe } from '../cli/main.js';

quietOnBrokenPipe();
process.exitCode = await cli(process.argv.slice(2));
