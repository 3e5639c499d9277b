#!/usr/bin/env node
import { main } from '../dist/cli/keyatlas.mjs';

process.exitCode = await main(process.argv.slice(2));
