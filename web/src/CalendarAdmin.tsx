import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useContext, useState } from 'react';
import { api, ApiError } from './api';
import { LangContext, pick, useT } from './i18n';
import { weekday } from './time';

interface Move {
  caseId: string;
  procedure: string;
  deadlineKey: string;
  label: string;
  labelZh?: string;
  from: { dueDate: string | null; dueAt: string | null };
  to: { dueDate: string | null; dueAt: string | null };
  workingDaysMoved: number | null;
}
interface Preview {
  year: number;
  notice: string;
  holidays: Record<string, string>;
  makeupWorkdays: Record<string, string>;
  items: { line: number; name: string; holidays: string[]; makeupWorkdays: string[] }[];
  changedDates: string[];
  casesToRecompute: number;
  moves: Move[];
}
interface Loaded {
  calendarVersion: string;
  changedDates: string[];
  recomputedCases: number;
}

/** Paste a State Council holiday notice, see it read and what it would move, then load it (PUT /calendar/years/{year}). */
export function CalendarAdmin() {
  const t = useT();
  const lang = useContext(LangContext);
  const [year, setYear] = useState<number | null>(new Date().getUTCFullYear() + 1);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  // The year is the notice's own when its title is pasted with it.
  const onText = (value: string) => {
    setText(value);
    setPreview(null);
    setLoaded(null);
    const y = /国务院办公厅关于(\d{4})年部分节假日安排的通知/.exec(value)?.[1];
    if (y) setYear(Number(y));
  };
  const run = async <T,>(f: () => Promise<T>, then: (r: T) => void) => {
    setBusy(true);
    setError(null);
    try {
      then(await f());
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => run(() => api<Preview>(`/calendar/years/${year}/preview`, { method: 'POST', body: { text } }), (p) => { setPreview(p); setLoaded(null); });
  const doLoad = () =>
    preview && run(() => api<Loaded>(`/calendar/years/${preview.year}`, { method: 'PUT', body: { notice: preview.notice, holidays: preview.holidays, makeupWorkdays: preview.makeupWorkdays } }), setLoaded);
  const day = (d: string) => `${d.slice(5)} ${weekday(d, lang)}`;

  return (
    <section aria-labelledby="calendar-title">
      <Typography.Title level={2} id="calendar-title">{t('calendarAdmin')}</Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="vertical" onFinish={doPreview}>
          <Form.Item label={t('noticeYear')} htmlFor="notice-year" style={{ marginBottom: 8 }}>
            <InputNumber id="notice-year" min={2004} max={2100} value={year} onChange={setYear} />
          </Form.Item>
          <Form.Item label={t('noticeText')} htmlFor="notice-text" style={{ marginBottom: 8 }}>
            <Input.TextArea id="notice-text" rows={10} value={text} onChange={(e) => onText(e.target.value)} placeholder="一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!text.trim() || !year}>{t('preview')}</Button>
        </Form>
      </Card>
      {error && <Alert type="error" role="alert" showIcon title={error.body.field ? `${t('error')}: ${error.body.field}` : t('error')} description={error.message} style={{ marginBottom: 16 }} />}
      {preview && (
        <>
          <Card title={`${t('parsedDays')} · ${preview.notice}`} style={{ marginBottom: 16 }}>
            <Table
              rowKey="line"
              size="small"
              pagination={false}
              dataSource={preview.items}
              scroll={{ x: true }}
              columns={[
                { title: t('line'), dataIndex: 'line', width: 60 },
                { title: t('holiday'), render: (_, i) => <><strong>{i.name}</strong> {i.holidays.map((d) => <Tag key={d} color="#b91c1c">{day(d)}</Tag>)}</> },
                { title: t('makeupDay'), render: (_, i) => i.makeupWorkdays.map((d) => <Tag key={d} color="#1e40af">{day(d)}</Tag>) },
              ]}
            />
          </Card>
          <Card title={t('movedDeadlines')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('changedDates')}>{preview.changedDates.length}</Descriptions.Item>
              <Descriptions.Item label={t('casesToRecompute')}>{preview.casesToRecompute}</Descriptions.Item>
            </Descriptions>
            {preview.moves.length === 0 ? (
              <Typography.Paragraph>{t('noMoves')}</Typography.Paragraph>
            ) : (
              <Table
                rowKey={(m) => `${m.caseId}/${m.deadlineKey}`}
                size="small"
                pagination={false}
                dataSource={preview.moves}
                scroll={{ x: true }}
                columns={[
                  { title: t('caseNumber'), render: (_, m) => <a href={`#/cases/${m.caseId}`} style={{ color: '#1d4ed8' }}>{m.caseId.slice(0, 8).toUpperCase()}</a> },
                  { title: t('deadlines'), render: (_, m) => pick(lang, m.label, m.labelZh) },
                  { title: t('before'), render: (_, m) => (m.from.dueDate ? `${m.from.dueDate} ${weekday(m.from.dueDate, lang)}` : '—') },
                  { title: t('after'), render: (_, m) => (m.to.dueDate ? <strong>{m.to.dueDate} {weekday(m.to.dueDate, lang)}</strong> : '—') },
                  { title: t('workingDaysMoved'), render: (_, m) => (m.workingDaysMoved === null ? '—' : m.workingDaysMoved > 0 ? `+${m.workingDaysMoved}` : String(m.workingDaysMoved)) },
                ]}
              />
            )}
          </Card>
          <Space wrap>
            <Button type="primary" onClick={doLoad} loading={busy} disabled={!!loaded}>{t('load')}</Button>
          </Space>
          {loaded && (
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginTop: 16 }}
              title={`${t('loaded')}: ${preview.notice}`}
              description={`${t('changedDates')} ${loaded.changedDates.length} · ${t('recomputedCases')} ${loaded.recomputedCases} · ${t('calendarVersion')} ${loaded.calendarVersion}`}
            />
          )}
        </>
      )}
    </section>
  );
}
