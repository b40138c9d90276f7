import { describe, expect, it } from 'vitest';
import { euMemberStates, isEu, regionOf } from '../../../src/domain/region';

describe('regionOf', () => {
  it('is domestic within the home country', () => {
    expect(regionOf('DK', 'DK')).toBe('domestic');
    expect(regionOf('NO', 'NO')).toBe('domestic');
  });

  it('is eu for every other member state, seen from an EU country', () => {
    for (const c of euMemberStates.filter((c) => c !== 'DK')) expect(regionOf('DK', c), c).toBe('eu');
    expect(regionOf('DE', 'DK')).toBe('eu');
  });

  it('counts Northern Ireland (XI) as EU for goods, Great Britain not', () => {
    expect(regionOf('DK', 'XI')).toBe('eu');
    expect(regionOf('DK', 'GB')).toBe('outsideEu');
  });

  it('is outsideEu for non-members, including the Faroe Islands and Greenland', () => {
    for (const c of ['GB', 'NO', 'CH', 'IS', 'LI', 'FO', 'GL', 'US', 'AX', 'TR']) expect(regionOf('DK', c), c).toBe('outsideEu');
  });

  it('sees every other country as outsideEu from a home outside the EU', () => {
    expect(regionOf('NO', 'SE')).toBe('outsideEu');
    expect(regionOf('CH', 'DE')).toBe('outsideEu');
    expect(regionOf('GB', 'XI')).toBe('outsideEu');
  });

  it('reads lower case and the VAT code EL for Greece', () => {
    expect(regionOf('dk', 'DK')).toBe('domestic');
    expect(regionOf('DK', 'el')).toBe('eu');
    expect(regionOf('GR', 'EL')).toBe('domestic');
  });
});

describe('euMemberStates', () => {
  it('lists the 27 member states once each', () => {
    expect(euMemberStates).toHaveLength(27);
    expect(new Set(euMemberStates).size).toBe(27);
    expect(euMemberStates.every(isEu)).toBe(true);
    expect(['GB', 'NO', 'CH'].some(isEu)).toBe(false);
  });
});
