// `npm run demo`: local mock consoles of all five vendors, then the real export through the real code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { main as keyatlas } from '../cli/keyatlas';
import { startMockFleet } from '../test/mock-vendors/index';

const OUT_DIR = 'demo-output';

async function demo(): Promise<number> {
  const fleet = await startMockFleet();
  try {
    mkdirSync(OUT_DIR, { recursive: true });
    const configPath = join(OUT_DIR, 'keyatlas-demo-config.json');
    // The mock consoles' demo credentials are fake; a real config would use {"env": "VAR"} secrets.
    writeFileSync(configPath, JSON.stringify(fleet.config, null, 2) + '\n');
    const csvPath = join(OUT_DIR, `keyatlas-demo-${new Date().toISOString().slice(0, 10)}.csv`);

    console.log('KeyAtlas demo: mock consoles of all five vendors are running on 127.0.0.1:');
    for (const inst of fleet.config.instances) console.log(`  ${String(inst.name).padEnd(10)} ${String(inst.vendor).padEnd(22)} ${String(inst.url)}`);
    console.log(`\n$ keyatlas export --config ${configPath} --out ${csvPath}\n`);
    const code = await keyatlas(['export', '--config', configPath, '--out', csvPath]);

    console.log(`\nThe CSV is at ${relative(process.cwd(), csvPath)} (keys masked; --keys full|omit to change).`);
    console.log('Next: `npm run build`, then load .output/chrome-mv3 (chrome://extensions → Developer mode → Load unpacked)');
    console.log('or .output/firefox-mv3 (about:debugging → This Firefox → Load Temporary Add-on). See README.md.');
    return code;
  } finally {
    await fleet.close();
  }
}

process.exitCode = await demo();
