// Global search (Ctrl-K / Cmd-K, or the header's search button): golden paths, environments (yours
// and your team's), catalog entities and the paths' docs, grouped, in one keyboard-driven list.
// Each group comes from the API the matching page uses, so it shows only what the reader may see.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Box, Group, Loader, Modal, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook, IconBooks, IconRoute, IconSearch, IconStack2 } from '@tabler/icons-react';
import { useLocation } from 'wouter';
import { api, call, type Environment, type GoldenPath, type CatalogEntity } from '../api/client.ts';
import { matches as pathMatches } from '../pages/Paths.tsx';
import { entityHref, meta } from '../pages/catalog-types.ts';
import { ShortcutButton } from './shortcut-button.tsx';
import { StatusBadge } from './badges.tsx';

interface Hit {
  id: string;
  group: 'Golden paths' | 'Environments' | 'Catalog' | 'Docs';
  title: string;
  detail: string;
  href: string;
  badge?: React.ReactNode;
}
const groups: Hit['group'][] = ['Golden paths', 'Environments', 'Catalog', 'Docs'];
const groupIcon = { 'Golden paths': IconRoute, Environments: IconStack2, Catalog: IconBooks, Docs: IconBook };

/** A path's docs as sections (heading and text), so a hit says where in the docs it is. */
function docSections(p: GoldenPath): { heading: string; text: string }[] {
  if (!p.docs) return [];
  const out: { heading: string; text: string }[] = [];
  let current = { heading: p.title, text: '' };
  for (const line of p.docs.split('\n')) {
    const h = /^#{1,4}\s+(.*)$/.exec(line);
    if (h) {
      if (current.text.trim()) out.push(current);
      current = { heading: h[1].trim(), text: '' };
    } else current.text += ` ${line}`;
  }
  if (current.text.trim()) out.push(current);
  return out;
}

/** Markdown as a one-line excerpt: no list marks, emphasis or code ticks. */
const plain = (md: string) => md.replace(/(^|\s)[-*]\s+/g, '$1').replace(/[*_`]+/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();

const words = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean);
const hasAll = (hay: string, q: string) => words(q).every((w) => hay.toLowerCase().includes(w));

/** Paths and environments are few: loaded once per opening, filtered here as one types. */
function useLocalSources(opened: boolean) {
  const [paths, setPaths] = useState<GoldenPath[]>([]);
  const [envs, setEnvs] = useState<Environment[]>([]);
  useEffect(() => {
    if (!opened) return;
    call(api.GET('/api/v1/paths')).then((r) => setPaths(r.paths)).catch(() => {});
    Promise.all([
      call(api.GET('/api/v1/environments', { params: { query: { mine: 'true' } } })).then((r) => r.environments).catch(() => [] as Environment[]),
      call(api.GET('/api/v1/environments')).then((r) => r.environments).catch(() => [] as Environment[]),
    ]).then(([mine, team]) => setEnvs([...new Map([...mine, ...team].map((e) => [e.id, e])).values()]));
  }, [opened]);
  return { paths, envs };
}

/** The catalog is large: the API searches and ranks it (debounced). */
function useCatalogHits(q: string) {
  const [debounced] = useDebouncedValue(q.trim(), 150);
  const [state, setState] = useState<{ q: string; items: CatalogEntity[] }>({ q: '', items: [] });
  useEffect(() => {
    if (debounced.length < 2) return;
    let live = true;
    call(api.GET('/api/v1/catalog/entities', { params: { query: { q: debounced, limit: 6, facets: 'false', fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.description'] } } }))
      .then((r) => live && setState({ q: debounced, items: r.items }))
      .catch(() => live && setState({ q: debounced, items: [] }));
    return () => {
      live = false;
    };
  }, [debounced]);
  const fresh = debounced.length >= 2 && state.q === debounced;
  return { items: fresh ? state.items : [], searching: debounced.length >= 2 && !fresh };
}

export function GlobalSearch() {
  const [opened, setOpened] = useState(false);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [, navigate] = useLocation();
  const open = useCallback(() => setOpened(true), []);
  const { paths, envs } = useLocalSources(opened);
  const catalog = useCatalogHits(q);
  const listRef = useRef<HTMLDivElement>(null);

  const hits = useMemo<Hit[]>(() => {
    const query = q.trim();
    if (!query) return [];
    const pathHits = paths.filter((p) => pathMatches(p, query)).slice(0, 5)
      .map((p): Hit => ({ id: `path-${p.name}`, group: 'Golden paths', title: p.title, detail: p.description, href: `/launch/${p.name}` }));
    const envHits = envs.filter((e) => e.status !== 'deleted' && hasAll(`${e.name} ${e.id} ${e.path} ${e.team} ${e.owner}`, query)).slice(0, 5)
      .map((e): Hit => ({ id: `env-${e.id}`, group: 'Environments', title: e.name, detail: `${e.path} · ${e.team}`, href: `/environments/${e.id}`, badge: <StatusBadge status={e.status} size="xs" /> }));
    const catalogHits = catalog.items.map((e): Hit => ({
      id: `cat-${e.kind}-${meta(e).namespace ?? 'default'}-${meta(e).name}`, group: 'Catalog', title: meta(e).title ?? meta(e).name,
      detail: meta(e).description ?? `${e.kind} ${meta(e).name}`, href: entityHref(e), badge: <Badge size="xs" variant="light" color="gray">{e.kind}</Badge>,
    }));
    const docHits = paths.flatMap((p) => docSections(p).filter((s) => hasAll(`${s.heading} ${s.text}`, query)).map((s, i): Hit => ({
      id: `doc-${p.name}-${i}`, group: 'Docs', title: `${p.title}: ${s.heading}`, detail: plain(s.text).slice(0, 140), href: `/launch/${p.name}`,
    }))).slice(0, 5);
    return [...pathHits, ...envHits, ...catalogHits, ...docHits];
  }, [q, paths, envs, catalog.items]);

  useEffect(() => setActive(0), [q]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const close = () => {
    setOpened(false);
    setQ('');
  };
  const go = (h: Hit | undefined) => {
    if (!h) return;
    close();
    navigate(h.href);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') go(hits[active]);
    else return;
    e.preventDefault();
  };

  return (
    <>
      {/* Named by what it shows ("Search Ctrl K"); on a phone, where only the icon shows, by a hidden "Search". */}
      <ShortcutButton icon={<IconSearch size={16} aria-hidden />} label="Search" hiddenLabel="Search" shortcut="K" onOpen={open} testId="search-button" />
      <Modal opened={opened} onClose={close} withCloseButton={false} size="lg" padding={0} yOffset="10vh" title={<span className="gp-sr-only">Search</span>}
        styles={{ header: { display: 'none' } }}>
        <TextInput
          data-autofocus
          size="lg"
          variant="unstyled"
          px="md"
          leftSection={catalog.searching ? <Loader size={16} /> : <IconSearch size={18} />}
          placeholder="Search paths, environments, the catalog and docs"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={onKey}
          role="combobox"
          aria-label="Search paths, environments, the catalog and docs"
          aria-expanded={hits.length > 0}
          aria-controls="gp-search-results"
          aria-autocomplete="list"
          aria-activedescendant={hits[active] ? `gp-hit-${active}` : undefined}
          style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
        />
        <Box ref={listRef} id="gp-search-results" role="listbox" aria-label="Results" mah="60vh" style={{ overflowY: 'auto' }} pb="xs" data-testid="search-results">
          {q.trim() && hits.length === 0 && !catalog.searching && (
            <Text size="sm" c="dimmed" p="md">
              Nothing matches “{q.trim()}”. Try a path’s purpose (“churn”, “website”), an environment’s name or a dataset.
            </Text>
          )}
          {!q.trim() && (
            <Text size="sm" c="dimmed" p="md">
              Type to search. ↑ ↓ to move, Enter to open, Esc to close.
            </Text>
          )}
          {groups.map((g) => {
            const inGroup = hits.map((h, i) => ({ h, i })).filter(({ h }) => h.group === g);
            if (inGroup.length === 0) return null;
            const Icon = groupIcon[g];
            return (
              <Box key={g} role="group" aria-labelledby={`gp-group-${g.replace(/\s/g, '')}`}>
                <Text id={`gp-group-${g.replace(/\s/g, '')}`} size="xs" fw={700} tt="uppercase" c="dimmed" px="md" pt="sm" pb={4}>
                  {g}
                </Text>
                {inGroup.map(({ h, i }) => (
                  <Box
                    key={h.id}
                    id={`gp-hit-${i}`}
                    data-index={i}
                    role="option"
                    aria-selected={i === active}
                    onMouseMove={() => setActive(i)}
                    onClick={() => go(h)}
                    px="md"
                    py={6}
                    className="gp-search-hit"
                    data-active={i === active || undefined}
                  >
                    <Group gap="sm" wrap="nowrap">
                      <Icon size={18} aria-hidden style={{ flexShrink: 0 }} />
                      <Box style={{ minWidth: 0, flex: 1 }}>
                        <Text size="sm" fw={600} truncate>
                          {h.title}
                        </Text>
                        <Text size="xs" c="dimmed" truncate>
                          {h.detail}
                        </Text>
                      </Box>
                      {h.badge}
                    </Group>
                  </Box>
                ))}
              </Box>
            );
          })}
        </Box>
      </Modal>
    </>
  );
}
