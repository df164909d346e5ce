import { Tag } from 'antd';
import type { Deadline } from './model';
import { useT } from './i18n';

// Solid colours with white text: the pale preset tags fail the 4.5:1 contrast a caseworker's screen needs.
/** Red when overdue, yellow from the yellow escalation instant, green otherwise; grey when met. */
export function DeadlineBadge({ d, now = new Date() }: { d: Deadline; now?: Date }) {
  const t = useT();
  if (d.completedAt || ['met', 'met-late', 'met-recorded-late'].includes(d.status)) return <Tag color="default">{t('met')}</Tag>;
  if (d.overdue) return <Tag color="#b91c1c">{t('overdue')}</Tag>;
  if (d.yellowAt && Date.parse(d.yellowAt) <= now.getTime()) return <Tag color="#8a4b00">{t('nearDue')}</Tag>;
  return <Tag color="#166534">{t('onTrack')}</Tag>;
}
