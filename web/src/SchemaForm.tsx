import Form from '@rjsf/antd';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { Alert, Descriptions } from 'antd';
import { useContext, useState } from 'react';
import { ApiError } from './api';
import { LangContext, useT } from './i18n';
import { fieldTitle } from './localise';
import type { JsonSchema } from './model';

/**
 * A form rendered from the JSON Schema the API validates with (no hand-written form per procedure). The API's answer
 * is the final word: a refusal is shown with its rule and legal basis beside the form. `schema` is already in the
 * language shown (formSchema); in Chinese a refused field is named by its title beside the API's path.
 */
export function SchemaForm({ schema, submit, onDone, label }: { schema: JsonSchema; submit: (data: Record<string, unknown>) => Promise<unknown>; onDone: (answer: unknown) => void; label: string }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const fieldLabel = (field: string) => {
    const title = lang === 'zh' ? fieldTitle(schema, field) : undefined;
    return title ? `${title}（${field}）` : field;
  };
  return (
    <div>
      <Form
        schema={schema as RJSFSchema}
        validator={validator}
        formData={data}
        onChange={(e) => setData(e.formData as Record<string, unknown>)}
        showErrorList={false}
        // The page's CSP forbids eval, which ajv's compiled validators need; the API checks every field and its 400
        // names the field, shown below the form.
        noValidate
        disabled={busy}
        uiSchema={{ 'ui:submitButtonOptions': { submitText: label } }}
        onSubmit={async (e) => {
          setBusy(true);
          try {
            const answer = await submit(e.formData as Record<string, unknown>);
            setRefusal(null);
            setData({});
            onDone(answer);
          } catch (error) {
            setRefusal(error instanceof ApiError ? error : new ApiError(0, { message: String(error) }));
          } finally {
            setBusy(false);
          }
        }}
      />
      {refusal && (
        <Alert
          role="alert"
          type="error"
          showIcon
          style={{ marginTop: 16 }}
          title={refusal.body.rule ? t('refused') : t('error')}
          description={
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('refusalMessage')}>{refusal.message}</Descriptions.Item>
              {refusal.body.rule && <Descriptions.Item label={t('rule')}>{refusal.body.rule}</Descriptions.Item>}
              {refusal.body.field && <Descriptions.Item label={t('refusalField')}>{fieldLabel(refusal.body.field)}</Descriptions.Item>}
              {refusal.body.basis && <Descriptions.Item label={t('basis')}>{refusal.body.basis}</Descriptions.Item>}
            </Descriptions>
          }
        />
      )}
    </div>
  );
}
