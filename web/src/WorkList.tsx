import { Checkbox, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useContext, useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { DeadlineBadge } from './Badge';
import { LangContext, pick, useT } from './i18n';
import { CaseItem, definitionOf, loadProcedures, nearestOpen, newestVersions, Procedure } from './model';
import { beijingDate, beijingDateTime, daysFromToday } from './time';

/** today / tomorrow / this week (to Sunday, Beijing) / later, from a due date. */
function dueGroup(dueDate: string): 'dueToday' | 'dueTomorrow' | 'dueThisWeek' | 'later' | 'overdue' {
  const days = daysFromToday(dueDate);
  if (days < 0) return 'overdue';
  if (days === 0) return 'dueToday';
  if (days === 1) return 'dueTomorrow';
  const weekday = new Date(`${beijingDate(new Date())}T00:00:00Z`).getUTCDay() || 7;
  return days <= 7 - weekday ? 'dueThisWeek' : 'later';
}

export function WorkList({ open }: { open: (id: string) => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [q, setQ] = useState('');
  const [procedure, setProcedure] = useState<string | undefined>();
  const [state, setState] = useState<string | undefined>();
  const [dueBefore, setDueBefore] = useState('');
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [assignee, setAssignee] = useState<'all' | 'me' | 'none'>('all');
  const [rows, setRows] = useState<CaseItem[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    loadProcedures().then(setProcedures, () => undefined);
  }, []);
  useEffect(() => {
    const params = new URLSearchParams({ sort: 'due', limit: '100' });
    if (q.trim()) params.set('q', q.trim());
    if (procedure) params.set('procedure', procedure);
    if (procedure && state) params.set('state', state);
    if (/^\d{4}-\d{2}-\d{2}$/.test(dueBefore)) params.set('dueBefore', dueBefore);
    if (onlyOpen) params.set('open', 'true');
    if (assignee !== 'all') params.set('assignee', assignee);
    setLoading(true);
    api<{ items: CaseItem[]; total: number }>(`/cases?${params}`)
      .then((r) => {
        setRows(r.items);
        setTotal(r.total);
        setError(null);
      })
      .catch((e: ApiError) => setError(e.message))
      .finally(() => setLoading(false));
  }, [q, procedure, state, dueBefore, onlyOpen, assignee]);
  const statesOfProcedure = newestVersions(procedures).find((p) => p.procedure === procedure)?.states ?? [];

  const stateLabel = (c: CaseItem) => {
    const s = definitionOf(procedures, c)?.states.find((x) => x.state === c.state);
    return s ? pick(lang, s.label, s.labelZh) : c.state;
  };
  return (
    <section aria-labelledby="work-list-title">
      <Typography.Title level={2} id="work-list-title">{t('workList')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label={t('search')} placeholder={t('search')} allowClear enterButton onSearch={setQ} style={{ width: 420, maxWidth: '100%' }} />
        <Select
          aria-label={t('procedure')}
          allowClear
          placeholder={t('allProcedures')}
          style={{ width: 260 }}
          value={procedure}
          onChange={(p: string | undefined) => {
            setProcedure(p);
            setState(undefined);
          }}
          options={newestVersions(procedures).map((p) => ({ value: p.procedure, label: pick(lang, p.title, p.titleZh) }))}
        />
        <Select
          aria-label={t('stateFilter')}
          allowClear
          disabled={!procedure}
          placeholder={t('allStates')}
          style={{ width: 200 }}
          value={state}
          onChange={setState}
          options={statesOfProcedure.map((s) => ({ value: s.state, label: pick(lang, s.label, s.labelZh) }))}
        />
        <label>
          {t('dueBefore')}{' '}
          <Input type="date" value={dueBefore} onChange={(e) => setDueBefore(e.target.value)} style={{ width: 160 }} />
        </label>
        <Radio.Group
          aria-label={t('assignment')}
          optionType="button"
          value={assignee}
          onChange={(e) => setAssignee(e.target.value as 'all' | 'me' | 'none')}
          options={[{ value: 'all', label: t('allCases') }, { value: 'me', label: t('assignedToMe') }, { value: 'none', label: t('unassigned') }]}
        />
        <Checkbox checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)}>{t('onlyOpen')}</Checkbox>
      </Space>
      {error && <Typography.Paragraph type="danger" role="alert">{error}</Typography.Paragraph>}
      <Table<CaseItem>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        footer={() => `${t('total')} ${total}`}
        onRow={(c) => ({ onClick: () => open(c.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('caseNumber'), key: 'id', render: (_, c) => <a href={`#/cases/${c.id}`}>{c.id.slice(0, 8).toUpperCase()}</a> },
          { title: t('procedure'), key: 'procedure', render: (_, c) => { const p = definitionOf(procedures, c); return p ? pick(lang, p.title, p.titleZh) : c.procedure; } },
          { title: t('subject'), key: 'subject', render: (_, c) => <>{c.subject.name}<br /><Typography.Text type="secondary">{c.subject.uscc ?? c.subject.idNumber}</Typography.Text></> },
          { title: t('state'), key: 'state', render: (_, c) => (c.closedAt ? <Tag>{t('closed')}</Tag> : stateLabel(c)) },
          {
            title: t('nextDeadline'),
            key: 'due',
            render: (_, c) => {
              const d = nearestOpen(c);
              if (!d?.dueDate) return <Typography.Text type="secondary">{t('noDeadline')}</Typography.Text>;
              const group = dueGroup(d.dueDate);
              return (
                <Space direction="vertical" size={0}>
                  <span><DeadlineBadge d={d} /> {d.dueDate}</span>
                  {group !== 'later' && group !== 'overdue' && <Typography.Text strong>{t(group)}</Typography.Text>}
                </Space>
              );
            },
          },
          { title: t('assignee'), key: 'assignee', render: (_, c) => (c.assignee ? (c.assignee.name ?? c.assignee.userId) : <Typography.Text type="secondary">{t('unassigned')}</Typography.Text>) },
          { title: t('received'), key: 'received', render: (_, c) => beijingDateTime(c.receivedAt) },
        ]}
      />
    </section>
  );
}
