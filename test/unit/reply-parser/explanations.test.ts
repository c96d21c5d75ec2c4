import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

function explanation(text: string, field: string) {
  return parse(text).explanations.find((e) => e.field === field);
}

describe('explanations for the logist', () => {
  it('quotes the driver and states the reading, in Russian', () => {
    expect(explanation('85К без НДС', 'rate')).toEqual({ field: 'rate', source: '85К', value: '85 000 ₽' });
    expect(explanation('85К без НДС', 'vat')).toEqual({ field: 'vat', source: 'без НДС', value: 'без НДС' });
    expect(explanation('послезавтра свободен', 'ready_at')).toEqual({ field: 'ready_at', source: 'послезавтра', value: '25.11' });
  });

  it('says when a bare number was read as thousands', () => {
    expect(explanation('76', 'rate')).toEqual({ field: 'rate', source: '76', value: '76 000 ₽ (число без единиц — в тысячах)' });
  });

  it('names the turned-down figure of a counter-offer', () => {
    const e = explanation('За 55 не поеду, минимум 62', 'rate');
    expect(e?.source).toBe('62');
    expect(e?.value).toContain('62 000 ₽');
    expect(e?.value).toContain('встречное предложение');
    expect(e?.value).toContain('«55» — отклонённая ставка');
  });

  it('explains the bank payment implied by VAT', () => {
    expect(explanation('85000 с ндс', 'payment')).toEqual({
      field: 'payment',
      source: 'с ндс',
      value: 'безнал на расчётный счёт (подразумевается при НДС)',
    });
  });

  it('covers every filled field and the kind', () => {
    const r = parse('Тент, 25.11, 95 т.р. с НДС, отсрочка 5-7 б/д, диспетчер 8 916 123-45-67');
    const fields = r.explanations.map((e) => e.field).sort();
    expect(fields).toEqual(['deferral_days', 'kind', 'payment', 'phone', 'rate', 'ready_at', 'vat', 'vehicle']);
    expect(r.explanations.find((e) => e.field === 'deferral_days')?.value).toBe('7 дн. (из диапазона 5–7 взят максимум)');
    expect(r.explanations.find((e) => e.field === 'phone')).toEqual({
      field: 'phone',
      source: '8 916 123-45-67',
      value: '+79161234567',
    });
    expect(r.explanations.find((e) => e.field === 'vehicle')?.value).toBe('тент');
    expect(r.explanations.find((e) => e.field === 'kind')?.value).toMatch(/^предложение/);
  });

  it('explains an opt-out by its words', () => {
    expect(explanation('Удалите меня из рассылки', 'kind')).toEqual({
      field: 'kind',
      source: 'Удалите',
      value: 'отписка от рассылки: просит больше не присылать рассылку',
    });
  });

  it('a date in another year shows the year', () => {
    expect(explanation('5 января', 'ready_at')?.value).toBe('05.01.2027');
  });

  it('per-km rates', () => {
    expect(explanation('ставка 48 р/км', 'rate_per_km')).toEqual({ field: 'rate_per_km', source: '48 р/км', value: '48 ₽/км' });
  });
});
