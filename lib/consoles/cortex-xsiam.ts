import { cortexTenantConsole } from './cortex-tenant';

/** Cortex XSIAM: Settings > Configurations > Integrations > API Keys on the tenant console. */
export const cortexXsiam = cortexTenantConsole('cortex-xsiam');
