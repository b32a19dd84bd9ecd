/**
 * Tries to open `url` in the default browser; any failure (no browser, no display, SSH) is
 * ignored because the address and code are printed anyway. Returns whether it was attempted.
 */
export async function openBrowserQuietly(url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
