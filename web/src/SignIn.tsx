import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, Session } from './api';
import { useT } from './i18n';

interface DemoUser {
  id: string;
  name: string;
  unitId: string;
  roles: string[];
}

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const t = useT();
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ demoUsers: DemoUser[] }>('/sign-in/options').then((o) => setUsers(o.demoUsers), (e: Error) => setError(e.message));
  }, []);
  const signIn = (userId: string) =>
    api<Session>('/sign-in/demo', { method: 'POST', body: { userId } }).then(onSignedIn, (e: Error) => setError(e.message));
  return (
    <main className="sign-in">
      <Card title={<Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>{t('appTitle')} · {t('signIn')}</Typography.Title>} style={{ maxWidth: 560, margin: '48px auto' }}>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        {users && users.length === 0 && <Alert type="info" title={t('signInNone')} showIcon />}
        {users && users.length > 0 && (
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
