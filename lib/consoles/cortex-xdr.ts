import { cortexTenantConsole } from './cortex-tenant';

/** Cortex XDR: Settings > Configurations > Integrations > API Keys on the tenant console. */
export const cortexXdr = cortexTenantConsole('cortex-xdr');
