import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { BadInputError } from '../cases/errors';
import { isStorableText } from '../domain/kernel/schema';

/**
 * Query parameters reach SQL as text: one PostgreSQL cannot hold (a NUL character, an unpaired surrogate) is a 400
 * naming the parameter, never a failed query answered 503. Bodies get the same rule from their schemas.
 */
export class StorableQueryPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'query') return value;
    if (metadata.data) refuseUnstorable(metadata.data, value);
    else if (value && typeof value === 'object') for (const [name, v] of Object.entries(value)) refuseUnstorable(name, v);
    return value;
  }
}

function refuseUnstorable(field: string, value: unknown): void {
  if (typeof value === 'string') {
    if (!isStorableText(value)) throw new BadInputError({ field, message: `${field} must not contain NUL characters or unpaired UTF-16 surrogates`, messageZh: `${field} 不能含 NUL 字符或不成对的 UTF-16 代理项` });
  } else if (Array.isArray(value)) {
    for (const item of value) refuseUnstorable(field, item);
  } else if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value)) refuseUnstorable(`${field}.${name}`, v);
  }
}
