import { hostName, type ConsoleSite } from './site';

export const cortexXsoarConsole: ConsoleSite = {
  vendor: 'cortex-xsoar',
  title: 'Cortex XSOAR',
  routing: 'path',
  home: '/dashboard',
  pages: { '/settings/configurations/api-keys': 'cortex-xsoar-api-keys.html' },
  renderDelayMs: 800,
  // The vendor's look, approximated: button metrics as its console has them.
  css: `
body { margin: 0; font: 13px/1.5 Lato, 'Helvetica Neue', Arial, sans-serif; color: #1e2a3b; background: #f5f6fa; }
.app-layout { display: grid; grid-template-columns: 180px 1fr; min-height: 100vh; }
.app-sidebar { display: flex; flex-direction: column; background: #141b2d; padding: 12px 0; } .app-sidebar a { color: #c4cad8; text-decoration: none; padding: 6px 14px; } .app-sidebar__item--active { color: #fff; background: #263152; }
.settings-layout { display: grid; grid-template-columns: 200px 1fr; } .settings-menu { display: flex; flex-direction: column; background: #fff; border-right: 1px solid #e1e4ec; padding: 12px; }
.settings-menu__group { font-weight: 700; margin-top: 8px; } .settings-menu a { color: #1e2a3b; text-decoration: none; padding: 4px 8px; } .settings-menu__item--selected { background: #e8efff; border-radius: 4px; }
.settings-page { padding: 16px 24px; } .settings-page__header { display: flex; justify-content: space-between; align-items: center; margin-bottom: 12px; }
.settings-page__title { margin: 0; font-size: 20px; font-weight: 700; } .settings-page__actions { display: flex; align-items: center; gap: 8px; }
.btn { box-sizing: border-box; height: 32px; padding: 0 14px; border-radius: 16px; font: 700 13px/1 Lato, 'Helvetica Neue', Arial, sans-serif; cursor: pointer; }
.btn--secondary { background: #fff; border: 1px solid #9aa3b5; color: #1e2a3b; } .btn--primary { background: #00a0df; border: 1px solid #00a0df; color: #fff; }
.data-grid { background: #fff; border: 1px solid #e1e4ec; } .data-grid__row { display: grid; grid-template-columns: repeat(6, 1fr); padding: 8px 12px; border-top: 1px solid #eef0f4; } .data-grid__row--header { font-weight: 700; border-top: 0; }
`,
  // docs/contract.md#cortex-xsoar-xsiam-and-xdr: `api-<fqdn>` is the API host, the bare `<fqdn>` the console. Browser tests map both
  // names to 127.0.0.1 (--host-resolver-rules), so the Host header tells them apart.
  servesConsole: (path, req) => !hostName(req).startsWith('api-') && !path.startsWith('/public_api/') && !/\.[a-z0-9]+$/i.test(path),
};
