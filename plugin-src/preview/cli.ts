/**
 * `npm run preview -- [--port N] [--org-port N] [--seed demo]`: starts the local org and the
 * record-page server, prints ONE JSON line `{"url","instanceUrl","accessToken"}` when ready,
 * then serves until stopped (Ctrl-C). Progress goes to stderr.
 */
import { parseArgs } from 'node:util';
import { startPreview } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'org-port': { type: 'string', default: '0' },
    seed: { type: 'string', default: 'demo' },
    'no-scan': { type: 'boolean', default: false }
  },
  strict: true
});

const port = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`--${name} must be a port number (0-65535), got ${String(v)}\n`);
    process.exit(2);
  }
  return n;
};

const preview = await startPreview({
  port: port('port', values.port),
  orgPort: port('org-port', values['org-port']),
  seed: values.seed,
  scanConflicts: !values['no-scan'],
  log: (line) => process.stderr.write(`${line}\n`)
});
process.stdout.write(`${JSON.stringify({ url: preview.url, instanceUrl: preview.org.instanceUrl, accessToken: preview.org.accessToken })}\n`);
process.stderr.write(`Open ${preview.url}/ for the record pages. Ctrl-C stops.\n`);
const stop = (): void => {
  preview.close().then(
    () => process.exit(0),
    () => process.exit(1)
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
