// A team's spend per day over the report's window, one bar a day. The bars' heights are the
// only place amounts become floats, for drawing; every figure shown is the API's exact amount.
import { Card, Text } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from './money-format.ts';

const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function SpendChart({ daily, currency }: { daily: { day: string; amount: string }[]; currency: string }) {
  const data = daily.map((d) => ({ day: d.day, label: dayLabel(d.day), value: Number(d.amount), amount: d.amount }));
  const axis = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
  return (
    <Card withBorder padding="sm" aria-label="Spend per day" data-testid="spend-chart">
      <Text size="sm" fw={600} mb={4}>
        Spend per day
      </Text>
      <div style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--mantine-color-gray-2)" />
            <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} minTickGap={8} />
            <YAxis tickLine={false} axisLine={false} fontSize={11} width={72} tickFormatter={(v: number) => axis.format(v)} />
            <Tooltip
              cursor={{ fill: 'var(--mantine-color-gray-0)' }}
              formatter={(_v, _n, item) => [formatMoney(String((item.payload as { amount: string }).amount), currency), 'Spent']}
              labelFormatter={(_l, p) => String((p?.[0]?.payload as { day?: string } | undefined)?.day ?? '')}
            />
            <Bar dataKey="value" name="Spent" maxBarSize={40} fill="var(--mantine-color-gold-6)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
