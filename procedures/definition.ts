import type { Period } from '../src/domain/periods';

/** A legal (breach if missed) or promised (warning only) period. */
export type ClockKind = 'legal' | 'promised';

export interface ClockDefinition {
  key: string;
  label: string;
  labelZh: string;
  period: Period;
  kind: ClockKind;
  basis: string;
  /** Whether statutory suspensions (inspection, testing, …) stop this clock. */
  suspendable: boolean;
}

export interface RuleDefinition {
  id: string;
  basis: string;
}

export interface SuspensionReason {
  code: string;
  label: string;
  labelZh: string;
}

export interface EscalationPolicy {
  /** Yellow card when this many working days remain (TIME-RULES: warnings and escalation). */
  yellowWorkingDaysBefore: number;
}

/** Published definitions are never edited: a change is a new version, and a case keeps the version it was filed under. */
export interface ProcedureDefinitionBase {
  procedure: string;
  version: number;
  title: string;
  titleZh: string;
  basis: string[];
  escalation: EscalationPolicy;
  extensions: { allowed: boolean; basis: string };
}
