#!/usr/bin/env node
import { runAsCommand } from '../dist/cli/keyatlas.mjs';

await runAsCommand();
