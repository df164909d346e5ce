import { Alert, Button, Card, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { useT } from './i18n';
import { CaseItem } from './model';
import { beijingDateTime } from './time';

interface Me {
  user: string;
  roles: string[];
}
interface Member {
  id: string;
  name: string;
  roles: string[];
}

/**
 * Who handles the case: a caseworker of the owning unit claims it while nobody has it; a supervisor (of the unit or
 * above) or an administrator also takes it over, reassigns it to a member of the unit, or unassigns it.
 */
export function Assignment({ c, onChange }: { c: CaseItem; onChange: (updated: CaseItem) => void }) {
  const t = useT();
  const [me, setMe] = useState<Me | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [target, setTarget] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const supervises = !!me && !c.closedAt && (me.roles.includes('admin') || (me.roles.includes('supervisor') && (c.access === 'owner' || c.access === 'supervisor')));
  useEffect(() => {
    api<Me>('/me').then(setMe, () => undefined);
  }, []);
  useEffect(() => {
    if (supervises) api<{ items: Member[] }>(`/units/${encodeURIComponent(c.unitId)}/members`).then((r) => setMembers(r.items), () => undefined);
  }, [supervises, c.unitId]);

  const assign = (userId: string | null) =>
    api<CaseItem>(`/cases/${c.id}/assignee`, { method: 'PUT', body: { userId } }).then(
      (updated) => {
        setError(null);
        setTarget(undefined);
        onChange(updated);
      },
      (e: ApiError) => setError(e.message),
    );

  const current = c.assignee;
  const handlesCases = !!me && (me.roles.includes('caseworker') || me.roles.includes('supervisor'));
  const mayClaim = !!me && !c.closedAt && c.access === 'owner' && handlesCases && current?.userId !== me.user && (!current || supervises);
  const candidates = members.filter((m) => m.id !== current?.userId && (m.roles.includes('caseworker') || m.roles.includes('supervisor')));
  return (
    <Card title={t('assignee')} style={{ marginBottom: 16 }}>
      <Space wrap>
        <span data-testid="assignee">{current ? `${current.name ?? current.userId} (${current.userId})` : <Typography.Text type="secondary">{t('unassigned')}</Typography.Text>}</span>
        {mayClaim && <Button type="primary" onClick={() => void assign(me.user)}>{t('claim')}</Button>}
        {supervises && (
          <>
            <Select
              aria-label={t('reassignTo')}
              placeholder={t('reassignTo')}
              style={{ width: 260 }}
              value={target}
              onChange={setTarget}
              options={candidates.map((m) => ({ value: m.id, label: `${m.name} (${m.id})` }))}
            />
            <Button disabled={!target} onClick={() => target && void assign(target)}>{t('reassign')}</Button>
            {current && <Button onClick={() => void assign(null)}>{t('unassign')}</Button>}
          </>
        )}
      </Space>
      {error && <Alert type="error" role="alert" showIcon style={{ marginTop: 12 }} title={error} />}
      {(c.assignments ?? []).length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('assignmentHistory')}</Typography.Title>
          {(c.assignments ?? []).map((a, i) => (
            <div key={i}>
              {beijingDateTime(a.at)} · {a.assignee ?? t('unassigned')} · {t('assignedBy')} {a.assignedBy}
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
