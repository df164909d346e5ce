import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useContext, useState } from 'react';
import { api, ApiError } from './api';
import { ExplanationView } from './Explanation';
import { MonthCalendars } from './MonthCalendars';
import { LangContext, useT } from './i18n';
import type { Explanation } from './model';
import { beijingDateTime, weekday } from './time';

type Unit = 'workingDays' | 'days' | 'months' | 'years';
interface Result {
  dueDate: string | null;
  dueAt: string | null;
  provisional: boolean;
  calendarVersion: string;
  suspended: boolean;
  explanation: Explanation;
}
/** Beijing wall-clock times as typed (datetime-local); sent with +08:00 whatever the browser's zone. */
interface Suspension {
  from: string;
  to: string;
}


/** The due instant as the law says it, "2026-10-23 24:00", rather than the next day's 00:00. */
function endOfDay(dueDate: string | null, dueAt: string): string {
  const shown = beijingDateTime(dueAt);
  const next = dueDate && new Date(Date.parse(`${dueDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return shown === `${next} 00:00` ? `${dueDate} 24:00` : shown;
}

const beijing = (local: string) => `${local.length === 16 ? `${local}:00` : local}+08:00`;

/** GET /calendar/deadline from a form: N working days / days / months / years after a date, with suspensions. */
export function Calculator() {
  const t = useT();
  const lang = useContext(LangContext);
  const [from, setFrom] = useState('2026-09-28');
  const [n, setN] = useState<number | null>(15);
  const [unit, setUnit] = useState<Unit>('workingDays');
  const [suspensions, setSuspensions] = useState<Suspension[]>([]);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const compute = () => {
    const q = new URLSearchParams({ from, [unit]: String(n ?? '') });
    for (const s of suspensions) q.append('suspended', `${s.from ? beijing(s.from) : ''}/${s.to ? beijing(s.to) : ''}`);
    setError(null);
    api<Result>(`/calendar/deadline?${q}`).then(setResult, (e: ApiError) => {
      setResult(null);
      setError(e);
    });
  };
  const setSuspension = (i: number, s: Partial<Suspension>) => setSuspensions(suspensions.map((x, j) => (j === i ? { ...x, ...s } : x)));

  return (
    <section aria-labelledby="calculator-title">
      <Typography.Title level={2} id="calculator-title">{t('calculator')}</Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="vertical" onFinish={compute}>
          <Space wrap align="end">
            <Form.Item label={t('startDate')} htmlFor="calc-from" style={{ marginBottom: 8 }}>
              <Input id="calc-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </Form.Item>
            <Form.Item label={t('periodLength')} htmlFor="calc-n" style={{ marginBottom: 8 }}>
              <Space.Compact>
                <InputNumber id="calc-n" min={0} value={n} onChange={(v) => setN(v)} style={{ width: 100 }} />
                <Select
                  aria-label={t('periodLength')}
                  value={unit}
                  onChange={setUnit}
                  style={{ width: 130 }}
                  options={(['workingDays', 'days', 'months', 'years'] as const).map((u) => ({ value: u, label: t(`unit${u[0].toUpperCase()}${u.slice(1)}` as 'unitDays') }))}
                />
              </Space.Compact>
            </Form.Item>
          </Space>
          {suspensions.map((s, i) => (
            <Space key={i} wrap align="end">
              <Form.Item label={`${t('suspensionFrom')} (${t('beijingTime')})`} htmlFor={`calc-s${i}-from`} style={{ marginBottom: 8 }}>
                <Input id={`calc-s${i}-from`} type="datetime-local" value={s.from} onChange={(e) => setSuspension(i, { from: e.target.value })} />
              </Form.Item>
              <Form.Item label={`${t('suspensionTo')} (${t('beijingTime')})`} htmlFor={`calc-s${i}-to`} style={{ marginBottom: 8 }}>
                <Input id={`calc-s${i}-to`} type="datetime-local" value={s.to} onChange={(e) => setSuspension(i, { to: e.target.value })} />
              </Form.Item>
              <Button style={{ marginBottom: 8 }} onClick={() => setSuspensions(suspensions.filter((_, j) => j !== i))}>{t('remove')}</Button>
            </Space>
          ))}
          <Space wrap>
            <Button onClick={() => setSuspensions([...suspensions, { from: '', to: '' }])}>{t('addSuspension')}</Button>
            <Button type="primary" htmlType="submit">{t('compute')}</Button>
          </Space>
        </Form>
      </Card>
      {error && <Alert type="error" role="alert" showIcon title={error.body.field ? `${t('error')}: ${error.body.field}` : t('error')} description={error.message} style={{ marginBottom: 16 }} />}
      {result && (
        <>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions bordered size="small" column={1}>
              <Descriptions.Item label={t('dueOn')}>
                <strong data-testid="due-date">{result.dueDate ? `${result.dueDate} ${weekday(result.dueDate, lang)}` : t('suspended')}</strong>
                {result.dueAt && ` · ${endOfDay(result.dueDate, result.dueAt)} (${t('beijingTime')})`}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('monthCalendar')} style={{ marginBottom: 16 }}>
            <MonthCalendars e={result.explanation} />
          </Card>
          <Card title={t('explanation')}>
            <ExplanationView e={result.explanation} />
          </Card>
        </>
      )}
    </section>
  );
}
