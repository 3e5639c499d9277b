// Preloaded into the spawned CLI (NODE_OPTIONS=--import) so a test chooses the instant the run
// takes as "now" (KEYATLAS_TEST_NOW, ISO): only `new Date()` is fixed, Date.now and timers stay real.
const fixed = Date.parse(process.env.KEYATLAS_TEST_NOW ?? '');
if (Number.isNaN(fixed)) throw new Error('fixed-clock.mjs needs KEYATLAS_TEST_NOW');
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    if (args.length) super(...args);
    else super(fixed);
  }
};
