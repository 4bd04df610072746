import { Table, Text } from '@mantine/core';

/** Rows as PostgreSQL sent them (text, or null shown as a dimmed NULL), in a table that scrolls on its own and takes keyboard focus. */
export function ResultTable({ columns, rows, label, testId }: { columns: string[]; rows: (string | null)[][]; label: string; testId?: string }) {
  return (
    <Table.ScrollContainer minWidth={Math.min(1200, Math.max(320, columns.length * 140))} maxHeight={520} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': label } }}>
      <Table striped highlightOnHover withTableBorder stickyHeader verticalSpacing={6} horizontalSpacing="sm" fz="sm" data-testid={testId} ff="monospace">
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i} style={{ whiteSpace: 'nowrap' }}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, r) => (
            <Table.Tr key={r}>
              {row.map((v, i) => (
                <Table.Td key={i} style={{ whiteSpace: 'pre', maxWidth: 420, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {v === null ? (
                    <Text span size="sm" c="dimmed" fs="italic">
                      NULL
                    </Text>
                  ) : (
                    v
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
