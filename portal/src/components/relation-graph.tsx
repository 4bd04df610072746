// An entity's relations as a small layered graph in plain SVG: what it uses or belongs to on the
// left, the entity in the middle, what uses it or belongs to it on the right. No graph library:
// one level of neighbours needs no general layout algorithm, and this keeps the chunk tiny.
import { Fragment, useState } from 'react';
import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useLocation } from 'wouter';
import type { CatalogRelation } from '../api/client.ts';
import { refHref, shortRef } from '../pages/catalog-types.ts';
import { lookOf } from './kind.tsx';

/** Relations that point "upstream": to what this entity needs, is owned by or is part of. */
const upstream = new Set(['ownedBy', 'partOf', 'dependsOn', 'consumesApi', 'apiProvidedBy', 'trainedOn', 'memberOf', 'childOf', 'instanceOf', 'launchedBy', 'subcomponentOf']);
const words: Record<string, string> = {
  ownedBy: 'owned by',
  ownerOf: 'owner of',
  partOf: 'part of',
  hasPart: 'has part',
  dependsOn: 'depends on',
  dependencyOf: 'dependency of',
  consumesApi: 'consumes API',
  apiConsumedBy: 'API consumed by',
  providesApi: 'provides API',
  apiProvidedBy: 'API provided by',
  trainedOn: 'trained on',
  trainingDataOf: 'training data of',
  memberOf: 'member of',
  hasMember: 'has member',
  childOf: 'child of',
  parentOf: 'parent of',
  instanceOf: 'instance of',
  hasInstance: 'has instance',
  launchedBy: 'launched by',
  launcherOf: 'launcher of',
};
export const relationWords = (t: string) => words[t] ?? t;

interface Node {
  ref: string;
  kind: string;
  title: string;
  exists: boolean;
  types: string[];
}

const NODE_H = 46;
const GAP = 12;
const MAX_PER_SIDE = 8;

function side(relations: CatalogRelation[], up: boolean): { nodes: Node[]; hidden: number } {
  const byRef = new Map<string, Node>();
  for (const r of relations) {
    if (upstream.has(r.type) !== up) continue;
    const n = byRef.get(r.targetRef);
    if (n) n.types.push(r.type);
    else byRef.set(r.targetRef, { ref: r.targetRef, kind: r.target.kind ?? r.targetRef.split(':')[0], title: r.target.title ?? r.target.name, exists: r.target.exists, types: [r.type] });
  }
  const all = [...byRef.values()].sort((a, b) => a.types[0].localeCompare(b.types[0]) || a.title.localeCompare(b.title));
  return { nodes: all.slice(0, MAX_PER_SIDE), hidden: Math.max(0, all.length - MAX_PER_SIDE) };
}

export function RelationGraph({ entity, relations }: { entity: { kind: string; title: string; ref: string }; relations: CatalogRelation[] }) {
  const [, navigate] = useLocation();
  const [hover, setHover] = useState<string | null>(null);
  // Drawn at the size it is shown (text stays at its real size): as wide as the card, at least 600.
  const { ref, width } = useElementSize();
  const W = Math.max(600, Math.round(width) || 900);
  const CW = Math.min(220, Math.round(W * 0.26));
  const NODE_W = Math.min(260, Math.round((W - CW) / 2 - 40));
  const chars = Math.floor((NODE_W - 24) / 7.4);
  const left = side(relations, true);
  const right = side(relations, false);
  const rows = Math.max(left.nodes.length + (left.hidden ? 1 : 0), right.nodes.length + (right.hidden ? 1 : 0), 1);
  const H = rows * (NODE_H + GAP) + GAP + 20;
  const cy = H / 2;
  const cx = W / 2;
  const colY = (n: number, i: number) => cy - (n * (NODE_H + GAP) - GAP) / 2 + i * (NODE_H + GAP);
  const centre = lookOf(entity.kind);

  const draw = (nodes: Node[], hidden: number, isLeft: boolean) => {
    const n = nodes.length + (hidden ? 1 : 0);
    const x = isLeft ? 8 : W - NODE_W - 8;
    return (
      <>
        {nodes.map((node, i) => {
          const y = colY(n, i);
          const look = lookOf(node.kind);
          const ax = isLeft ? x + NODE_W : x;
          const bx = isLeft ? cx - CW / 2 : cx + CW / 2;
          const mid = (ax + bx) / 2;
          const ny = y + NODE_H / 2;
          const active = hover === node.ref;
          const label = node.types.map(relationWords).join(', ');
          const go = () => node.exists && navigate(refHref(node.ref));
          return (
            <Fragment key={node.ref}>
              <path d={`M ${ax} ${ny} C ${mid} ${ny}, ${mid} ${cy}, ${bx} ${cy}`} fill="none" stroke={active ? `var(--mantine-color-${look.color}-6)` : 'var(--mantine-color-gray-4)'} strokeWidth={active ? 2 : 1.4} markerEnd={isLeft ? undefined : 'url(#gp-arrow)'} markerStart={isLeft ? 'url(#gp-arrow-start)' : undefined} />
              <g
                role={node.exists ? 'link' : undefined}
                tabIndex={node.exists ? 0 : undefined}
                aria-label={`${label} ${look.label || node.kind} ${node.title}`}
                onClick={go}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && go()}
                onMouseEnter={() => setHover(node.ref)}
                onMouseLeave={() => setHover(null)}
                onFocus={() => setHover(node.ref)}
                onBlur={() => setHover(null)}
                style={{ cursor: node.exists ? 'pointer' : 'default', outline: 'none' }}
                data-node={node.ref}
              >
                <rect x={x} y={y} width={NODE_W} height={NODE_H} rx={10} fill={active ? `var(--mantine-color-${look.color}-0)` : 'var(--mantine-color-body)'} stroke={active ? `var(--mantine-color-${look.color}-6)` : 'var(--mantine-color-gray-3)'} strokeDasharray={node.exists ? undefined : '4 3'} strokeWidth={active ? 1.8 : 1} />
                <rect x={x} y={y} width={5} height={NODE_H} rx={2} fill={`var(--mantine-color-${look.color}-6)`} />
                <text x={x + 16} y={y + 18} fontSize={10.5} fontWeight={600} fill={`var(--mantine-color-${look.color}-7)`} style={{ textTransform: 'uppercase', letterSpacing: 0.4 }}>
                  {look.label || node.kind}
                  <tspan fill="var(--mantine-color-dimmed)" fontWeight={500} style={{ textTransform: 'none' }}>
                    {' · '}
                    {clip(label, Math.max(8, chars - (look.label || node.kind).length - 3))}
                    {node.exists ? '' : ' (not in the catalog)'}
                  </tspan>
                </text>
                <text x={x + 16} y={y + 35} fontSize={13} fontWeight={500} fill="var(--mantine-color-text)">
                  {clip(node.title || shortRef(node.ref), chars)}
                </text>
              </g>
            </Fragment>
          );
        })}
        {hidden > 0 && (
          <text x={x + NODE_W / 2} y={colY(n, nodes.length) + NODE_H / 2 + 4} textAnchor="middle" fontSize={12} fill="var(--mantine-color-dimmed)">
            + {hidden} more (listed below)
          </text>
        )}
      </>
    );
  };

  if (!relations.length)
    return (
      <Text size="sm" c="dimmed">
        No relations: nothing owns, uses or contains this entity yet.
      </Text>
    );
  return (
    <Box ref={ref} style={{ overflowX: 'auto' }}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} style={{ display: 'block' }} role="group" aria-label={`Relations of ${entity.title}`} data-testid="relation-graph">
        <defs>
          <marker id="gp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--mantine-color-gray-5)" />
          </marker>
          <marker id="gp-arrow-start" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M 10 0 L 0 5 L 10 10 z" fill="var(--mantine-color-gray-5)" />
          </marker>
        </defs>
        {left.nodes.length > 0 && (
          <text x={8} y={14} fontSize={11} fontWeight={600} fill="var(--mantine-color-dimmed)">
            USES · BELONGS TO
          </text>
        )}
        {right.nodes.length > 0 && (
          <text x={W - 8} y={14} textAnchor="end" fontSize={11} fontWeight={600} fill="var(--mantine-color-dimmed)">
            USED BY · CONTAINS
          </text>
        )}
        {draw(left.nodes, left.hidden, true)}
        {draw(right.nodes, right.hidden, false)}
        <g data-node="self">
          <rect x={cx - CW / 2} y={cy - 30} width={CW} height={60} rx={12} fill={`var(--mantine-color-${centre.color}-6)`} />
          <text x={cx} y={cy - 7} textAnchor="middle" fontSize={10.5} fontWeight={600} fill="white" opacity={0.85} style={{ textTransform: 'uppercase', letterSpacing: 0.4 }}>
            {centre.label || entity.kind}
          </text>
          <text x={cx} y={cy + 14} textAnchor="middle" fontSize={14} fontWeight={650} fill="white">
            {clip(entity.title, Math.floor((CW - 20) / 8.4))}
          </text>
        </g>
      </svg>
    </Box>
  );
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
