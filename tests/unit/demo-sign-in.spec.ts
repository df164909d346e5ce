import { demoSignInState, isLoopbackHost } from '../../src/auth/demo-sign-in';

describe('demo sign-in (the demo users have no password)', () => {
  it('is on only for a local install listening on a loopback address', () => {
    for (const host of ['127.0.0.1', '127.0.0.53', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(demoSignInState({ demoDirectory: true, identityProvider: false, host })).toBe('on');
    }
  });

  it('is off on any address another machine reaches: the wildcard, an interface, a name', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.20', '10.0.0.5', 'fe80::1', 'ldl.example.gov.cn', 'localhost.example', '128.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(false);
      expect(demoSignInState({ demoDirectory: true, identityProvider: false, host })).toBe('off-network-host');
    }
  });

  it('is off with an identity provider or without the demo directory, whatever the host', () => {
    expect(demoSignInState({ demoDirectory: true, identityProvider: true, host: '127.0.0.1' })).toBe('off-identity-provider');
    expect(demoSignInState({ demoDirectory: false, identityProvider: false, host: '127.0.0.1' })).toBe('off-demo-directory');
    expect(demoSignInState({ demoDirectory: true, identityProvider: true, host: '0.0.0.0' })).toBe('off-identity-provider');
  });
});
