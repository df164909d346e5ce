import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, Session } from './api';
import { useT } from './i18n';
import { OidcOptions, startOidcSignIn } from './oidc';

interface DemoUser {
  id: string;
  name: string;
  unitId: string;
  roles: string[];
}

interface SignInOptions {
  demoUsers: DemoUser[];
  demoSignIn: 'on' | 'off-identity-provider' | 'off-demo-directory' | 'off-network-host';
  oidc?: OidcOptions;
}

/** The sign-in page: the identity provider's button, or the demo users of a local install; `notice` says why it shows (an expired session). */
export function SignIn({ onSignedIn, notice, failure }: { onSignedIn: (s: Session) => void; notice?: 'sessionExpired'; failure?: string }) {
  const t = useT();
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<SignInOptions>('/sign-in/options').then(setOptions, (e: Error) => setError(e.message));
  }, []);
  const signIn = (userId: string) =>
    api<Session>('/sign-in/demo', { method: 'POST', body: { userId } }).then(onSignedIn, (e: Error) => setError(e.message));
  const users = options?.demoUsers ?? [];
  return (
    <main className="sign-in">
      <Card title={<Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>{t('appTitle')} · {t('signIn')}</Typography.Title>} style={{ maxWidth: 560, margin: '48px auto' }}>
        {notice && <Alert type="warning" title={t(notice)} showIcon style={{ marginBottom: 16 }} />}
        {failure && <Alert type="error" title={`${t('signInFailed')}: ${failure}`} showIcon style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        {options?.oidc && (
          <Button type="primary" size="large" block onClick={() => startOidcSignIn(options.oidc!).catch((e: Error) => setError(e.message))}>
            {t('signInOidc')}
          </Button>
        )}
        {options && !options.oidc && users.length === 0 && <Alert type="info" title={t(options.demoSignIn === 'off-network-host' ? 'signInNetworkHost' : 'signInNone')} showIcon />}
        {users.length > 0 && (
          <>
            <Typography.Paragraph>{t('signInDemoHint')}</Typography.Paragraph>
            <List
              dataSource={users}
              renderItem={(u) => (
                <List.Item actions={[<Button key="go" type="primary" onClick={() => signIn(u.id)} aria-label={`${t('signInAs')}: ${u.id}`}>{t('signIn')}</Button>]}>
                  <List.Item.Meta title={u.id} description={<>{u.name} · {u.unitId} {u.roles.map((r) => <Tag key={r}>{r}</Tag>)}</>} />
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
    </main>
  );
}
