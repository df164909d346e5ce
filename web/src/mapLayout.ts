import type { Procedure } from './model';

/** One state's box: its wrapped label and the actions that keep it in that state. */
export interface Box {
  /** The state, or `closed#<source>` for a copy of the closing state. */
  id: string;
  state: string;
  x: number;
  y: number;
  w: number;
  h: number;
  title: string[];
  initial: boolean;
  filingStarts: string[];
  keeps: string[];
}
/** One arrow: all the actions that lead from one state to another, each with the clocks it starts and stops. */
export interface Edge {
  from: string;
  to: string;
  path: string;
  back: boolean;
  label: { x: number; y: number; w: number; h: number; lines: { action: string; starts: string[]; stops: string[] }[] };
}
export interface MapLayout {
  width: number;
  height: number;
  boxes: Box[];
  edges: Edge[];
  /** The y of the row of states no arrow reaches or leaves (none: every state is on an arrow). */
  looseY: number | null;
}

const BOX_W = 210;
const GAP_X = 56;
const DUMMY_W = 24;
const PAD = 10;
const TITLE_LINE = 19;
const LINE = 16;
const MARGIN = 16;
const LABEL_LINE = 16;

// Circled numbers, ▶ and ■ are as wide as a Chinese character in Noto Sans SC.
const isWide = (ch: string) => ch.codePointAt(0)! >= 0x2460;
/** Rough text width for layout (no DOM measuring: the layout is computed before render). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? size : size * 0.6;
  return w;
}

/** Breaks a label into lines: Chinese at any character, other text at spaces. */
export function wrap(s: string, size: number, max: number): string[] {
  const tokens = s.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const tok of tokens) {
    if (line && textWidth((line + tok).trimEnd(), size) > max) {
      lines.push(line);
      line = tok.trimStart();
    } else line += tok;
  }
  if (line.trim()) lines.push(line);
  return lines;
}

export const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
/** A clock's mark in the diagram: its circled number in the clock table. */
export const clockMark = (def: Procedure, key: string) => {
  const i = def.clocks.findIndex((c) => c.key === key);
  return i >= 0 && i < CIRCLED.length ? [...CIRCLED][i] : key;
};
/** The marks of some clocks in the order of the clock table. */
export const clockMarks = (def: Procedure, keys: string[]) =>
  [...keys].sort((a, b) => def.clocks.findIndex((c) => c.key === a) - def.clocks.findIndex((c) => c.key === b)).map((k) => clockMark(def, k)).join('');
export const labelText = (def: Procedure, l: { action: string; starts: string[]; stops: string[] }) =>
  `${l.action}${l.starts.length ? ` ▶${clockMarks(def, l.starts)}` : ''}${l.stops.length ? ` ■${clockMarks(def, l.stops)}` : ''}`;

interface Item {
  id: string;
  w: number;
  h: number;
  x: number;
  dummy: boolean;
}

/**
 * Layers by a breadth-first walk from the initial state (then from any state no walk reached that has arrows of its
 * own), each state pushed below every state an arrow comes from so forward arrows all point down; arrows back up (a
 * cycle) are drawn on the right. Arrows spanning several layers pass through narrow placeholders, so they never cross
 * a box. States without any arrow (the kernel's suspension, every state of a version declaring no transitions) go in
 * rows at the bottom.
 */
export function layoutMap(def: Procedure, label: (s: { label: string; labelZh: string }) => string): MapLayout {
  const byState = new Map(def.states.map((s) => [s.state, s]));
  const grouped = new Map<string, Edge['label']['lines']>();
  for (const s of def.states)
    for (const tr of s.transitions ?? [])
      for (const to of tr.to) {
        if (to === s.state || !byState.has(to)) continue;
        const k = `${s.state}\u0000${to}`;
        grouped.set(k, [...(grouped.get(k) ?? []), { action: tr.action, starts: tr.starts ?? [], stops: tr.stops ?? [] }]);
      }
  const pairs = [...grouped.entries()].map(([k, lines]) => {
    const [from, to] = k.split('\u0000');
    return { from, to, lines };
  });
  const out = (id: string) => pairs.filter((p) => p.from === id).map((p) => p.to);
  const onArrow = new Set(pairs.flatMap((p) => [p.from, p.to]));

  // Breadth-first discovery order.
  const order: string[] = [];
  const seen = new Set<string>();
  const walk = (root: string) => {
    if (seen.has(root)) return;
    const queue = [root];
    seen.add(root);
    while (queue.length) {
      const id = queue.shift()!;
      order.push(id);
      for (const n of out(id)) if (!seen.has(n)) (seen.add(n), queue.push(n));
    }
  };
  const initial = def.states.find((s) => s.initial)?.state;
  if (initial && onArrow.has(initial)) walk(initial);
  for (const s of def.states) if (onArrow.has(s.state) && !pairs.some((p) => p.to === s.state)) walk(s.state);
  for (const s of def.states) if (onArrow.has(s.state)) walk(s.state);

  // Arrows back to a state on the current depth-first path close a cycle: drawn back up, left out of the layering.
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const dfs = (id: string) => {
    state.set(id, 'open');
    for (const n of out(id)) {
      if (state.get(n) === 'open') back.add(`${id}\u0000${n}`);
      else if (!state.has(n)) dfs(n);
    }
    state.set(id, 'done');
  };
  for (const id of order) if (!state.has(id)) dfs(id);
  // `node`: the box an arrow ends at (a copy of the closing state, see below, or the state's own box).
  const forward = pairs.filter((p) => !back.has(`${p.from}\u0000${p.to}`)).map((p) => ({ ...p, node: p.to }));

  const layer = new Map<string, number>(order.map((id) => [id, 0]));
  for (let changed = true, guard = 0; changed && guard < order.length + 1; guard++) {
    changed = false;
    for (const p of forward)
      if (layer.get(p.to)! < layer.get(p.from)! + 1) {
        layer.set(p.to, layer.get(p.from)! + 1);
        changed = true;
      }
  }

  // As BPMN draws several end events: an arrow into the closing state from more than one layer above ends at a copy of
  // it just below its source, so the long arrows into the last layer do not cross the whole drawing.
  const copies: string[] = [];
  for (const p of forward)
    if (p.to === 'closed' && out(p.to).length === 0 && layer.get(p.to)! - layer.get(p.from)! > 1) {
      p.node = `${p.to}#${p.from}`;
      layer.set(p.node, layer.get(p.from)! + 1);
      copies.push(p.node);
    }
  if (copies.length && !forward.some((p) => p.node === 'closed')) order.splice(order.indexOf('closed'), 1);
  order.push(...copies);

  const boxOf = (id: string): Box => {
    const s = byState.get(id)!;
    const leaving = new Set((s.transitions ?? []).filter((tr) => tr.to.some((to) => to !== id)).map((tr) => tr.action));
    const keeps = s.actions.filter((a) => !leaving.has(a));
    const title = wrap(label(s), 14, BOX_W - 2 * PAD);
    const filingStarts = s.initial ? (s.startsOnFiling ?? []) : [];
    const h = PAD + title.length * TITLE_LINE + (s.initial ? (filingStarts.length ? 2 : 1) * LINE + 2 : 0) + (keeps.length ? 8 + keeps.length * LINE : 0) + PAD;
    return { id, state: id, x: 0, y: 0, w: BOX_W, h, title, initial: s.initial, filingStarts, keeps };
  };
  const boxes = new Map<string, Box>();
  const layers: Item[][] = [];
  const nLayers = order.length ? Math.max(...order.map((id) => layer.get(id)!)) + 1 : 0;
  for (let i = 0; i < nLayers; i++) layers.push([]);
  for (const id of order) {
    const [st, copyFor] = id.split('#');
    const b = copyFor ? { ...boxOf(st), id, keeps: [] } : boxOf(id);
    if (copyFor) b.h = 2 * PAD + b.title.length * TITLE_LINE;
    boxes.set(id, b);
    layers[layer.get(id)!].push({ id, w: b.w, h: b.h, x: 0, dummy: false });
  }
  // Placeholders for the layers a long arrow passes.
  const chains = new Map<string, string[]>();
  for (const p of forward) {
    const ids: string[] = [];
    for (let l = layer.get(p.from)! + 1; l < layer.get(p.node)!; l++) {
      const id = `dummy:${p.from}:${p.to}:${l}`;
      layers[l].push({ id, w: DUMMY_W, h: 0, x: 0, dummy: true });
      ids.push(id);
    }
    chains.set(`${p.from}\u0000${p.to}`, ids);
  }
  // One pass of barycentres: each layer ordered by where the arrows into it come from.
  const preds = new Map<string, string[]>();
  for (const p of forward) {
    const chain = [p.from, ...chains.get(`${p.from}\u0000${p.to}`)!, p.node];
    for (let i = 1; i < chain.length; i++) preds.set(chain[i], [...(preds.get(chain[i]) ?? []), chain[i - 1]]);
  }
  const rowWidth = (row: Item[]) => row.reduce((w, it) => w + it.w, 0) + GAP_X * Math.max(0, row.length - 1);
  const maxWidth = Math.max(BOX_W, ...layers.map(rowWidth));
  const place = (row: Item[]) => {
    let x = MARGIN + (maxWidth - rowWidth(row)) / 2;
    for (const it of row) {
      it.x = x;
      x += it.w + GAP_X;
    }
  };
  const centre = new Map<string, number>();
  layers.forEach((row, l) => {
    if (l > 0) {
      const bary = (it: Item) => {
        const ps = preds.get(it.id) ?? [];
        return ps.length ? ps.reduce((s, p) => s + centre.get(p)!, 0) / ps.length : Number.MAX_SAFE_INTEGER;
      };
      row.sort((a, b) => bary(a) - bary(b));
    }
    place(row);
    for (const it of row) centre.set(it.id, it.x + it.w / 2);
  });

  // Ports: the arrows leaving a box spread along its bottom, those arriving along its top, in the order of the far end.
  const port = (id: string, ends: string[], end: string, w: number) => {
    const sorted = [...ends].sort((a, b) => centre.get(a)! - centre.get(b)!);
    const i = sorted.indexOf(end);
    return centre.get(id)! + (sorted.length > 1 ? (i / (sorted.length - 1) - 0.5) * w * 0.6 : 0);
  };
  type Fwd = (typeof forward)[number];
  const firstHop = (p: Fwd) => chains.get(`${p.from}\u0000${p.to}`)![0] ?? p.node;
  const lastHop = (p: Fwd) => chains.get(`${p.from}\u0000${p.to}`)!.at(-1) ?? p.from;
  const outPort = (p: Fwd) => port(p.from, forward.filter((q) => q.from === p.from).map(firstHop), firstHop(p), BOX_W);
  const inPort = (p: Fwd) => port(p.node, forward.filter((q) => q.node === p.node).map(lastHop), lastHop(p), BOX_W);

  // Rows top to bottom; each gap tall enough for its arrows' labels, each label on its arrow where it overlaps none.
  const rowTop: number[] = [];
  const rowH = layers.map((row) => Math.max(0, ...row.map((it) => it.h)));
  const labels = new Map<string, Edge['label']>();
  const allLabels: Edge['label'][] = [];
  let y = MARGIN;
  layers.forEach((row, l) => {
    rowTop[l] = y;
    y += rowH[l];
    if (l === layers.length - 1) return;
    const starting = forward.filter((p) => layer.get(p.from) === l);
    const sized = starting.map((p) => {
      const lines = grouped.get(`${p.from}\u0000${p.to}`)!;
      const w = Math.max(...lines.map((ln) => textWidth(labelText(def, ln), 12))) + 8;
      return { p, lines, w, h: lines.length * LABEL_LINE + 4, x0: outPort(p), x1: (() => { const hop = firstHop(p); return hop.startsWith('dummy:') ? centre.get(hop)! : inPort(p); })() };
    });
    let gap = 48 + Math.max(0, ...sized.map((s) => s.h));
    for (let attempt = 0; attempt < 4; attempt++) {
      const placed: Edge['label'][] = [];
      let needed = 0;
      for (const s of sized) {
        // Prefer the middle of the arrow, then a little lower or higher, until the label overlaps no other.
        const mid = Math.max(6, Math.round((gap - s.h) / 2));
        const offsets = [mid];
        for (let d = 6; d < gap + 400; d += 6) offsets.push(mid + d, ...(mid - d >= 6 ? [mid - d] : []));
        let chosen: Edge['label'] | null = null;
        for (const off of offsets) {
          const f = Math.min(1, (off + s.h / 2) / gap);
          const cx = s.x0 + (s.x1 - s.x0) * f;
          const cand = { x: cx - s.w / 2, y: y + off, w: s.w, h: s.h, lines: s.lines };
          if (!placed.some((o) => cand.x < o.x + o.w + 4 && o.x < cand.x + cand.w + 4 && cand.y < o.y + o.h + 2 && o.y < cand.y + cand.h + 2)) {
            chosen = cand;
            break;
          }
        }
        placed.push(chosen!);
        allLabels.push(chosen!);
        labels.set(`${s.p.from}\u0000${s.p.to}`, chosen!);
        needed = Math.max(needed, chosen!.y - y + chosen!.h + 14);
      }
      if (needed <= gap) break;
      gap = needed;
    }
    y += gap;
  });
  layers.forEach((row, l) => {
    for (const it of row) if (!it.dummy) boxes.get(it.id)!.x = it.x, boxes.get(it.id)!.y = rowTop[l];
  });

  const edges: Edge[] = [];
  for (const p of forward) {
    const from = boxes.get(p.from)!;
    const to = boxes.get(p.node)!;
    const pts: [number, number][] = [[outPort(p), from.y + from.h]];
    for (const d of chains.get(`${p.from}\u0000${p.to}`)!) {
      const l = Number(d.split(':').at(-1));
      pts.push([centre.get(d)!, rowTop[l]], [centre.get(d)!, rowTop[l] + rowH[l]]);
    }
    pts.push([inPort(p), to.y]);
    edges.push({ from: p.from, to: p.to, back: false, path: `M${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' L')}`, label: labels.get(`${p.from}\u0000${p.to}`)! });
  }
  let width = MARGIN * 2 + maxWidth;
  let lane = 0;
  for (const p of pairs.filter((q) => back.has(`${q.from}\u0000${q.to}`))) {
    const from = boxes.get(p.from)!;
    const to = boxes.get(p.to)!;
    const sx = from.x + from.w;
    const sy = from.y + from.h / 2;
    const tx = to.x + to.w;
    const ty = to.y + to.h / 2 + 8;
    const bulge = Math.max(sx, tx) + 40 + lane * 24;
    lane++;
    const lines = grouped.get(`${p.from}\u0000${p.to}`)!;
    const w = Math.max(...lines.map((ln) => textWidth(labelText(def, ln), 12))) + 8;
    const h = lines.length * LABEL_LINE + 4;
    // On the arrow's bend, moved up or down until it overlaps no other label and no box.
    const taken = [...allLabels, ...boxes.values()];
    const mid = (sy + ty) / 2 - h / 2;
    let label = { x: bulge - 10, y: mid, w, h, lines };
    for (let d = 0; d < 2000; d += 6) {
      const cands = [mid + d, mid - d].map((cy) => ({ ...label, y: cy })).filter((c) => c.y >= MARGIN);
      const free = cands.find((c) => !taken.some((o) => c.x < o.x + o.w + 4 && o.x < c.x + c.w + 4 && c.y < o.y + o.h + 2 && o.y < c.y + c.h + 2));
      if (free) {
        label = free;
        break;
      }
    }
    allLabels.push(label);
    edges.push({ from: p.from, to: p.to, back: true, path: `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx},${ty}`, label });
    width = Math.max(width, bulge + w + MARGIN);
  }

  // States on no arrow: rows at the bottom.
  const loose = def.states.filter((s) => !onArrow.has(s.state)).map((s) => boxOf(s.state));
  let looseY: number | null = null;
  if (loose.length) {
    looseY = layers.length ? y + 8 : MARGIN;
    const perRow = Math.max(3, Math.floor((maxWidth + GAP_X) / (BOX_W + GAP_X)));
    let ry = looseY + (layers.length ? 28 : 0);
    for (let i = 0; i < loose.length; i += perRow) {
      const row = loose.slice(i, i + perRow);
      const rw = row.length * BOX_W + (row.length - 1) * GAP_X;
      const fullW = Math.max(maxWidth, Math.min(loose.length, perRow) * BOX_W + (Math.min(loose.length, perRow) - 1) * GAP_X);
      row.forEach((b, j) => {
        b.x = MARGIN + (fullW - rw) / 2 + j * (BOX_W + GAP_X);
        b.y = ry;
        boxes.set(b.state, b);
      });
      width = Math.max(width, MARGIN * 2 + fullW);
      ry += Math.max(...row.map((b) => b.h)) + 24;
    }
    y = ry - 24;
  }
  // Centre the arrows' rows when the loose rows are wider.
  const shift = (width - MARGIN * 2 - maxWidth) / 2;
  if (shift > 0 && loose.length) {
    for (const b of boxes.values()) if (onArrow.has(b.state)) b.x += shift;
    for (const e of edges) {
      e.path = e.path.replace(/(-?[\d.]+),(-?[\d.]+)/g, (_m, a: string, b: string) => `${(Number(a) + shift).toFixed(1)},${b}`);
      e.label.x += shift;
    }
  }
  // Labels of arrows leaving a box on the left edge can start left of the drawing: move everything right.
  const minX = Math.min(MARGIN, ...edges.map((e) => e.label.x));
  if (minX < MARGIN) {
    const dx = MARGIN - minX;
    for (const b of boxes.values()) b.x += dx;
    for (const e of edges) {
      e.path = e.path.replace(/(-?[\d.]+),(-?[\d.]+)/g, (_m, a: string, b: string) => `${(Number(a) + dx).toFixed(1)},${b}`);
      e.label.x += dx;
    }
    width += dx;
  }
  width = Math.max(width, ...edges.map((e) => e.label.x + e.label.w + MARGIN));
  return { width, height: Math.max(y, ...edges.map((e) => e.label.y + e.label.h)) + MARGIN, boxes: [...def.states.map((s) => boxes.get(s.state)!).filter(Boolean), ...copies.map((c) => boxes.get(c)!)], edges, looseY };
}
