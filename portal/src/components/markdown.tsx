import { Fragment, type ReactNode } from 'react';
import { Code, List, Text, Title } from '@mantine/core';

// Golden path docs are short markdown written by platform engineers: headings, lists, bold,
// italics and code. A full markdown library would cost more than the page it serves.
function inline(text: string): ReactNode[] {
  const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*|\*[^*]+\*)/g);
  return parts.map((p, i) => {
    if (p.startsWith('`') && p.endsWith('`') && p.length > 1) return <Code key={i}>{p.slice(1, -1)}</Code>;
    if (p.startsWith('**') && p.endsWith('**') && p.length > 3) return <b key={i}>{p.slice(2, -2)}</b>;
    if (p.startsWith('*') && p.endsWith('*') && p.length > 2) return <i key={i}>{p.slice(1, -1)}</i>;
    return <Fragment key={i}>{p}</Fragment>;
  });
}

export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  let list: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (list.length) {
      blocks.push(
        <List key={blocks.length} size="sm" spacing={6} mb="sm">
          {list.map((l, i) => (
            <List.Item key={i}>{inline(l)}</List.Item>
          ))}
        </List>,
      );
      list = [];
    }
    if (para.length) {
      blocks.push(
        <Text key={blocks.length} size="sm" mb="sm">
          {inline(para.join(' '))}
        </Text>,
      );
      para = [];
    }
  };
  for (const line of source.split('\n')) {
    const h = line.match(/^(#{1,6})\s+(.*)$/);
    const li = line.match(/^\s*[-*]\s+(.*)$/);
    if (h) {
      flush();
      blocks.push(
        <Title key={blocks.length} order={4} fz="sm" tt="uppercase" c="dimmed" mb={8} style={{ letterSpacing: '0.04em' }}>
          {h[2]}
        </Title>,
      );
    } else if (li) {
      if (para.length) flush();
      list.push(li[1]);
    } else if (!line.trim()) flush();
    else {
      if (list.length) flush();
      para.push(line.trim());
    }
  }
  flush();
  return <div>{blocks}</div>;
}
