import { Alert, Select, Space, Table, Typography } from 'antd';
import { useContext, useEffect, useState } from 'react';
import { ApiError } from './api';
import { Lang, LangContext, pick, TextKey, useT } from './i18n';
import { clockMark, clockMarks, labelText, layoutMap } from './mapLayout';
import { loadProcedures, newestVersions, Period, Procedure } from './model';

const INK = '#1f2937';
const ACCENT = '#1d4ed8';
const MUTED = '#374151';

const versionName = (lang: Lang, v: number) => (lang === 'zh' ? `第${v}版` : `version ${v}`);
const optionTitle = (lang: Lang, p: Procedure, newest: boolean) =>
  `${pick(lang, p.title, p.titleZh)} · ${versionName(lang, p.version)}${newest ? (lang === 'zh' ? '（最新）' : ' (newest)') : ''}`;

function periodText(lang: Lang, p: Period | null | undefined): string | null {
  if (!p) return null;
  const [[unit, n]] = Object.entries(p) as [keyof Period, number][];
  const zh = { days: `${n}日`, workingDays: `${n}个工作日`, months: `${n}个月`, years: `${n}年` };
  const en = { days: `${n} days`, workingDays: `${n} working days`, months: `${n} months`, years: `${n} years` };
  return (lang === 'zh' ? zh : en)[unit] ?? JSON.stringify(p);
}

const KINDS: Record<string, TextKey> = { legal: 'kindLegal', promised: 'kindPromised', subject: 'kindSubject', expiry: 'kindExpiry', window: 'kindWindow' };

/** The procedure map: each definition's states, actions and clocks drawn from GET /procedures itself. */
export function ProcedureMap() {
  const t = useT();
  const lang = useContext(LangContext);
  const [all, setAll] = useState<Procedure[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [chosen, setChosen] = useState<string | undefined>();
  useEffect(() => {
    loadProcedures().then(setAll, setError);
  }, []);

  if (error) return <Alert type="error" role="alert" showIcon title={t('error')} description={error.message} />;
  const newest = newestVersions(all);
  const keyOf = (p: Procedure) => `${p.procedure}@${p.version}`;
  const selected = chosen ?? (newest[0] && keyOf(newest[0]));
  const def = all.find((p) => keyOf(p) === selected);
  const options = newest.map((n) => ({
    label: pick(lang, n.title, n.titleZh),
    title: pick(lang, n.title, n.titleZh),
    options: all
      .filter((p) => p.procedure === n.procedure)
      .sort((a, b) => b.version - a.version)
      .map((p) => ({ value: keyOf(p), label: optionTitle(lang, p, p === n), title: optionTitle(lang, p, p === n) })),
  }));

  return (
    <section aria-labelledby="map-heading">
      <Typography.Title level={2} id="map-heading">{t('procedureMap')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('chooseProcedure')} virtual={false} listHeight={360} style={{ width: 420, maxWidth: 'calc(100vw - 48px)' }} value={selected} onChange={setChosen} options={options} />
      </Space>
      {def && <Definition def={def} />}
    </section>
  );
}

function Definition({ def }: { def: Procedure }) {
  const t = useT();
  const lang = useContext(LangContext);
  const label = (s: { label: string; labelZh: string }) => pick(lang, s.label, s.labelZh);
  const stateName = (id: string) => {
    const s = def.states.find((x) => x.state === id);
    return s ? label(s) : id;
  };
  const clockName = (key: string) => {
    const c = def.clocks.find((x) => x.key === key);
    return c ? `${clockMark(def, key)} ${label(c)}` : key;
  };
  const declares = def.states.some((s) => s.transitions);
  const map = layoutMap(def, label);
  const sep = lang === 'zh' ? '；' : '; ';
  const transitions = def.states.flatMap((s) => (s.transitions ?? []).flatMap((tr) => tr.to.map((to) => `${label(s)} —${tr.action}→ ${stateName(to)}`)));
  const summary =
    lang === 'zh'
      ? `${def.titleZh}${versionName(lang, def.version)}的程序图：${def.states.length}个状态（${def.states.map(label).join('、')}），初始状态为${stateName(def.states.find((s) => s.initial)?.state ?? '')}。${declares ? `转移：${transitions.join(sep)}。` : '本版本未声明状态转移。'}详见下方表格。`
      : `Procedure map of ${def.title}, ${versionName(lang, def.version)}: ${def.states.length} states (${def.states.map(label).join(', ')}); initial state ${stateName(def.states.find((s) => s.initial)?.state ?? '')}. ${declares ? `Transitions: ${transitions.join(sep)}.` : 'This version declares no transitions.'} The tables below give the same.`;

  const allowedIn = (action: string) =>
    def.states
      .filter((s) => s.actions.includes(action))
      .map((s) => {
        if (!declares) return label(s);
        const to = (s.transitions ?? []).find((tr) => tr.action === action)?.to.filter((x) => x !== s.state) ?? [];
        return `${label(s)} → ${to.length ? to.map(stateName).join(lang === 'zh' ? '、' : ', ') : t('keepsState')}`;
      });

  return (
    <>
      <Typography.Paragraph>
        {pick(lang, def.title, def.titleZh)} · {versionName(lang, def.version)} · {t('validFrom')} {def.validFrom}
        {def.validTo ? ` ${t('validTo')} ${def.validTo}` : ''}
      </Typography.Paragraph>
      {!declares && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('noTransitions')} />}
      <div tabIndex={0} role="region" aria-label={t('diagram')} style={{ overflowX: 'auto', border: '1px solid #d1d5db', borderRadius: 8, background: '#fff', marginBottom: 8 }}>
        <svg role="img" aria-labelledby="map-title map-desc" width={map.width} height={map.height} viewBox={`0 0 ${map.width} ${map.height}`} style={{ display: 'block', fontFamily: 'inherit' }}>
          <title id="map-title">{`${t('procedureMap')}: ${pick(lang, def.title, def.titleZh)} · ${versionName(lang, def.version)}`}</title>
          <desc id="map-desc">{summary}</desc>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={MUTED} />
            </marker>
          </defs>
          {map.edges.map((e) => (
            <path key={`p-${e.from}-${e.to}`} d={e.path} fill="none" stroke={MUTED} strokeWidth={1.5} strokeDasharray={e.back ? '5 4' : undefined} markerEnd="url(#arrow)" />
          ))}
          {map.boxes.map((b) => (
            <g key={b.id} data-state={b.state}>
              <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={8} fill={b.initial ? '#eff6ff' : '#f9fafb'} stroke={b.initial ? ACCENT : '#6b7280'} strokeWidth={b.initial ? 2.5 : 1.2} />
              <text x={b.x + 10} y={b.y + 10} fill={INK} fontSize={14} fontWeight={600}>
                {b.title.map((line, i) => <tspan key={i} x={b.x + 10} dy={i === 0 ? 15 : 19}>{line}</tspan>)}
              </text>
              {b.initial && (
                <text fill={ACCENT} fontSize={12}>
                  <tspan x={b.x + 10} y={b.y + 10 + b.title.length * 19 + 13}>{`● ${t('initialState')}`}</tspan>
                  {b.filingStarts.length > 0 && <tspan x={b.x + 10} dy={16}>{`${t('filingStarts')} ▶${clockMarks(def, b.filingStarts)}`}</tspan>}
                </text>
              )}
              {b.keeps.length > 0 && (
                <>
                  <line x1={b.x + 8} x2={b.x + b.w - 8} y1={b.y + b.h - 10 - b.keeps.length * 16 - 4} y2={b.y + b.h - 10 - b.keeps.length * 16 - 4} stroke="#d1d5db" />
                  <text fill={MUTED} fontSize={12}>
                    {b.keeps.map((a, i) => <tspan key={a} x={b.x + 12} y={b.y + b.h - 10 - (b.keeps.length - i - 1) * 16 - 4}>{`${declares ? '↻' : '•'} ${a}`}</tspan>)}
                  </text>
                </>
              )}
            </g>
          ))}
          {map.edges.map((e) => (
            <g key={`l-${e.from}-${e.to}`} data-edge={`${e.from}->${e.to}`}>
              <rect x={e.label.x} y={e.label.y} width={e.label.w} height={e.label.h} rx={3} fill="#fff" fillOpacity={0.92} />
              <text fontSize={12} fill={INK}>
                {e.label.lines.map((ln, i) => <tspan key={ln.action} x={e.label.x + 4} y={e.label.y + 15 + i * 16}>{labelText(def, ln)}</tspan>)}
              </text>
            </g>
          ))}
          {map.looseY !== null && map.edges.length > 0 && (
            <text x={16} y={map.looseY + 14} fontSize={12} fill={MUTED}>{t('statesWithoutArrows')}</text>
          )}
        </svg>
      </div>
      <Typography.Paragraph style={{ fontSize: 13 }}>
        {t('legend')}: {declares ? `↻ ${t('keepsState')}` : `• ${t('allowedHere')}`} · ▶ {t('startsClocks')} · ■ {t('stopsClocks')} · {def.clocks.map((c) => clockName(c.key)).join(' · ')}
      </Typography.Paragraph>

      <Typography.Title level={3} style={{ fontSize: 18 }}>{t('clocks')}</Typography.Title>
      <div tabIndex={0} role="region" aria-label={t('clocks')} style={{ overflowX: 'auto', marginBottom: 24 }}>
      <Table
        size="small"
        pagination={false}
        style={{ minWidth: 760 }}
        rowKey="key"
        dataSource={def.clocks}
        columns={[
          { title: t('clock'), key: 'label', render: (_, c) => clockName(c.key) },
          { title: t('period'), key: 'period', render: (_, c) => periodText(lang, c.period) ?? t('notFixed') },
          { title: t('kind'), key: 'kind', render: (_, c) => (c.kind && KINDS[c.kind] ? t(KINDS[c.kind]) : c.kind) },
          { title: t('basis'), dataIndex: 'basis', key: 'basis', render: (b: string) => <span style={{ display: 'inline-block', minWidth: 240, maxWidth: 520 }}>{b}</span> },
          { title: t('onDue'), key: 'onDue', render: (_, c) => c.onDue?.step ?? '—' },
        ]}
      />
      </div>
      <Typography.Title level={3} style={{ fontSize: 18 }}>{t('actionsTable')}</Typography.Title>
      <div tabIndex={0} role="region" aria-label={t('actionsTable')} style={{ overflowX: 'auto' }}>
      <Table
        size="small"
        pagination={false}
        style={{ minWidth: 760 }}
        rowKey="action"
        dataSource={def.actions}
        columns={[
          // The label in the UI language, the code below it: the code is what the arrows and the API name.
          { title: t('action'), key: 'action', width: 220, render: (_, a) => <><div>{label(a)}</div><Typography.Text type="secondary">{a.action}</Typography.Text></> },
          { title: declares ? t('allowedIn') : t('allowedInStates'), key: 'allowedIn', width: 300, render: (_, a) => allowedIn(a.action).map((line) => <div key={line}>{line}</div>) },
          { title: t('startsClocks'), key: 'starts', render: (_, a) => (a.starts ?? []).map(clockName).join(lang === 'zh' ? '、' : ', ') || '—' },
          { title: t('stopsClocks'), key: 'stops', render: (_, a) => (a.stops ?? []).map(clockName).join(lang === 'zh' ? '、' : ', ') || '—' },
          { title: t('basis'), dataIndex: 'basis', key: 'basis', render: (b: string) => <span style={{ display: 'inline-block', minWidth: 240, maxWidth: 520 }}>{b}</span> },
        ]}
      />
      </div>
    </>
  );
}
