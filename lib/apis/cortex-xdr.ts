import { cortexAdapter } from './cortex-xsoar';

/** Cortex XDR: the public API of Cortex XSOAR 8 (key list, headers, paging), on its own tenant. */
export const cortexXdr = cortexAdapter('cortex-xdr');
