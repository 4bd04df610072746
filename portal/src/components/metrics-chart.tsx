// A model's metrics across its versions, one small chart per metric (metrics have different
// scales: an AUC of 0.83 and an RMSE of 1,240 do not share an axis). Recharts is loaded only
// with the model page (this module is imported lazily).
import { Card, SimpleGrid, Text } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface VersionMetrics {
  version: string;
  stage?: string;
  metrics: Record<string, number>;
}

const stageColor: Record<string, string> = { production: 'green', staging: 'blue', archived: 'gray', none: 'gray' };
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toLocaleString('en', { maximumFractionDigits: 0 }) : Number(v.toPrecision(3)).toString());

export default function MetricsCharts({ versions }: { versions: VersionMetrics[] }) {
  const names = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))];
  return (
    <SimpleGrid cols={{ base: 1, sm: Math.min(names.length, 3) as 1 | 2 | 3 }} spacing="md" data-testid="metrics-chart">
      {names.map((name) => {
        const data = versions.filter((v) => typeof v.metrics[name] === 'number').map((v) => ({ version: `v${v.version}`, value: v.metrics[name], stage: v.stage ?? 'none' }));
        const unit = data.every((d) => d.value >= 0 && d.value <= 1);
        return (
          <Card key={name} padding="sm" withBorder shadow="none" aria-label={`${name} by version`} data-metric={name}>
            <Text size="sm" fw={600} ff="monospace" mb={4}>
              {name}
            </Text>
            <div style={{ width: '100%', height: 170 }}>
              <ResponsiveContainer>
                <BarChart data={data} margin={{ top: 18, right: 8, bottom: 0, left: -18 }}>
                  <CartesianGrid vertical={false} stroke="var(--mantine-color-gray-2)" />
                  <XAxis dataKey="version" tickLine={false} axisLine={false} fontSize={12} />
                  <YAxis domain={unit ? [0, 1] : [0, 'auto']} tickLine={false} axisLine={false} fontSize={11} width={48} tickFormatter={fmt} />
                  <Tooltip cursor={{ fill: 'var(--mantine-color-gray-0)' }} formatter={(v) => [fmt(Number(v)), name]} labelFormatter={(l, p) => `${String(l)} · ${String((p?.[0]?.payload as { stage?: string } | undefined)?.stage ?? '')}`} />
                  <Bar dataKey="value" radius={[6, 6, 0, 0]} maxBarSize={56} isAnimationActive={false}>
                    {data.map((d) => (
                      <Cell key={d.version} fill={`var(--mantine-color-${stageColor[d.stage] ?? 'ink'}-${d.stage === 'production' ? 6 : 4})`} />
                    ))}
                    <LabelList dataKey="value" position="top" fontSize={12} formatter={(v: unknown) => fmt(Number(v))} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
