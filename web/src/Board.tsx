import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useContext, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api';
import { LangContext, pick, useT } from './i18n';
import { loadProcedures, newestVersions, Procedure } from './model';
import { beijingDateTime } from './time';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

interface OverdueItem {
  caseId: string;
  procedure: string;
  subject: { name: string };
  deadlineKey: string;
  label: string;
  level: 'yellow' | 'red';
  dueDate: string | null;
  ownerUnit: string;
  caseUnit: string;
  ladderLevel: string;
  workingDaysOverdue: number;
}
interface Rate {
  unit: string | null;
  procedure: string | null;
  met: number;
  metLate: number;
  breached: number;
  running: number;
  rate: number | null;
}
interface ExtensionRequest {
  caseId: string;
  procedure: string;
  caseUnit: string;
  deadlineKey: string;
  label: string;
  workingDays: number;
  reason: string | null;
  requestedBy: string;
  requestedAt: string;
  dueAt: string | null;
}

/** On-time rate per unit as bars: met, met late, breached (counts; the rate is in the tooltip and the table). */
function RateChart({ rates, title }: { rates: Rate[]; title: string }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      aria: { enabled: true },
      // The canvas draws its own text: it needs the shipped typeface named, or Chinese shows as boxes.
      textStyle: { fontFamily: "'Noto Sans SC', sans-serif" },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: rates.map((r) => r.unit ?? '') },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('met'), type: 'bar', stack: 'n', barMaxWidth: 48, data: rates.map((r) => r.met), itemStyle: { color: '#166534' } },
        { name: t('metLate'), type: 'bar', stack: 'n', barMaxWidth: 48, data: rates.map((r) => r.metLate), itemStyle: { color: '#8a4b00' } },
        { name: t('breached'), type: 'bar', stack: 'n', barMaxWidth: 48, data: rates.map((r) => r.breached), itemStyle: { color: '#b91c1c' } },
      ],
    });
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rates, t]);
  return <div ref={ref} role="img" aria-label={title} style={{ width: '100%', height: 280 }} />;
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function Board() {
  const t = useT();
  const lang = useContext(LangContext);
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [overdue, setOverdue] = useState<OverdueItem[]>([]);
  const [rates, setRates] = useState<{ items: Rate[]; total: Rate } | null>(null);
  const [requests, setRequests] = useState<ExtensionRequest[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = () => {
    api<{ items: OverdueItem[] }>('/supervision/overdue?limit=200').then((r) => setOverdue(r.items), setError);
    api<{ items: Rate[]; total: Rate }>('/supervision/on-time').then(setRates, setError);
    api<{ items: ExtensionRequest[] }>('/supervision/extension-requests').then((r) => setRequests(r.items), setError);
  };
  useEffect(() => {
    loadProcedures().then(setProcedures, () => undefined);
    load();
  }, []);
  const title = (procedure: string) => {
    const p = newestVersions(procedures).find((x) => x.procedure === procedure);
    return p ? pick(lang, p.title, p.titleZh) : procedure;
  };
  const clockLabel = (procedure: string, key: string, fallback: string) => {
    const clock = newestVersions(procedures).find((x) => x.procedure === procedure)?.clocks.find((k) => k.key === key);
    return clock ? pick(lang, clock.label, clock.labelZh) : fallback;
  };
  const approve = (r: ExtensionRequest) =>
    api(`/cases/${r.caseId}/actions`, { method: 'POST', body: { action: 'approve-extension', deadlineKey: r.deadlineKey } }).then(
      () => {
        setDone(`${t('approved')}: ${r.caseId.slice(0, 8).toUpperCase()} · ${clockLabel(r.procedure, r.deadlineKey, r.label)}`);
        load();
      },
      setError,
    );
  const perUnit = (rates?.items ?? []).reduce<Map<string, Rate>>((m, r) => {
    const u = m.get(r.unit ?? '') ?? { unit: r.unit, procedure: null, met: 0, metLate: 0, breached: 0, running: 0, rate: null };
    u.met += r.met;
    u.metLate += r.metLate;
    u.breached += r.breached;
    u.running += r.running;
    const judged = u.met + u.metLate + u.breached;
    u.rate = judged ? u.met / judged : null;
    return m.set(r.unit ?? '', u);
  }, new Map());

  return (
    <section aria-labelledby="board-title">
      <Typography.Title level={2} id="board-title">{t('board')}</Typography.Title>
      {error && <Alert role="alert" type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
      {done && <Alert role="status" type="success" showIcon title={done} style={{ marginBottom: 16 }} />}
      <Card title={`${t('overdueAndNearDue')} (${overdue.length})`} style={{ marginBottom: 16 }}>
        <Table<OverdueItem>
          rowKey={(r) => `${r.caseId}-${r.deadlineKey}`}
          dataSource={overdue}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 900 }}
          columns={[
            { title: t('unit'), dataIndex: 'ownerUnit' },
            { title: t('caseNumber'), key: 'case', render: (_, r) => <a href={`#/cases/${r.caseId}`}>{r.caseId.slice(0, 8).toUpperCase()}</a> },
            { title: t('procedure'), key: 'p', render: (_, r) => title(r.procedure) },
            { title: t('deadlines'), key: 'd', render: (_, r) => clockLabel(r.procedure, r.deadlineKey, r.label) },
            { title: t('level'), key: 'l', render: (_, r) => <Tag color={r.level === 'red' ? '#b91c1c' : '#8a4b00'}>{r.level === 'red' ? t('overdue') : t('nearDue')} · {r.ladderLevel}</Tag> },
            { title: t('dueOn'), dataIndex: 'dueDate' },
            { title: t('workingDaysOverdue'), dataIndex: 'workingDaysOverdue', sorter: (a, b) => a.workingDaysOverdue - b.workingDaysOverdue },
          ]}
        />
      </Card>
      <Card title={`${t('extensionRequests')} (${requests.length})`} style={{ marginBottom: 16 }}>
        <Table<ExtensionRequest>
          rowKey={(r) => `${r.caseId}-${r.deadlineKey}`}
          dataSource={requests}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: t('caseNumber'), key: 'case', render: (_, r) => <a href={`#/cases/${r.caseId}`}>{r.caseId.slice(0, 8).toUpperCase()}</a> },
            { title: t('deadlines'), key: 'd', render: (_, r) => clockLabel(r.procedure, r.deadlineKey, r.label) },
            { title: t('workingDaysAsked'), dataIndex: 'workingDays' },
            { title: t('reason'), dataIndex: 'reason' },
            { title: t('requestedBy'), key: 'by', render: (_, r) => `${r.requestedBy} · ${beijingDateTime(r.requestedAt)}` },
            { title: t('dueOn'), key: 'due', render: (_, r) => beijingDateTime(r.dueAt) },
            { title: '', key: 'act', render: (_, r) => <Button type="primary" size="small" onClick={() => void approve(r)} aria-label={`${t('approve')} ${r.caseId.slice(0, 8).toUpperCase()}`}>{t('approve')}</Button> },
          ]}
        />
      </Card>
      {rates && (
        <Card title={`${t('onTimeRate')} ${rates.total ? pct(rates.total.rate) : ''}`}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <RateChart rates={[...perUnit.values()]} title={t('onTimeRate')} />
            <Table<Rate>
              rowKey={(r) => `${r.unit}-${r.procedure}`}
              dataSource={rates.items}
              pagination={false}
              size="small"
              columns={[
                { title: t('unit'), dataIndex: 'unit' },
                { title: t('procedure'), key: 'p', render: (_, r) => (r.procedure ? title(r.procedure) : '') },
                { title: t('met'), dataIndex: 'met' },
                { title: t('metLate'), dataIndex: 'metLate' },
                { title: t('breached'), dataIndex: 'breached' },
                { title: t('running'), dataIndex: 'running' },
                { title: t('onTimeRate'), key: 'rate', render: (_, r) => pct(r.rate) },
              ]}
            />
          </Space>
        </Card>
      )}
    </section>
  );
}
