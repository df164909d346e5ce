import { isIP } from 'node:net';

/** Whether the demo users may sign in by a click, or why not. */
export type DemoSignInState = 'on' | 'off-identity-provider' | 'off-demo-directory' | 'off-network-host';

/**
 * Demo sign-in lets anyone in as any demo user, administrator included: only on a service that listens on a loopback
 * address, where only this machine reaches it. A container's 0.0.0.0, or any other interface, turns it off.
 */
export function demoSignInState(options: { demoDirectory: boolean; identityProvider: boolean; host: string }): DemoSignInState {
  if (options.identityProvider) return 'off-identity-provider';
  if (!options.demoDirectory) return 'off-demo-directory';
  return isLoopbackHost(options.host) ? 'on' : 'off-network-host';
}

export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^::ffff:127\./.test(address);
  return false;
}
