import { Alert, Button, Card, Collapse, Descriptions, Empty, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { Assignment } from './Assignment';
import { DeadlineBadge } from './Badge';
import { ExplanationView } from './Explanation';
import { MonthCalendars } from './MonthCalendars';
import { LangContext, levelText, pick, useT } from './i18n';
import { CaseItem, definitionOf, Explanation, formSchema, JsonSchema, loadBodySchemas, loadProcedures, Procedure } from './model';
import { SchemaForm } from './SchemaForm';
import { beijingDateTime, weekday } from './time';

const FILLED_BY_THE_APP = ['action', 'actor'];

export function CasePage({ id }: { id: string }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [c, setCase] = useState<CaseItem | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [bodies, setBodies] = useState<Record<string, JsonSchema>>({});
  const [action, setAction] = useState<string | undefined>();
  const [personal, setPersonal] = useState<CaseItem['subject'] | null>(null);

  const reload = useCallback(() => api<CaseItem>(`/cases/${id}`).then(setCase, setError), [id]);
  useEffect(() => {
    void reload();
    loadProcedures().then(setProcedures, () => undefined);
    loadBodySchemas().then(setBodies, () => undefined);
  }, [reload]);

  if (error) return <Alert type="error" role="alert" showIcon title={error.status === 404 || error.status === 403 ? t('notFound') : t('error')} description={error.message} />;
  if (!c) return null;
  const def = definitionOf(procedures, c);
  const state = def?.states.find((s) => s.state === c.state);
  const allowed = c.closedAt ? [] : (state?.actions ?? []);
  const clockLabel = (key: string, fallback: string) => {
    const clock = def?.clocks.find((k) => k.key === key);
    return clock ? pick(lang, clock.label, clock.labelZh) : fallback;
  };
  const actionSchema = action ? bodies[`Action_${c.procedure}_${action}`] : undefined;

  return (
    <section aria-labelledby="case-title">
      <Typography.Title level={2} id="case-title">
        {t('caseNumber')} {c.id.slice(0, 8).toUpperCase()} · {def ? pick(lang, def.title, def.titleZh) : c.procedure}
      </Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('state')}>{c.closedAt ? <Tag>{t('closed')}</Tag> : state ? pick(lang, state.label, state.labelZh) : c.state}{c.outcome ? ` · ${c.outcomeText ?? c.outcome}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('received')}>{beijingDateTime(c.receivedAt)} ({t('beijingTime')})</Descriptions.Item>
        <Descriptions.Item label={t('subject')}>
          {(personal ?? c.subject).name} · {(personal ?? c.subject).uscc ?? (personal ?? c.subject).idNumber}{' '}
          {c.subject.kind === 'person' && !personal && c.access === 'owner' && (
            <Button size="small" onClick={() => api<CaseItem['subject']>(`/cases/${c.id}/personal-data`).then((subject) => { setPersonal(subject); void reload(); }, setError)}>
              {t('showPersonalData')}
            </Button>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="ID">{c.id}</Descriptions.Item>
      </Descriptions>

      {c.access !== 'party' && <Assignment c={c} onChange={setCase} />}

      <Card title={t('deadlines')} style={{ marginBottom: 16 }}>
        {c.deadlines.length === 0 && <Empty />}
        <Collapse
          items={c.deadlines.map((d) => ({
            key: d.key,
            label: (
              <Space wrap>
                <DeadlineBadge d={d} />
                <strong>{clockLabel(d.key, d.label)}</strong>
                {d.dueDate && <span>{t('dueOn')} {d.dueDate} {weekday(d.dueDate, lang)} 24:00</span>}
                {d.provisional && <Tag color="#8a4b00">{t('provisional').split('：')[0]}</Tag>}
              </Space>
            ),
            children: (
              <div>
                <Typography.Paragraph type="secondary">{t('basis')}: {d.basis}</Typography.Paragraph>
                {d.explanation && 'summary' in d.explanation ? (
                  <>
                    <Typography.Title level={3} style={{ fontSize: 14 }}>{t('periodCalendar')}</Typography.Title>
                    <MonthCalendars e={d.explanation as Explanation} />
                    <ExplanationView e={d.explanation as Explanation} />
                  </>
                ) : null}
              </div>
            ),
          }))}
        />
      </Card>

      <Card title={t('actions')} style={{ marginBottom: 16 }}>
        {allowed.length === 0 ? (
          <Typography.Paragraph>{t('noActions')}</Typography.Paragraph>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select aria-label={t('chooseAction')} placeholder={t('chooseAction')} style={{ width: 360, maxWidth: '100%' }} value={action} onChange={setAction}
              options={allowed.map((a) => {
                const known = def?.actions.find((x) => x.action === a);
                return { value: a, label: known ? pick(lang, known.label, known.labelZh) : a };
              })} />
            {action && def && <Typography.Paragraph type="secondary">{t('basis')}: {def.actions.find((x) => x.action === action)?.basis}</Typography.Paragraph>}
            {actionSchema && (
              <SchemaForm
                key={action}
                label={t('submit')}
                schema={formSchema(actionSchema, FILLED_BY_THE_APP, lang)}
                submit={(data) => api(`/cases/${c.id}/actions`, { method: 'POST', body: { action, ...data } })}
                onDone={() => { setAction(undefined); void reload(); }}
              />
            )}
          </Space>
        )}
      </Card>

      {c.escalations.length > 0 && (
        <Card title={t('escalations')} style={{ marginBottom: 16 }}>
          {c.escalations.map((e) => <div key={`${e.deadlineKey}-${e.level}`}><Tag color={e.level === 'yellow' || e.level.startsWith('reminder') ? '#8a4b00' : '#b91c1c'}>{levelText(e.level, lang)}</Tag> {clockLabel(e.deadlineKey, e.deadlineKey)} · {beijingDateTime(e.firedAt)}</div>)}
        </Card>
      )}

      <Card title={t('auditTrail')}>
        <Timeline
          items={(c.events ?? []).map((e) => ({
            key: e.seq,
            children: (
              <div>
                <strong>{e.type}</strong> · {e.actor} · {beijingDateTime(e.at)}
                {e.reason && <div>{e.reasonText ?? e.reason}</div>}
                {e.evidenceRef && <Typography.Text type="secondary">{e.evidenceRef}</Typography.Text>}
              </div>
            ),
          }))}
        />
        {c.personalDataReads && c.personalDataReads.length > 0 && (
          <>
            <Typography.Title level={3} style={{ fontSize: 16 }}>{t('personalDataReads')}</Typography.Title>
            {c.personalDataReads.map((r) => <div key={r.at}>{r.user} ({r.unit}) · {r.fields.join(', ')} · {beijingDateTime(r.at)}</div>)}
          </>
        )}
      </Card>
    </section>
  );
}
