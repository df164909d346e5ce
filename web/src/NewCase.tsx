import { Select, Space, Typography } from 'antd';
import { useContext, useEffect, useState } from 'react';
import { api } from './api';
import { LangContext, pick, useT } from './i18n';
import { formSchema, JsonSchema, loadBodySchemas, loadProcedures, newestVersions, Procedure } from './model';
import { SchemaForm } from './SchemaForm';
import { beijingDate } from './time';

// The app fills these: the procedure chosen above, a fresh idempotency key per filing, and the caller from the token.
const FILLED_BY_THE_APP = ['procedure', 'idempotencyKey', 'actor', 'unitId'];

export function NewCase({ open }: { open: (id: string) => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [bodies, setBodies] = useState<Record<string, JsonSchema>>({});
  const [chosen, setChosen] = useState<string | undefined>();
  useEffect(() => {
    loadProcedures().then(setProcedures, () => undefined);
    loadBodySchemas().then(setBodies, () => undefined);
  }, []);
  const today = beijingDate(new Date());
  const offered = newestVersions(procedures).filter((p) => p.validFrom <= today && (!p.validTo || p.validTo >= today));
  const def = offered.find((p) => p.procedure === chosen);
  const schema = def ? bodies[`Filing_${def.procedure}_v${def.version}`] : undefined;
  const withToday = (s: JsonSchema): JsonSchema => ({ ...s, properties: { ...s.properties, receivedAt: { ...s.properties?.receivedAt, default: today } } });
  // The variant codes labelled in the UI language (rjsf reads `oneOf: [{ const, title }]` as a select's options).
  const withVariantLabels = (s: JsonSchema): JsonSchema => {
    const variant = s.properties?.variant;
    if (!variant || !def) return s;
    const { enum: _codes, ...rest } = variant;
    const oneOf = def.variants.map((v) => ({ const: v.variant, title: pick(lang, v.label, v.labelZh) }));
    return { ...s, properties: { ...s.properties, variant: { ...rest, oneOf } } };
  };
  return (
    <section aria-labelledby="new-case-title">
      <Typography.Title level={2} id="new-case-title">{t('newCase')}</Typography.Title>
      <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }}>
        <Select aria-label={t('chooseProcedure')} placeholder={t('chooseProcedure')} value={chosen} onChange={setChosen} style={{ width: '100%' }}
          options={offered.map((p) => ({ value: p.procedure, label: pick(lang, p.title, p.titleZh) }))} />
        {schema && def && (
          <SchemaForm
            key={def.procedure}
            label={t('file')}
            schema={withVariantLabels(withToday(formSchema(schema, FILLED_BY_THE_APP, lang)))}
            submit={(data) => api<{ id: string }>('/cases', { method: 'POST', body: { ...data, procedure: def.procedure, idempotencyKey: crypto.randomUUID() } })}
            onDone={(answer) => open((answer as { id: string }).id)}
          />
        )}
      </Space>
    </section>
  );
}
