import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '../../../db/schema/index.ts';
import { normalizeFieldValue, validateCustomValues } from '../../../src/crm/custom-fields.ts';
import { ValidationError } from '../../../src/crm/errors.ts';
import { normalizePhone } from '../../../src/crm/phone.ts';

const def = (key: string, type: CustomFieldDef['type'], options: string[] = []): CustomFieldDef => ({
  id: 1,
  entity: 'deal',
  key,
  label: key,
  type,
  options,
  isRequired: false,
  sortOrder: 0,
  isArchived: false,
  createdAt: new Date(),
});

describe('custom field values by type', () => {
  it.each([
    ['number', '1 200,5', 1200.5],
    ['number', 42, 42],
    ['money', '85000', '85000.00'],
    ['money', '1 234,5', '1234.50'],
    ['date', '25.11.2026', '2026-11-25'],
    ['date', '2026-02-28', '2026-02-28'],
    ['boolean', 'да', true],
    ['boolean', 'No', false],
    ['string', '  ООО Ромашка ', 'ООО Ромашка'],
  ] as const)('%s %j → %j', (type, input, expected) => {
    expect(normalizeFieldValue(def('f', type), input)).toEqual({ value: expected });
  });

  it.each([
    ['number', 'много'],
    ['number', Number.NaN],
    ['money', '-5'],
    ['date', '31.02.2026'],
    ['date', 'завтра'],
    ['boolean', 'может быть'],
    ['string', { a: 1 }],
    ['file', 'contract.pdf'],
  ] as const)('%s %j is refused', (type, input) => {
    expect(normalizeFieldValue(def('f', type), input)).toHaveProperty('error');
  });

  it('enum matches options case-insensitively and keeps the canonical spelling', () => {
    expect(normalizeFieldValue(def('pay', 'enum', ['Наличные', 'Безнал']), 'безнал')).toEqual({ value: 'Безнал' });
    expect(normalizeFieldValue(def('pay', 'enum', ['Наличные', 'Безнал']), 'бартер')).toHaveProperty('error');
  });

  it('a file is an object with a file id', () => {
    expect(normalizeFieldValue(def('kp', 'file'), { fileId: 'AgAD', name: 'kp.pdf', size: 10 })).toEqual({ value: { fileId: 'AgAD', name: 'kp.pdf', size: 10 } });
  });

  it('reports unknown and bad fields together', () => {
    const err = (() => {
      try {
        validateCustomValues([def('area', 'number')], { area: 'x', ghost: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { field: 'custom.area', message: 'must be a number' },
      { field: 'custom.ghost', message: 'no such field' },
    ]);
  });
});

describe('phone normalization', () => {
  it.each([
    ['8 916 123-45-67', '+79161234567'],
    ['+7 (903) 555-12-34', '+79035551234'],
    ['9161234567', '+79161234567'],
    ['+375 29 123 45 67', '+375291234567'],
  ])('%s → %s', (raw, e164) => expect(normalizePhone(raw)).toBe(e164));
  it.each(['12', 'позвоните', ''])('%j is not a phone', (raw) => expect(normalizePhone(raw)).toBeNull());
});
