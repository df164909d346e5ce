import { Alert, Button, List, Tag, Typography } from 'antd';
import { useContext, useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { LangContext, levelText, useT } from './i18n';
import { beijingDateTime } from './time';

interface Notification {
  id: string;
  caseId: string;
  procedure: string;
  deadlineKey: string;
  level: string;
  dueAt: string;
  title: string;
  unit: string;
  createdAt: string;
  readAt: string | null;
}

/** The escalations addressed to this user (yellow, red, the ladder above), newest first; reading one records it. */
export function Inbox() {
  const t = useT();
  const lang = useContext(LangContext);
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const load = () =>
    api<{ items: Notification[]; unread: number }>('/me/inbox?limit=100').then((r) => {
      setItems(r.items);
      setUnread(r.unread);
    }, setError);
  useEffect(() => {
    void load();
  }, []);
  const open = (n: Notification) => {
    const go = () => (location.hash = `/cases/${n.caseId}`);
    if (n.readAt) return go();
    return api(`/me/inbox/${encodeURIComponent(n.id)}/read`, { method: 'POST' }).then(go, setError);
  };
  return (
    <section aria-labelledby="inbox-title">
      <Typography.Title level={2} id="inbox-title">{t('inbox')} ({unread})</Typography.Title>
      {error && <Alert role="alert" type="error" showIcon title={error.message} />}
      <List
        dataSource={items}
        renderItem={(n) => (
          <List.Item actions={[<Button key="open" onClick={() => void open(n)}>{t('openCase')}</Button>]}>
            <List.Item.Meta
              title={<>{!n.readAt && <Tag color="#1e40af">{t('unread')}</Tag>}<Tag color={n.level === 'yellow' || n.level.startsWith('reminder') ? '#8a4b00' : '#b91c1c'}>{levelText(n.level, lang)}</Tag> {n.title}</>}
              description={`${n.caseId.slice(0, 8).toUpperCase()} · ${n.unit} · ${t('dueOn')} ${beijingDateTime(n.dueAt)} · ${beijingDateTime(n.createdAt)}`}
            />
          </List.Item>
        )}
      />
    </section>
  );
}
