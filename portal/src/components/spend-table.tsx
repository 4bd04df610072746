// The itemised spend: one row per item of the chosen grouping, the idle share of shared services
// marked as such, and the total, which the API computed as the exact sum of the rows.
import { Anchor, Badge, Card, Group, Table, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconBuildingWarehouse } from '@tabler/icons-react';
import { Link } from 'wouter';
import type { SpendGrouping, SpendRow } from '../pages/spend-types.ts';
import { Money } from './money.tsx';
import { ResourceIcon, resourceInfo } from './resource-icon.tsx';

/**
 * "230236.0420" → "230,236", "1.5000" → "1.5", "0.0064" → "0.0064": grouped, with the decimals its
 * size needs (Intl reads the string exactly; the CSV has every digit).
 */
const quantities = [0, 2, 4].map((digits) => new Intl.NumberFormat('en', { maximumFractionDigits: digits }));
function quantity(q: string): string {
  if (!/^[-+]?\d+(\.\d+)?$/.test(q)) return q;
  const whole = q.replace(/^[-+]?0*/, '').split('.')[0];
  return quantities[whole.length >= 3 ? 0 : whole.length >= 1 ? 1 : 2].format(q as `${number}`);
}

type Detail = 'team' | 'resourceType' | 'environment' | 'path' | 'user';
const detailTitle: Record<Detail, string> = { team: 'Team', resourceType: 'Resource type', environment: 'Environment', path: 'Path', user: 'User' };
const itemTitle: Record<SpendGrouping, string> = { resource: 'Resource', resourceType: 'Resource type', user: 'User', path: 'Path', environment: 'Environment', team: 'Team', day: 'Day' };

function DetailCell({ field, row }: { field: Detail; row: SpendRow }) {
  const value = row[field];
  if (!value) return <Text c="dimmed">—</Text>;
  if (field === 'resourceType' && value.startsWith('shared:'))
    return (
      <Group gap={6} wrap="nowrap">
        <ThemeIcon size={20} radius="md" variant="light" color="gray" aria-hidden>
          <IconBuildingWarehouse size={12} />
        </ThemeIcon>
        <Text size="sm">Shared: {value.slice('shared:'.length)}</Text>
      </Group>
    );
  if (field === 'resourceType')
    return (
      <Group gap={6} wrap="nowrap">
        <ResourceIcon type={value} size={20} />
        <Text size="sm">{resourceInfo(value).label}</Text>
      </Group>
    );
  if (field === 'environment')
    return (
      <Anchor component={Link} href={`/environments/${encodeURIComponent(value)}`} size="sm" ff="monospace">
        {value}
      </Anchor>
    );
  return <Text size="sm">{value}</Text>;
}

export function SpendTable({ rows, by, total, currency, allTeams = false }: { rows: SpendRow[]; by: SpendGrouping; total: string; currency: string; allTeams?: boolean }) {
  // Columns that say more than the grouping itself: by resource, its type, environment and user
  // (and its team, in a report of every team).
  const candidates: Detail[] = allTeams ? ['team', 'resourceType', 'environment', 'path', 'user'] : ['resourceType', 'environment', 'path', 'user'];
  const details = candidates.filter((f) => f !== by && rows.some((r) => r[f]));
  const withQuantity = rows.some((r) => r.quantity && r.unit);
  return (
    <Card withBorder padding={0} aria-label="Itemised spend">
      <Table.ScrollContainer minWidth={480 + 90 * details.length}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="spend-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th miw={200}>{itemTitle[by]}</Table.Th>
              {details.map((f) => (
                <Table.Th key={f}>{detailTitle[f]}</Table.Th>
              ))}
              {withQuantity && <Table.Th ta="right">Used</Table.Th>}
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr
                key={r.key}
                data-key={r.key}
                data-idle={r.idle || undefined}
                data-environment={r.environment ?? undefined}
                style={r.idle ? { background: 'repeating-linear-gradient(135deg, var(--mantine-color-gray-0) 0 8px, var(--mantine-color-gray-1) 8px 16px)' } : undefined}
              >
                <Table.Td>
                  <Group gap={8} wrap="nowrap">
                    {by === 'environment' && r.environment ? (
                      <Anchor component={Link} href={`/environments/${encodeURIComponent(r.environment)}`} size="sm" fw={500}>
                        {r.label}
                      </Anchor>
                    ) : (
                      <Text size="sm" fw={500} c={r.idle ? 'dimmed' : undefined} fs={r.idle ? 'italic' : undefined}>
                        {r.label}
                      </Text>
                    )}
                    {r.idle && (
                      <Tooltip label="Shared-service capacity that no environment used in this window: the platform shows it rather than hiding it in everyone's share." multiline maw={300} withArrow>
                        <Badge size="xs" variant="outline" color="gray" data-testid="idle-badge" style={{ flexShrink: 0 }}>
                          Idle
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                {details.map((f) => (
                  <Table.Td key={f}>
                    <DetailCell field={f} row={r} />
                  </Table.Td>
                ))}
                {withQuantity && (
                  <Table.Td ta="right">
                    <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {r.quantity && r.unit ? `${quantity(r.quantity)} ${r.unit}` : '—'}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td ta="right">
                  <Money amount={r.amount} currency={currency} size="sm" fw={500} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr data-testid="spend-total-row" style={{ borderTop: '2px solid var(--mantine-color-gray-3)' }}>
              <Table.Th colSpan={1 + details.length + (withQuantity ? 1 : 0)}>Total</Table.Th>
              <Table.Th ta="right">
                <Money amount={total} currency={currency} fw={700} />
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
