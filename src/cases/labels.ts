import { kernelDefinitionFor } from '../../procedures';
import type { Language, Said } from '../domain/said';

/**
 * How each procedure's outcomes read (the code a definition closes a case with stays the API's value; this is its
 * text). Keyed by procedure, because one word ends different things: a revoked star rating is not a revoked licence.
 */
export const OUTCOMES: Record<string, Record<string, Said>> = {
  'objection-review': {
    upheld: { en: 'Objection upheld', zh: '异议成立' },
    rejected: { en: 'Objection not upheld', zh: '异议不成立' },
    referred: { en: 'Referred to the competent unit', zh: '已转交有权处理的单位' },
  },
  'credit-repair': {
    approved: { en: 'Repair approved', zh: '准予信用修复' },
    rejected: { en: 'Repair refused', zh: '不予信用修复' },
    'not-accepted': { en: 'Application not accepted', zh: '申请不予受理' },
  },
  'commitment-verification': {
    kept: { en: 'Commitment kept', zh: '已履行承诺' },
    rectified: { en: 'Rectified within the period', zh: '已在期限内整改' },
    guided: { en: 'Guidance given', zh: '已予指导' },
    revoked: { en: 'Licence revoked', zh: '已撤销许可' },
    penalised: { en: 'Administrative penalty imposed', zh: '已予行政处罚' },
  },
  'credit-complaint': {
    replied: { en: 'Complainant answered', zh: '已答复投诉人' },
    'not-accepted': { en: 'Complaint not accepted', zh: '投诉不予受理' },
  },
  'information-correction': {
    corrected: { en: 'Information corrected', zh: '信息已更正' },
    updated: { en: 'Information updated', zh: '信息已更新' },
  },
  'dishonesty-listing': {
    'not-listed': { en: 'Not listed', zh: '不予列入' },
    removed: { en: 'Removed from the list', zh: '已移出名单' },
    repaired: { en: 'Removed after credit repair', zh: '经信用修复移出名单' },
    'period-ended': { en: 'Listing period ended', zh: '列入期限届满' },
  },
  'property-rating': {
    expired: { en: 'Rating validity ended', zh: '星级有效期届满' },
    revoked: { en: 'Star rating revoked', zh: '已撤销星级' },
    'owners-assembly-notified': { en: "Owners' assembly notified", zh: '已告知业主大会' },
  },
};

export function outcomeText(procedure: string, outcome: string, language: Language): string {
  const said = OUTCOMES[procedure]?.[outcome];
  return said ? said[language] : outcome;
}

/** A suspension reason as its procedure's definition names it. */
export function suspensionReasonText(procedure: string, version: number, code: string, language: Language): string {
  const reason = kernelDefinitionFor(procedure, version)?.suspensionReasons.find((r) => r.code === code);
  return reason ? (language === 'en' ? reason.label : reason.labelZh) : code;
}
