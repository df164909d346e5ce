import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Request bodies that no zod schema describes (the calendar notices are checked in calendar-admin.service.ts). */
const DAYS: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'string', minLength: 1 },
  description: '{ "YYYY-MM-DD": "name" }: days of the year or of the year before',
};
export const NOTICE_BODY = {
  type: 'object',
  required: ['notice', 'holidays', 'makeupWorkdays'],
  properties: { notice: { type: 'string', minLength: 1, description: 'Title of the State Council notice' }, holidays: DAYS, makeupWorkdays: { ...DAYS, description: 'Saturdays and Sundays that are working days' } },
};
export const SUPPLEMENT_BODY: SchemaObject = {
  type: 'object',
  required: ['notice'],
  description: 'At least one day in holidays, makeupWorkdays or ordinaryDays',
  properties: {
    ...NOTICE_BODY.properties,
    ordinaryDays: { oneOf: [{ type: 'array', items: { type: 'string', format: 'date' } }, DAYS], description: 'Days that return to the ordinary week: a list of dates or { "YYYY-MM-DD": "why" }' },
  },
};
