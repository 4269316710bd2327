/**
 * Real headless Chromium for browser tests (Debian's `chromium` package, driven by playwright-core; `.ci/run`
 * installs it). Outside CI, a machine without Chromium skips these tests with a loud reason; in CI a missing
 * browser fails them, so a green CI always means the browser build really ran.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const chromiumPath: string | undefined = CANDIDATES.find((p) => existsSync(p));
export const browserSkipReason =
  chromiumPath || process.env.CI ? undefined : 'Chromium not installed (apt-get install chromium, or set CHROMIUM_PATH)';

/** Launch with the flags this machine needs (closed network: no background networking). */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`Chromium not found in ${CANDIDATES.join(', ')}: install Debian's chromium package`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Serve a fixed set of files (path -> [content-type, body]) on 127.0.0.1. */
export async function serveFiles(files: Record<string, [string, string | Uint8Array]>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const entry = files[(req.url ?? '/').split('?')[0]!];
    if (!entry) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': entry[0], 'cache-control': 'no-store' }).end(entry[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
