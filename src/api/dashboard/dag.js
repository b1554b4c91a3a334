// A run's DAG as SVG: steps in columns by depth (the longest path from a root), edges as curves from
// each dependency to its dependant, each step a box coloured by its state, with its type, state and,
// for for-each steps, how many of its children have finished.

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 180;
const BOX_H = 64;
const GAP_X = 70;
const GAP_Y = 26;
const PAD = 16;

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** depth of each step: 0 for roots, else 1 + the deepest dependency. */
function depths(steps) {
  const depth = new Map();
  const visit = (id, seen) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = (steps[id]?.depends_on ?? []).filter((d) => d in steps);
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => visit(d, seen)));
    depth.set(id, value);
    return value;
  };
  for (const id of Object.keys(steps)) visit(id, new Set());
  return depth;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `definition`: step id → { type, depends_on, for_each } (from the workflow version the run is
 * pinned to); `run`: the run view (steps: id → { status, job_ids, ... }); `counts`: step id →
 * { done, total } of its jobs, for for-each steps. Returns an <svg> element.
 */
export function drawDag(definition, run, counts) {
  const ids = Object.keys({ ...definition, ...run.steps });
  const steps = Object.fromEntries(ids.map((id) => [id, definition[id] ?? { depends_on: [] }]));
  const depth = depths(steps);
  const columns = [];
  for (const id of ids) {
    const d = depth.get(id) ?? 0;
    (columns[d] ??= []).push(id);
  }
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = PAD * 2 + tallest * BOX_H + (tallest - 1) * GAP_Y;
  const width = PAD * 2 + columns.length * BOX_W + (columns.length - 1) * GAP_X;
  const place = new Map();
  columns.forEach((column, c) => {
    const used = column.length * BOX_H + (column.length - 1) * GAP_Y;
    const top = PAD + (height - PAD * 2 - used) / 2;
    column.forEach((id, r) => place.set(id, { x: PAD + c * (BOX_W + GAP_X), y: top + r * (BOX_H + GAP_Y) }));
  });

  const summary = ids.map((id) => `${id}: ${run.steps[id]?.status ?? 'PENDING'}`).join(', ');
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `Workflow graph. ${summary}`,
    class: 'dag',
  });
  const defs = el('defs');
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'dag-arrow' }));
  defs.append(marker);
  svg.append(defs);

  for (const id of ids) {
    const to = place.get(id);
    for (const dep of steps[id].depends_on ?? []) {
      const from = place.get(dep);
      if (from === undefined) continue;
      const x1 = from.x + BOX_W;
      const y1 = from.y + BOX_H / 2;
      const x2 = to.x - 2;
      const y2 = to.y + BOX_H / 2;
      const mid = (x1 + x2) / 2;
      const status = run.steps[dep]?.status ?? 'PENDING';
      svg.append(
        el('path', {
          d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`,
          class: `dag-edge ${status === 'SUCCEEDED' || status === 'SKIPPED' ? 'done' : ''}`,
          'marker-end': 'url(#arrow)',
        }),
      );
    }
  }

  for (const id of ids) {
    const { x, y } = place.get(id);
    const step = run.steps[id] ?? { status: 'PENDING', type: steps[id].type ?? 'job', job_ids: [] };
    const type = step.type ?? steps[id].type ?? 'job';
    const status = step.status ?? 'PENDING';
    const group = el('g', {
      class: `dag-node state-${status.toLowerCase()}`,
      'data-step': id,
      'data-status': status,
      transform: `translate(${x} ${y})`,
    });
    group.append(el('title', {}, `${id} (${type}): ${status}`));
    group.append(el('rect', { width: BOX_W, height: BOX_H, rx: 8, class: 'dag-box' }));
    group.append(el('rect', { width: 6, height: BOX_H, rx: 3, class: 'dag-stripe' }));
    group.append(el('text', { x: 16, y: 22, class: 'dag-id' }, truncate(id, 20)));
    const forEach = steps[id].for_each ?? null;
    const count = counts[id];
    const detail =
      forEach !== null && forEach !== undefined
        ? `for each · ${count === undefined ? (step.job_ids?.length ?? 0) : `${count.done}/${count.total}`}`
        : type;
    group.append(el('text', { x: 16, y: 40, class: 'dag-type' }, detail));
    group.append(el('text', { x: 16, y: 56, class: 'dag-status' }, status.replace('_', ' ').toLowerCase()));
    svg.append(group);
  }
  return svg;
}
