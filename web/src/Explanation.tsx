import { Alert, Descriptions, Tag, Typography } from 'antd';
import { useContext } from 'react';
import { LangContext, useT } from './i18n';
import type { Explanation as E, SkippedDay } from './model';
import { weekday } from './time';

function Day({ d }: { d: SkippedDay }) {
  const t = useT();
  const lang = useContext(LangContext);
  const color = d.reason === 'holiday' ? '#b91c1c' : d.reason === 'suspended' ? '#6b21a8' : '#4b5563';
  return <Tag color={color} style={{ whiteSpace: 'normal' }}>{d.date} {weekday(d.date, lang)} · {d.name ?? t(d.reason)}</Tag>;
}

/** Why a deadline falls on its date: every day not counted, with its name, make-up days, suspensions, roll-forward. */
export function ExplanationView({ e }: { e: E }) {
  const t = useT();
  const lang = useContext(LangContext);
  return (
    <div>
      <Typography.Paragraph>{lang === 'zh' ? (e.summaryZh ?? e.summary) : e.summary}</Typography.Paragraph>
      {e.provisional && <Alert type="warning" showIcon title={t('provisional')} description={e.provisionalYears.join(', ')} style={{ marginBottom: 8 }} />}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('countedDays')}>{e.countedDays.length} ({e.countedDays[0] ?? ''} … {e.countedDays[e.countedDays.length - 1] ?? ''})</Descriptions.Item>
        {e.skippedDays.length > 0 && (
          <Descriptions.Item label={t('skippedDays')}>
            {e.skippedDays.map((d) => <Day key={d.date} d={d} />)}
          </Descriptions.Item>
        )}
        {e.makeupWorkdaysCounted.length > 0 && (
          <Descriptions.Item label={t('makeupDays')}>
            {e.makeupWorkdaysCounted.map((d) => <Tag key={d.date} color="#1e40af" style={{ whiteSpace: 'normal' }}>{d.date} {weekday(d.date, lang)} · {d.name}</Tag>)}
          </Descriptions.Item>
        )}
        {e.rolledForward && (
          <Descriptions.Item label={t('rolledForward')}>
            {e.rolledForward.from} → <strong>{e.rolledForward.to}</strong> ({e.rolledForward.basis})
          </Descriptions.Item>
        )}
        {e.suspensions.length > 0 && (
          <Descriptions.Item label={t('suspensions')}>
            {e.suspensions.map((s) => <div key={s.from}>{s.from} → {s.to ?? '…'} {s.reason ?? ''} ({s.daysNotCounted.length})</div>)}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('basis')}>{e.basis.join('；')}</Descriptions.Item>
        <Descriptions.Item label={t('calendarVersion')}>{e.calendarVersion}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
