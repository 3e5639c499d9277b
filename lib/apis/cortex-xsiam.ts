import { cortexAdapter } from './cortex-xsoar';

/** Cortex XSIAM: the public API of Cortex XSOAR 8 (key list, headers, paging), on its own tenant. */
export const cortexXsiam = cortexAdapter('cortex-xsiam');
