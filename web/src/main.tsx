// The Chinese typeface ships with the app (split by Unicode range: a page loads only the slices its characters need).
import '@fontsource/noto-sans-sc/400.css';
import { Button, ConfigProvider, Layout, Menu, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, loadSession, saveSession, Session, setApiLanguage, whenUnauthorized } from './api';
import { Lang, LangContext, useT } from './i18n';
import { finishOidcSignIn, isOidcCallback } from './oidc';
import { SignIn } from './SignIn';
import { beijingDateTime } from './time';
import { WorkList } from './WorkList';

// The forms (react-jsonschema-form and its validator) load with the first page that needs them: the work list opens
// without them.
const CasePage = lazy(() => import('./CasePage').then((m) => ({ default: m.CasePage })));
const Admin = lazy(() => import('./Admin').then((m) => ({ default: m.Admin })));
const Inbox = lazy(() => import('./Inbox').then((m) => ({ default: m.Inbox })));
const Board = lazy(() => import('./Board').then((m) => ({ default: m.Board })));
const NewCase = lazy(() => import('./NewCase').then((m) => ({ default: m.NewCase })));
const Calculator = lazy(() => import('./Calculator').then((m) => ({ default: m.Calculator })));
const CalendarAdmin = lazy(() => import('./CalendarAdmin').then((m) => ({ default: m.CalendarAdmin })));
const ProcedureMap = lazy(() => import('./ProcedureMap').then((m) => ({ default: m.ProcedureMap })));

/** Routes live after `#` (src/api/web-app.ts): #/ work list, #/new, #/cases/<id>, #/procedures, #/calculator, #/calendar and #/admin (admins), #/board
 * (supervisors), #/inbox. */
function useRoute(): [string, (to: string) => void] {
  const [hash, setHash] = useState(() => location.hash.slice(1) || '/');
  useEffect(() => {
    const changed = () => setHash(location.hash.slice(1) || '/');
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return [hash, (to) => (location.hash = to)];
}

function Shell({ session, signOut, lang, setLang }: { session: Session; signOut: () => void; lang: Lang; setLang: (l: Lang) => void }) {
  const t = useT();
  const [route, go] = useRoute();
  const [roles, setRoles] = useState<string[]>([]);
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    api<{ roles: string[]; name: string }>('/me').then((me) => (setRoles(me.roles), setName(me.name)), () => undefined);
  }, [session.user]);
  const supervises = roles.includes('supervisor') || roles.includes('admin');
  const caseId = /^\/cases\/([0-9a-f-]{36})$/.exec(route)?.[1];
  const page = caseId ? <CasePage id={caseId} /> : route === '/board' ? <Board /> : route === '/inbox' ? <Inbox /> : route === '/admin' ? <Admin /> : route === '/calculator' ? <Calculator /> : route === '/calendar' ? <CalendarAdmin /> : route === '/procedures' ? <ProcedureMap /> : route === '/new' ? <NewCase open={(id) => go(`/cases/${id}`)} /> : <WorkList open={(id) => go(`/cases/${id}`)} />;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', lineHeight: '48px' }}>
        <h1 style={{ color: '#fff', fontSize: 18, margin: 0 }}>{t('appTitle')}</h1>
        <Menu
          theme="dark"
          mode="horizontal"
          disabledOverflow
          selectedKeys={[route === '/new' ? 'new' : route === '/board' ? 'board' : route === '/inbox' ? 'inbox' : route === '/admin' ? 'admin' : route === '/procedures' ? 'procedures' : ['/calculator', '/calendar'].includes(route) ? route : 'list']}
          style={{ flex: 1, minWidth: 200 }}
          items={[
            { key: 'list', label: <a href="#/">{t('workList')}</a> },
            { key: 'new', label: <a href="#/new">{t('newCase')}</a> },
            { key: 'inbox', label: <a href="#/inbox">{t('inbox')}</a> },
            { key: 'procedures', label: <a href="#/procedures">{t('procedureMap')}</a> },
            { key: '/calculator', label: <a href="#/calculator">{t('calculator')}</a> },
            ...(supervises ? [{ key: 'board', label: <a href="#/board">{t('board')}</a> }] : []),
            ...(roles.includes('admin') ? [{ key: '/calendar', label: <a href="#/calendar">{t('calendarAdmin')}</a> }, { key: 'admin', label: <a href="#/admin">{t('admin')}</a> }] : []),
          ]}
        />
        <Space wrap>
          <Typography.Text style={{ color: '#fff' }}>{name ? `${name} (${session.user})` : session.user}</Typography.Text>
          <Typography.Text style={{ color: '#d9d9d9' }}>{t('sessionEnds')} {beijingDateTime(session.expiresAt)}</Typography.Text>
          <Button size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} lang={lang === 'zh' ? 'en' : 'zh'}>{t('language')}</Button>
          <Button size="small" onClick={signOut}>{t('signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: '16px 24px', maxWidth: 1280, width: '100%', margin: '0 auto' }}>
        <Suspense fallback={null}>{page}</Suspense>
      </Layout.Content>
    </Layout>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('ldl.lang') === 'en' ? 'en' : 'zh'));
  const [session, setSession] = useState<Session | null>(() => (isOidcCallback() ? null : loadSession()));
  const [returning, setReturning] = useState(isOidcCallback);
  const [notice, setNotice] = useState<'sessionExpired' | null>(null);
  const [failure, setFailure] = useState<string | undefined>();
  const setLang = (l: Lang) => {
    localStorage.setItem('ldl.lang', l);
    setLangState(l);
  };
  setApiLanguage(lang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const signedIn = (s: Session) => {
    saveSession(s);
    setSession(s);
    setNotice(null);
    location.hash = '/';
  };
  useEffect(() => {
    if (!returning) return;
    finishOidcSignIn().then(signedIn, (e: Error) => setFailure(e.message)).finally(() => setReturning(false));
  }, [returning]);
  const signOut = () => {
    const signOutUrl = session?.signOutUrl;
    saveSession(null);
    setSession(null);
    // The provider's own session would sign the user straight back in: end it there too.
    if (signOutUrl) location.assign(signOutUrl);
  };
  const expire = () => {
    saveSession(null);
    setSession(null);
    setNotice('sessionExpired');
  };
  whenUnauthorized(() => {
    if (session) expire();
  });
  // The session ends with its token: sign out then, not at the next refused request.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(expire, Math.max(0, Date.parse(session.expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);
  return (
    <LangContext.Provider value={lang}>
      <ConfigProvider button={{ autoInsertSpace: false }} locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1d4ed8', colorPrimaryHover: '#1e40af', colorPrimaryActive: '#1e3a8a', colorLink: '#1d4ed8', colorLinkHover: '#1e40af', colorTextSecondary: 'rgba(0,0,0,0.75)', colorTextTertiary: 'rgba(0,0,0,0.75)', colorTextDescription: 'rgba(0,0,0,0.75)', colorTextPlaceholder: 'rgba(0,0,0,0.6)', fontFamily: "'Noto Sans SC', system-ui, sans-serif" } }}>
        {session ? (
          <Shell session={session} signOut={signOut} lang={lang} setLang={setLang} />
        ) : returning ? null : (
          <SignIn onSignedIn={signedIn} notice={notice ?? undefined} failure={failure} />
        )}
      </ConfigProvider>
    </LangContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
