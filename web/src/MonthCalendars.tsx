import { Space, Typography } from 'antd';
import { CSSProperties, useContext, useEffect, useState } from 'react';
import { api } from './api';
import { LangContext, useT } from './i18n';
import type { Explanation } from './model';
import { weekday } from './time';

const HOLIDAY = '#b91c1c';
const MAKEUP = '#1e40af';
const COUNTED_BG = '#dcfce7';
const COUNTED_FG = '#14532d';

type DayMark = 'holiday' | 'makeup' | 'counted' | 'weekend' | 'suspended';

function marksOf(e: Explanation): Map<string, { mark: DayMark; name?: string }> {
  const marks = new Map<string, { mark: DayMark; name?: string }>();
  for (const d of e.countedDays) marks.set(d, { mark: 'counted' });
  for (const d of [...e.skippedDays, ...(e.rolledForward?.skipped ?? [])]) marks.set(d.date, { mark: d.reason, name: d.name });
  for (const d of e.makeupWorkdaysCounted) marks.set(d.date, { mark: 'makeup', name: d.name });
  return marks;
}

const monthsBetween = (a: string, b: string) => {
  const out: string[] = [];
  let [y, m] = [Number(a.slice(0, 4)), Number(a.slice(5, 7))];
  const end = Number(b.slice(0, 4)) * 12 + Number(b.slice(5, 7));
  while (y * 12 + m <= end) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
};

/** The months from the start date to the due date, holidays red, make-up working days blue, counted days green. */
export function MonthCalendars({ e }: { e: Explanation }) {
  const t = useT();
  const last = e.dueDate ?? e.countedDays[e.countedDays.length - 1] ?? e.startDate;
  const months = monthsBetween(e.startDate, last);
  // A period of years would draw dozens of months: the first two and the last two tell where it starts and ends.
  const shown = months.length > 4 ? [...months.slice(0, 2), null, ...months.slice(-2)] : months;
  const marks = marksOf(e);
  const legend: [string, CSSProperties][] = [
    [t('holiday'), { background: HOLIDAY, color: '#fff' }],
    [t('makeupDay'), { background: MAKEUP, color: '#fff' }],
    [t('countedDay'), { background: COUNTED_BG, color: COUNTED_FG }],
    [t('dueDay'), { outline: '3px solid #111827', outlineOffset: -3 }],
  ];
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }} aria-hidden>
        {legend.map(([label, style]) => <span key={label} style={{ ...style, padding: '2px 8px', borderRadius: 4 }}>{label}</span>)}
      </Space>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
        {shown.map((m, i) => (m === null ? <Typography.Text key={`gap-${i}`} style={{ alignSelf: 'center' }}>… {months.length - 4} {t('monthsOmitted')} …</Typography.Text> : <Month key={m} month={m} marks={marks} due={e.dueDate} start={e.startDate} />))}
      </div>
    </div>
  );
}

function Month({ month, marks, due, start }: { month: string; marks: ReturnType<typeof marksOf>; due: string | null; start: string }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const cells: (string | null)[] = [...Array<null>(first).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  // Every holiday and make-up working day of the month, also those outside the period (GET /calendar/days).
  const [listed, setListed] = useState<Map<string, { mark: DayMark; name?: string }>>(new Map());
  useEffect(() => {
    let live = true;
    api<{ days: { date: string; kind: 'holiday' | 'makeup-workday'; name: string }[] }>(`/calendar/days?from=${month}-01&to=${month}-${String(days).padStart(2, '0')}`).then(
      (r) => live && setListed(new Map(r.days.map((d) => [d.date, { mark: d.kind === 'holiday' ? 'holiday' : 'makeup', name: d.name }]))),
      () => undefined, // the period's own marks still show
    );
    return () => {
      live = false;
    };
  }, [month, days]);
  const heads = ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05'].map((d) => weekday(d, lang));
  return (
    <table style={{ borderCollapse: 'collapse', textAlign: 'center' }} data-month={month}>
      <caption style={{ fontWeight: 600, paddingBottom: 4 }}>{lang === 'zh' ? `${y}年${m}月` : `${y}-${String(m).padStart(2, '0')}`}</caption>
      <thead>
        <tr>{heads.map((h) => <th key={h} scope="col" style={{ padding: 4, fontWeight: 400, fontSize: 12 }}>{h}</th>)}</tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {week.map((date, i) => {
              if (!date) return <td key={i} style={{ width: 36, height: 32 }} />;
              const mark = marks.get(date) ?? listed.get(date);
              const style: CSSProperties = { width: 36, height: 32, borderRadius: 4, border: '1px solid #f0f0f0' };
              if (mark?.mark === 'holiday') Object.assign(style, { background: HOLIDAY, color: '#fff' });
              else if (mark?.mark === 'makeup') Object.assign(style, { background: MAKEUP, color: '#fff' });
              else if (mark?.mark === 'counted') Object.assign(style, { background: COUNTED_BG, color: COUNTED_FG });
              if (date === due) Object.assign(style, { outline: '3px solid #111827', outlineOffset: -3, fontWeight: 700 });
              if (date === start) Object.assign(style, { textDecoration: 'underline' });
              const what = mark ? (mark.name ?? (mark.mark === 'counted' ? t('countedDay') : mark.mark === 'makeup' ? t('makeupDay') : t(mark.mark === 'weekend' ? 'weekend' : mark.mark === 'holiday' ? 'holiday' : 'suspended'))) : '';
              return (
                <td key={i} style={style} title={[date, what, date === due ? t('dueDay') : ''].filter(Boolean).join(' · ')} data-date={date} data-mark={mark?.mark ?? ''}>
                  {Number(date.slice(8))}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
