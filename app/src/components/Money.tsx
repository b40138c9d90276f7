import { currentLocale } from '../i18n';
import { formatMoney } from '../format';

/** An amount in minor units, shown as money in the person's locale. */
export function Money({ minor, currency }: { minor: number; currency: string }) {
  return <span className="money">{formatMoney(minor, currency, currentLocale())}</span>;
}
