import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDate, formatMoney } from '../format';
import { currentLocale } from '../i18n';

export interface BalancePoint {
  date: string;
  receivable: number | null;
  unpaid: number;
}

/**
 * Two lines over the days of a period: the receivable in the ledger and the payments not yet paid out. Recharts is
 * large, so this file is loaded only when a chart is shown (React.lazy), not with every page of the app.
 */
export default function BalanceChart({ data, currency, labels }: { data: BalancePoint[]; currency: string; labels: { receivable: string; unpaid: string } }) {
  const locale = currentLocale();
  const money = (v: number) => formatMoney(v, currency, locale);
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 16 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#e3e6ec" />
        <XAxis dataKey="date" tickFormatter={(d: string) => formatDate(d, locale)} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => money(v)} width={110} />
        <Tooltip formatter={(v) => money(Number(v))} labelFormatter={(d) => formatDate(String(d), locale)} />
        <Legend />
        <Line type="stepAfter" dataKey="receivable" name={labels.receivable} stroke="#1f5fbf" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        <Line type="stepAfter" dataKey="unpaid" name={labels.unpaid} stroke="#b35c00" strokeWidth={2} strokeDasharray="6 3" dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
