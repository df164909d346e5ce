import { Alert, Button, Card, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { useT } from './i18n';

interface Unit {
  id: string;
  name: string;
  parentId: string | null;
}
interface User {
  id: string;
  name: string;
  unitId: string;
  roles: string[];
  active?: boolean;
}
const ROLES = ['caseworker', 'supervisor', 'admin'];

/**
 * Units and users (administrators): add a unit under a parent, rename one; add a user or change their unit and roles;
 * deactivate a user who leaves (every token of theirs is refused from their next request) or reactivate them.
 */
export function Admin() {
  const t = useT();
  const [units, setUnits] = useState<Unit[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [unitForm] = Form.useForm<Unit>();
  const [userForm] = Form.useForm<User>();
  const load = () => {
    api<{ items: Unit[] }>('/units').then((r) => setUnits(r.items), setError);
    api<{ items: User[] }>('/users').then((r) => setUsers(r.items), setError);
  };
  useEffect(load, []);
  const done = (what: string) => () => {
    setError(null);
    setSaved(what);
    load();
  };
  const putUnit = (u: Unit) => api(`/units/${encodeURIComponent(u.id)}`, { method: 'PUT', body: { name: u.name, parentId: u.parentId ?? null } }).then(done(`${t('saved')}: ${u.id}`), setError);
  const putUser = (u: User) => api(`/users/${encodeURIComponent(u.id)}`, { method: 'PUT', body: { name: u.name, unitId: u.unitId, roles: u.roles } }).then(done(`${t('saved')}: ${u.id}`), setError);
  const setActive = (u: User, active: boolean) => api(`/users/${encodeURIComponent(u.id)}`, { method: 'PUT', body: { active } }).then(done(`${t(active ? 'reactivate' : 'deactivate')}: ${u.id}`), setError);
  const unitOptions = units.map((u) => ({ value: u.id, label: `${u.name} (${u.id})` }));
  return (
    <section aria-labelledby="admin-title">
      <Typography.Title level={2} id="admin-title">{t('admin')}</Typography.Title>
      {error && <Alert role="alert" type="error" showIcon title={error.message} description={error.body.field ? `field: ${error.body.field}` : undefined} style={{ marginBottom: 16 }} />}
      {saved && !error && <Alert role="status" type="success" showIcon title={saved} style={{ marginBottom: 16 }} />}
      <Card title={t('units')} style={{ marginBottom: 16 }}>
        <Table<Unit> rowKey="id" dataSource={units} pagination={false} size="small" scroll={{ x: 600 }}
          columns={[{ title: 'ID', dataIndex: 'id' }, { title: t('name'), dataIndex: 'name' }, { title: t('parentUnit'), dataIndex: 'parentId' }]} />
        <Form form={unitForm} layout="inline" onFinish={putUnit} style={{ marginTop: 16, rowGap: 8 }}>
          <Form.Item name="id" label="ID" rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="name" label={t('name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="parentId" label={t('parentUnit')}><Select allowClear options={unitOptions} style={{ width: 220 }} /></Form.Item>
          <Button type="primary" htmlType="submit">{t('save')}</Button>
        </Form>
      </Card>
      <Card title={t('users')}>
        <Table<User> rowKey="id" dataSource={users} pagination={{ pageSize: 50 }} size="small" scroll={{ x: 600 }}
          onRow={(u) => ({ onClick: () => userForm.setFieldsValue({ id: u.id, name: u.name, unitId: u.unitId, roles: u.roles }) })}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            { title: t('name'), dataIndex: 'name' },
            { title: t('unit'), dataIndex: 'unitId' },
            { title: t('roles'), key: 'roles', render: (_, u) => u.roles.map((r) => <Tag key={r}>{r}</Tag>) },
            {
              title: t('status'),
              key: 'active',
              render: (_, u) => (
                <>
                  <Tag color={u.active === false ? 'red' : 'green'}>{t(u.active === false ? 'deactivated' : 'active')}</Tag>
                  <Button size="small" danger={u.active !== false} aria-label={`${t(u.active === false ? 'reactivate' : 'deactivate')} ${u.id}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      void setActive(u, u.active === false);
                    }}>
                    {t(u.active === false ? 'reactivate' : 'deactivate')}
                  </Button>
                </>
              ),
            },
          ]} />
        <Form form={userForm} layout="inline" onFinish={putUser} style={{ marginTop: 16, rowGap: 8 }}>
          <Form.Item name="id" label="ID" rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="name" label={t('name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="unitId" label={t('unit')} rules={[{ required: true }]}><Select options={unitOptions} style={{ width: 220 }} /></Form.Item>
          <Form.Item name="roles" label={t('roles')} rules={[{ required: true }]}><Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: r }))} style={{ width: 260 }} /></Form.Item>
          <Button type="primary" htmlType="submit">{t('save')}</Button>
        </Form>
      </Card>
    </section>
  );
}
