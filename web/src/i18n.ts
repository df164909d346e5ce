import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';

const TEXTS = {
  appTitle: ['法定期限办理系统', 'Legal deadlines'],
  signIn: ['登录', 'Sign in'],
  signInAs: ['以此身份登录', 'Sign in as this user'],
  signInDemoHint: ['本机安装：选择一个演示用户登录（仅在演示目录开启时可用）。', 'Local install: choose a demo user (only while the demo directory is on).'],
  signInNone: ['本服务通过统一身份认证登录，请联系管理员。', 'This service signs in through the identity provider; ask an administrator.'],
  signOut: ['退出登录', 'Sign out'],
  sessionEnds: ['会话到期', 'Session ends'],
  workList: ['待办案件', 'Work list'],
  newCase: ['登记新案件', 'File a case'],
  search: ['搜索案件编号、当事人全名、信用代码或身份证号', 'Search case number, full name, credit code or ID number'],
  procedure: ['程序', 'Procedure'],
  allProcedures: ['全部程序', 'All procedures'],
  caseNumber: ['案件编号', 'Case number'],
  subject: ['当事人', 'Subject'],
  state: ['状态', 'State'],
  nextDeadline: ['最近法定期限', 'Nearest legal deadline'],
  received: ['收件时间', 'Received'],
  onlyOpen: ['仅未办结', 'Open only'],
  overdue: ['已超期', 'Overdue'],
  nearDue: ['临近到期', 'Near due'],
  onTrack: ['正常', 'On track'],
  met: ['已按期办结', 'Met'],
  dueToday: ['今天到期', 'Due today'],
  dueTomorrow: ['明天到期', 'Due tomorrow'],
  dueThisWeek: ['本周到期', 'Due this week'],
  later: ['更晚', 'Later'],
  noDeadline: ['无进行中的期限', 'No running deadline'],
  deadlines: ['法定期限', 'Deadlines'],
  dueOn: ['届满日', 'Due on'],
  basis: ['依据', 'Basis'],
  explanation: ['期限计算说明', 'How the date was counted'],
  countedDays: ['计入的日数', 'Days counted'],
  skippedDays: ['不计入的日子', 'Days not counted'],
  makeupDays: ['调休上班日（计入）', 'Make-up working days (counted)'],
  rolledForward: ['期限最后一日为法定休假日，顺延至', 'The last day is a rest day; moved to'],
  suspensions: ['中止计时', 'Suspensions'],
  calendarVersion: ['节假日日历版本', 'Holiday calendar version'],
  provisional: ['暂定：所涉年份的国务院节假日安排尚未发布，发布并载入后期限将自动重算。', 'Provisional: the State Council holiday notice for a year it spans is not out yet; the date is recomputed when it is loaded.'],
  weekend: ['周末', 'Weekend'],
  holiday: ['法定节假日', 'Public holiday'],
  suspended: ['中止', 'Suspended'],
  actions: ['可办理的操作', 'Actions allowed now'],
  noActions: ['当前状态下没有可办理的操作。', 'No action is allowed in this state.'],
  chooseAction: ['选择操作', 'Choose an action'],
  submit: ['提交', 'Submit'],
  refused: ['依法不予办理', 'Refused'],
  rule: ['规则', 'Rule'],
  done: ['已办理', 'Done'],
  auditTrail: ['办理记录', 'Audit trail'],
  escalations: ['督办提醒', 'Escalations'],
  showPersonalData: ['显示完整个人信息（将被记录）', 'Show personal data (the read is recorded)'],
  personalDataReads: ['个人信息查阅记录', 'Personal data reads'],
  back: ['返回', 'Back'],
  file: ['登记', 'File'],
  chooseProcedure: ['选择程序', 'Choose a procedure'],
  notFound: ['找不到该案件，或您无权查看。', 'No such case, or you may not see it.'],
  error: ['出错了', 'Something went wrong'],
  language: ['English', '中文'],
  closed: ['已办结', 'Closed'],
  total: ['共', 'Total'],
  beijingTime: ['北京时间', 'Beijing time'],
  board: ['督办看板', 'Supervisor board'],
  admin: ['单位与用户', 'Units and users'],
  units: ['单位', 'Units'],
  users: ['用户', 'Users'],
  name: ['名称', 'Name'],
  parentUnit: ['上级单位', 'Parent unit'],
  roles: ['角色', 'Roles'],
  save: ['保存', 'Save'],
  saved: ['已保存', 'Saved'],
  overdueAndNearDue: ['超期与临期', 'Overdue and near due'],
  unit: ['单位', 'Unit'],
  level: ['级别', 'Level'],
  workingDaysOverdue: ['超期工作日', 'Working days overdue'],
  extensionRequests: ['待审批的延期申请', 'Extension requests waiting'],
  workingDaysAsked: ['申请延长工作日', 'Working days asked'],
  reason: ['理由', 'Reason'],
  requestedBy: ['申请人', 'Asked by'],
  approve: ['批准延期', 'Approve'],
  approved: ['已批准延期', 'Extension approved'],
  onTimeRate: ['按期办结率', 'On-time rate'],
  metLate: ['逾期办结', 'Met late'],
  breached: ['超期未办', 'Breached'],
  running: ['办理中', 'Running'],
} as const;

export type TextKey = keyof typeof TEXTS;

export const LangContext = createContext<Lang>('zh');

export function useT(): (key: TextKey) => string {
  const lang = useContext(LangContext);
  return (key) => TEXTS[key][lang === 'zh' ? 0 : 1];
}

/** A label the API gives in both languages (labelZh beside label). */
export function pick(lang: Lang, en: string | undefined, zh: string | undefined): string {
  return (lang === 'zh' ? zh || en : en || zh) ?? '';
}
