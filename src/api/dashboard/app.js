// The Coretex dashboard: hash routes, one render function per page, every datum from the REST API
// (api.js) with the user's key; lists follow the live event stream and re-read themselves with
// `min_position`, so what the stream announced is in the answer.
import { ApiError, followEvents, get, getKey, onUnauthorized, post, setKey } from './api.js';
import { drawDag } from './dag.js';

const JOB_STATES = [
  'PENDING',
  'APPROVAL_REQUIRED',
  'SCHEDULED',
  'DISPATCHED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'DENIED',
];
const TERMINAL_JOB = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED']);
const RUN_STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const ENDED_RUN = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

// ---------------------------------------------------------------------------------------------
// DOM helpers

/** h('tag.class', {attr, on: {click}}, ...children): children are nodes, strings, arrays or null. */
function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag);
  if (classes.length > 0) node.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (key === 'class') node.className = [node.className, value].filter(Boolean).join(' ');
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

const main = () => document.getElementById('main');

function badge(state) {
  const text = String(state ?? '—');
  return h('span.badge', { class: `state-${text.toLowerCase()}` }, text.replaceAll('_', ' '));
}

function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, ago(date));
}

function ago(date) {
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  if (seconds < 0) return `in ${duration(-seconds)}`;
  if (seconds < 5) return 'just now';
  return `${duration(seconds)} ago`;
}

function duration(seconds) {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor((seconds % 86400) / 3600)}h`;
}

function json(value) {
  return h('pre.json', { tabindex: 0 }, JSON.stringify(value, null, 2) ?? 'null');
}

function short(id) {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

function jobLink(tenant, id) {
  return h('a.mono', { href: `#/jobs/${enc(tenant)}/${enc(id)}`, title: id }, short(id));
}

function runLink(tenant, id) {
  return h('a.mono', { href: `#/runs/${enc(tenant)}/${enc(id)}`, title: id }, short(id));
}

const enc = encodeURIComponent;

function fields(pairs) {
  return h(
    'dl.fields',
    {},
    pairs.filter(Boolean).map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value ?? '—'))),
  );
}

function table(caption, headers, rows, empty) {
  return h(
    'table',
    {},
    h('caption.visually-hidden', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((name) => h('th', { scope: 'col' }, name)),
      ),
    ),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td.empty', { colspan: headers.length }, empty)) : rows),
  );
}

function pageHead(title, subtitle, ...actions) {
  return h(
    'div.page-head',
    {},
    h('div', {}, h('h1', {}, title), subtitle === null ? null : h('p.subtitle', {}, subtitle)),
    h('div.row-actions', {}, actions),
  );
}

function alertBox() {
  return h('div.alert', { role: 'alert' });
}

function showError(box, error) {
  box.className = 'alert error';
  const problem = error instanceof ApiError ? error.problem : null;
  box.textContent =
    problem === null || problem === undefined
      ? String(error?.message ?? error)
      : `${problem.title ?? 'Error'}${problem.detail ? `: ${problem.detail}` : ''}${problem.code ? ` (${problem.code})` : ''}`;
}

function showMessage(box, kind, ...content) {
  box.className = `alert ${kind}`;
  box.replaceChildren();
  append(box, content);
}

function filterForm(label, controls, onSubmit) {
  const form = h(
    'form.panel.filters',
    {
      'aria-label': label,
      on: {
        submit: (event) => {
          event.preventDefault();
          onSubmit(Object.fromEntries(new FormData(form)));
        },
      },
    },
    controls,
    h('button.button', { type: 'submit' }, 'Apply'),
  );
  return form;
}

function selectField(id, label, name, options, value) {
  return h(
    'div.field',
    {},
    h('label', { for: id }, label),
    h(
      'select',
      { id, name },
      h('option', { value: '' }, 'Any'),
      options.map((option) => h('option', { value: option, selected: option === value }, option.replaceAll('_', ' '))),
    ),
  );
}

function inputField(id, label, name, value, placeholder = '') {
  return h(
    'div.field',
    {},
    h('label', { for: id }, label),
    h('input', { id, name, value: value ?? '', placeholder, autocomplete: 'off' }),
  );
}

// ---------------------------------------------------------------------------------------------
// Live state: one event stream per page, closed when the page changes

let pageAbort = new AbortController();
const liveBadge = () => document.getElementById('live');

function setLive(state) {
  const badgeNode = liveBadge();
  badgeNode.classList.toggle('on', state === 'live');
  badgeNode.textContent = state === 'live' ? 'Live' : state === 'reconnecting' ? 'Reconnecting…' : 'Offline';
}

function follow(filters, onEvent) {
  void followEvents(filters, { onEvent, onState: setLive, signal: pageAbort.signal });
}

/** Calls `fn` at most once per `ms`, the last call winning (trailing edge). */
function debounce(fn, ms) {
  let timer = null;
  return () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

function every(ms, fn) {
  const timer = setInterval(fn, ms);
  pageAbort.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/** Reads a list, retrying while its read model is behind `min_position` (503). */
async function readList(path, query) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await get(path, query, pageAbort.signal);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 503 || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/** Keeps a cursor stack for next / previous pages of a list. */
function pager(state, next, reload) {
  const position = state.cursors.length + 1;
  return h(
    'div.pager',
    {},
    h('span', {}, `Page ${position}`),
    h(
      'div',
      {},
      h(
        'button.button.secondary.small',
        {
          type: 'button',
          disabled: state.cursors.length === 0,
          on: {
            click: () => {
              state.cursors.pop();
              reload();
            },
          },
        },
        'Previous page',
      ),
      h(
        'button.button.secondary.small',
        {
          type: 'button',
          disabled: next === null || next === undefined,
          on: {
            click: () => {
              state.cursors.push(next);
              reload();
            },
          },
        },
        'Next page',
      ),
    ),
  );
}

function query() {
  const hash = location.hash.slice(1);
  const at = hash.indexOf('?');
  return Object.fromEntries(new URLSearchParams(at === -1 ? '' : hash.slice(at + 1)));
}

function setQuery(path, values) {
  const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined));
  const text = params.toString();
  location.hash = text === '' ? path : `${path}?${text}`;
}

// ---------------------------------------------------------------------------------------------
// Pages

function loginPage(message) {
  const box = alertBox();
  if (message) showMessage(box, 'info', message);
  const input = h('input', {
    id: 'api-key',
    name: 'key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'api-key-hint',
    value: getKey(),
  });
  const form = h(
    'form',
    {
      on: {
        submit: async (event) => {
          event.preventDefault();
          const key = input.value.trim();
          const previous = getKey();
          setKey(key);
          try {
            await get('/api/v1/status');
            const back = sessionStorage.getItem('coretex.returnTo');
            sessionStorage.removeItem('coretex.returnTo');
            loginMessage = '';
            location.hash = back !== null && back !== '' && !back.startsWith('#/login') ? back : '#/jobs';
          } catch (error) {
            setKey(previous);
            showError(box, error);
            input.focus();
          }
        },
      },
    },
    h('div.field', {}, h('label', { for: 'api-key' }, 'API key'), input),
    h(
      'p.hint',
      { id: 'api-key-hint' },
      'Kept in this tab only (sessionStorage) and sent as a Bearer header with each call. Leave empty if this API runs open on loopback.',
    ),
    h('div', {}, h('button.button', { type: 'submit' }, 'Use this key')),
  );
  main().replaceChildren(
    h(
      'section.login.panel.pad',
      { 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, 'Sign in with an API key'),
      h('p.subtitle', {}, 'The dashboard reads and acts through the Coretex API with your key’s role.'),
      box,
      form,
    ),
  );
  input.focus();
}

const jobsState = { cursors: [] };

function jobsPage() {
  const q = query();
  const box = alertBox();
  const region = h('div.panel', { 'aria-live': 'polite', 'aria-busy': 'true' });
  const form = filterForm(
    'Filter jobs',
    [
      selectField('filter-state', 'State', 'state', JOB_STATES, q.state),
      inputField('filter-topic', 'Topic', 'topic', q.topic, 'e.g. job.default'),
    ],
    (values) => {
      jobsState.cursors = [];
      setQuery('#/jobs', values);
    },
  );
  main().replaceChildren(pageHead('Jobs', 'Newest first; updates live as events arrive.'), form, box, region);
  let minPosition;
  const load = async () => {
    try {
      const answer = await readList('/api/v1/jobs', {
        state: q.state,
        topic: q.topic,
        limit: 25,
        cursor: jobsState.cursors.at(-1),
        min_position: minPosition,
      });
      box.className = 'alert';
      box.textContent = '';
      const rows = answer.items.map((job) =>
        h(
          'tr',
          { 'data-job-id': job.job_id },
          h('td', {}, jobLink(job.tenant, job.job_id)),
          h('td', {}, job.topic),
          h('td', { 'data-field': 'state' }, badge(job.state)),
          h('td', {}, `${job.attempt}${job.max_attempts === null ? '' : ` / ${job.max_attempts}`}`),
          h('td.mono', {}, job.worker_id ?? '—'),
          h('td', {}, job.run_id === null ? '—' : runLink(job.tenant, job.run_id)),
          h('td', {}, time(job.created_at)),
          h('td', {}, time(job.updated_at)),
        ),
      );
      region.replaceChildren(
        table(
          'Jobs',
          ['Job', 'Topic', 'State', 'Attempt', 'Worker', 'Run', 'Created', 'Updated'],
          rows,
          'No jobs match.',
        ),
        pager(jobsState, answer.next_cursor, load),
      );
      region.setAttribute('aria-busy', 'false');
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  const reload = debounce(load, 200);
  follow({ stream: 'job' }, (event) => {
    minPosition = `job:${event.position}`;
    reload();
  });
  void load();
}

async function jobPage(tenant, id) {
  const box = alertBox();
  const head = h('div');
  const details = h('section.panel.pad', { 'aria-labelledby': 'job-fields' });
  const outcome = h('section');
  const timeline = h('section.panel', { 'aria-labelledby': 'job-timeline', 'aria-live': 'polite' });
  main().replaceChildren(head, box, details, outcome, h('h2', { id: 'job-timeline' }, 'Event timeline'), timeline);
  const load = async () => {
    try {
      const [job, events] = await Promise.all([
        get(`/api/v1/jobs/${enc(id)}`, { tenant }, pageAbort.signal),
        get(`/api/v1/jobs/${enc(id)}/events`, { tenant, limit: 1000 }, pageAbort.signal),
      ]);
      const cancel =
        TERMINAL_JOB.has(job.state) || job.state === undefined
          ? null
          : h(
              'button.button.danger',
              {
                type: 'button',
                on: {
                  click: async () => {
                    try {
                      await post(`/api/v1/jobs/${enc(id)}/cancel`, {}, { tenant });
                      void load();
                    } catch (error) {
                      showError(box, error);
                    }
                  },
                },
              },
              'Cancel job',
            );
      head.replaceChildren(pageHead(h('span', {}, 'Job ', h('span.mono', {}, id)), null, badge(job.state), cancel));
      details.replaceChildren(
        h('h2.visually-hidden', { id: 'job-fields' }, 'Fields'),
        fields([
          ['State', badge(job.state)],
          ['Topic', job.topic],
          ['Tenant', job.tenant],
          ['Priority', job.priority],
          ['Attempt', `${job.attempt}${job.max_attempts === null ? '' : ` of ${job.max_attempts}`}`],
          ['Worker', job.worker_id === null ? '—' : h('span.mono', {}, job.worker_id)],
          ['Created', time(job.created_at)],
          ['Updated', time(job.updated_at)],
          ['Execution', job.execution_ms === null ? '—' : `${job.execution_ms} ms`],
          ['Team', job.team],
          ['Trace id', h('span.mono', {}, job.trace_id)],
          job.run_id === null
            ? null
            : ['Workflow run', h('span', {}, runLink(job.tenant, job.run_id), ` · ${job.step_id ?? ''}`)],
          job.retry_of === null ? null : ['Retry of', jobLink(job.tenant, job.retry_of)],
          job.safety === null
            ? null
            : ['Safety', `${job.safety.decision}${job.safety.reason ? ` — ${job.safety.reason}` : ''}`],
        ]),
      );
      outcome.replaceChildren(
        h(
          'div.grid-2',
          {},
          h('div', {}, h('h2', {}, 'Payload'), json(job.payload)),
          job.error !== null && job.error !== undefined
            ? h(
                'div',
                {},
                h('h2', {}, 'Error'),
                h('div.alert.error', {}, h('strong', {}, job.error.code), ': ', job.error.message),
              )
            : h(
                'div',
                {},
                h('h2', {}, 'Result'),
                job.result === null ? h('p.hint', {}, 'No result yet.') : json(job.result),
              ),
        ),
      );
      timeline.replaceChildren(
        h(
          'ol.timeline',
          { 'aria-label': 'Events, oldest first' },
          events.items.map((event) => {
            const after = event.data?.status_after;
            return h(
              'li',
              { class: after ? `state-${String(after).toLowerCase()}` : '' },
              h(
                'div.tl-head',
                {},
                h('span.tl-type', {}, event.type),
                after ? badge(after) : null,
                h('span.tl-meta', {}, time(event.time), ` · ${event.actor} · #${event.position}`),
              ),
              h('details', {}, h('summary', {}, 'Event data'), json(event.data)),
            );
          }),
        ),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  follow({ stream: 'job', job_id: id }, debounce(load, 150));
  await load();
}

const runsState = { cursors: [] };

function runsPage() {
  const q = query();
  const box = alertBox();
  const region = h('div.panel', { 'aria-live': 'polite' });
  const form = filterForm(
    'Filter runs',
    [
      selectField('filter-status', 'Status', 'status', RUN_STATES, q.status),
      inputField('filter-workflow', 'Workflow', 'workflow_id', q.workflow_id, 'workflow id'),
    ],
    (values) => {
      runsState.cursors = [];
      setQuery('#/runs', values);
    },
  );
  main().replaceChildren(pageHead('Workflow runs', 'Newest first; updates live.'), form, box, region);
  let minPosition;
  const load = async () => {
    try {
      const answer = await readList('/api/v1/workflow-runs', {
        status: q.status,
        workflow_id: q.workflow_id,
        limit: 25,
        cursor: runsState.cursors.at(-1),
        min_position: minPosition,
      });
      box.className = 'alert';
      box.textContent = '';
      const rows = answer.items.map((run) => {
        const counts = {};
        for (const status of Object.values(run.steps)) counts[status] = (counts[status] ?? 0) + 1;
        return h(
          'tr',
          { 'data-run-id': run.run_id },
          h('td', {}, runLink(run.tenant, run.run_id)),
          h('td', {}, `${run.workflow_id} v${run.workflow_version}`),
          h('td', {}, badge(run.status)),
          h(
            'td',
            {},
            Object.entries(counts).map(([status, n]) => [badge(`${status}`), ` ${n} `]),
          ),
          h('td', {}, time(run.created_at)),
          h('td', {}, time(run.updated_at)),
        );
      });
      region.replaceChildren(
        table('Workflow runs', ['Run', 'Workflow', 'Status', 'Steps', 'Started', 'Updated'], rows, 'No runs match.'),
        pager(runsState, answer.next_cursor, load),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  const reload = debounce(load, 250);
  follow({ stream: 'run' }, (event) => {
    minPosition = `run:${event.position}`;
    reload();
  });
  void load();
}

async function runPage(tenant, id) {
  const box = alertBox();
  const head = h('div');
  const graph = h('section.panel', { 'aria-labelledby': 'run-graph' });
  const approvals = h('div');
  const stepsRegion = h('section.panel', { 'aria-labelledby': 'run-steps' });
  const info = h('section.panel.pad');
  main().replaceChildren(
    head,
    box,
    approvals,
    h('h2', { id: 'run-graph' }, 'Graph'),
    graph,
    h('h2', { id: 'run-steps' }, 'Steps'),
    stepsRegion,
    h('h2', {}, 'Run'),
    info,
  );
  let definition = null;
  let status = null;
  const act = async (step, approved) => {
    try {
      const answer = await post(
        `/api/v1/workflow-runs/${enc(id)}/steps/${enc(step)}/approve`,
        { approved },
        { tenant },
      );
      showMessage(box, 'success', `Step ${step} ${approved ? 'approved' : 'rejected'}: ${answer.step_status}.`);
      void load();
    } catch (error) {
      showError(box, error);
    }
  };
  const load = async () => {
    try {
      const run = await get(`/api/v1/workflow-runs/${enc(id)}`, { tenant }, pageAbort.signal);
      status = run.status;
      if (definition === null) {
        const workflow = await get(
          `/api/v1/workflows/${enc(run.workflow_id)}`,
          { tenant, version: run.workflow_version },
          pageAbort.signal,
        );
        definition = workflow.definition?.steps ?? {};
      }
      const jobs = await get('/api/v1/jobs', { run_id: id, tenant, limit: 500 }, pageAbort.signal).catch(() => ({
        items: [],
      }));
      const counts = {};
      for (const job of jobs.items) {
        if (job.step_id === null) continue;
        const count = (counts[job.step_id] ??= { done: 0, total: 0 });
        count.total += 1;
        if (TERMINAL_JOB.has(job.state)) count.done += 1;
      }
      head.replaceChildren(
        pageHead(
          h('span', {}, 'Run ', h('span.mono', {}, id)),
          `${run.workflow_id} v${run.workflow_version} · started by ${run.started_by}`,
          badge(run.status),
        ),
      );
      const waiting = Object.entries(run.steps).filter(
        ([, step]) => step.status === 'WAITING' && step.wait?.reason === 'approval',
      );
      approvals.replaceChildren(
        ...waiting.map(([stepId, step]) =>
          h(
            'section.alert.info',
            { 'aria-label': `Approval for step ${stepId}` },
            h('strong', {}, `Step “${stepId}” waits for approval`),
            step.wait.until ? h('span', {}, ' · until ', time(step.wait.until)) : null,
            step.wait.request === undefined || step.wait.request === null
              ? null
              : h('div', { style: '' }, json(step.wait.request)),
            h(
              'div.row-actions',
              {},
              h('button.button', { type: 'button', on: { click: () => act(stepId, true) } }, `Approve ${stepId}`),
              h(
                'button.button.danger',
                { type: 'button', on: { click: () => act(stepId, false) } },
                `Reject ${stepId}`,
              ),
            ),
          ),
        ),
      );
      graph.replaceChildren(
        h('div.dag-wrap', {}, drawDag(definition, run, counts)),
        h(
          'div.legend',
          { 'aria-hidden': 'true' },
          ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'SKIPPED', 'FAILED'].map((s) => badge(s)),
        ),
      );
      const rows = Object.entries(run.steps).map(([stepId, step]) =>
        h(
          'tr',
          { 'data-step': stepId },
          h('td.mono', {}, stepId),
          h('td', {}, step.type),
          h('td', {}, badge(step.status)),
          h(
            'td',
            {},
            step.job_ids.length === 0 ? '—' : step.job_ids.slice(0, 5).map((jobId) => [jobLink(tenant, jobId), ' ']),
            step.job_ids.length > 5 ? `+${step.job_ids.length - 5} more` : null,
          ),
          h('td', {}, time(step.started_at)),
          h('td', {}, time(step.ended_at)),
        ),
      );
      stepsRegion.replaceChildren(
        table('Steps', ['Step', 'Type', 'Status', 'Jobs', 'Started', 'Ended'], rows, 'No steps have started.'),
      );
      info.replaceChildren(
        fields([
          ['Status', badge(run.status)],
          ['Tenant', run.tenant],
          ['Team', run.team_id],
          ['Started', time(run.started_at)],
          ['Ended', time(run.ended_at)],
          ['Trace id', h('span.mono', {}, run.trace_id)],
          run.error === null ? null : ['Error', `${run.error.code}: ${run.error.message}`],
        ]),
        h(
          'div.grid-2',
          {},
          h('div', {}, h('h2', {}, 'Input'), json(run.input)),
          h('div', {}, h('h2', {}, 'Output'), json(run.output)),
        ),
      );
      return run;
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
      return null;
    }
  };
  const reload = debounce(load, 150);
  follow({ run_id: id }, reload);
  // The run view is a read model: a poll while the run goes on catches what an event raced.
  every(3000, () => {
    if (!ENDED_RUN.has(status)) reload();
  });
  await load();
}

function approvalsPage() {
  const box = alertBox();
  const region = h('div.panel', { 'aria-live': 'polite' });
  main().replaceChildren(
    pageHead('Approvals', 'Jobs the safety policy holds until someone approves them.'),
    box,
    region,
  );
  let minPosition;
  const act = async (item, verb) => {
    try {
      const answer = await post(
        `/api/v1/approvals/${enc(item.job_id)}/${verb}`,
        { request_hash: item.request_hash },
        { tenant: item.tenant },
      );
      minPosition = answer.position;
      showMessage(
        box,
        'success',
        `Job `,
        jobLink(item.tenant, item.job_id),
        ` ${verb === 'approve' ? 'approved' : 'rejected'}: ${answer.state}.`,
      );
      void load();
    } catch (error) {
      showError(box, error);
    }
  };
  const load = async () => {
    try {
      const answer = await readList('/api/v1/approvals', { limit: 100, min_position: minPosition });
      const rows = answer.items.map((item) =>
        h(
          'tr',
          { 'data-job-id': item.job_id },
          h('td', {}, jobLink(item.tenant, item.job_id)),
          h('td', {}, item.topic),
          h('td', {}, item.reason ?? '—'),
          h('td.mono', { title: item.request_hash }, item.request_hash.slice(0, 12)),
          h('td', {}, time(item.created_at)),
          h('td', {}, time(item.expires_at)),
          h(
            'td',
            {},
            h(
              'div.row-actions',
              {},
              h('button.button.small', { type: 'button', on: { click: () => act(item, 'approve') } }, 'Approve'),
              h('button.button.danger.small', { type: 'button', on: { click: () => act(item, 'reject') } }, 'Reject'),
            ),
          ),
        ),
      );
      region.replaceChildren(
        table(
          'Approvals',
          ['Job', 'Topic', 'Reason', 'Request hash', 'Asked', 'Expires', 'Actions'],
          rows,
          'Nothing waits for approval.',
        ),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  const reload = debounce(load, 250);
  follow({ stream: 'job', type: 'JobApprovalRequired,JobApproved,JobRejected,JobApprovalExpired' }, (event) => {
    minPosition = `job:${event.position}`;
    reload();
  });
  void load();
}

const dlqState = { cursors: [] };

function dlqPage() {
  const q = query();
  const box = alertBox();
  const region = h('div.panel', { 'aria-live': 'polite' });
  let minPosition;
  const bulk = h(
    'button.button.secondary',
    {
      type: 'button',
      on: {
        click: async () => {
          const filter = {
            ...(q.topic ? { topic: q.topic } : {}),
            ...(q.reason_code ? { reason_code: q.reason_code } : {}),
          };
          const what = Object.keys(filter).length === 0 ? 'every entry' : 'every entry matching the filters';
          if (!confirm(`Retry ${what}?`)) return;
          try {
            const answer = await post('/api/v1/dlq/retry', { filter });
            showMessage(box, 'info', `Bulk retry started (operation ${answer.operation_id}).`);
            const poll = async () => {
              const op = await get(answer.status_url.replace(/^https?:\/\/[^/]+/, ''), {}, pageAbort.signal);
              const done = op.status !== 'RUNNING';
              showMessage(
                box,
                op.status === 'FAILED' ? 'error' : done ? 'success' : 'info',
                `Bulk retry ${op.status.toLowerCase()}: ${op.processed} processed, ${op.changed} retried, ${op.failed} failed.`,
              );
              if (!done) setTimeout(() => void poll().catch(() => undefined), 1000);
              else void load();
            };
            void poll().catch((error) => showError(box, error));
          } catch (error) {
            showError(box, error);
          }
        },
      },
    },
    'Retry all matching',
  );
  const form = filterForm(
    'Filter dead letters',
    [
      inputField('filter-topic', 'Topic', 'topic', q.topic, 'e.g. job.default'),
      inputField('filter-reason', 'Reason code', 'reason_code', q.reason_code, 'e.g. max_attempts'),
    ],
    (values) => {
      dlqState.cursors = [];
      setQuery('#/dlq', values);
    },
  );
  main().replaceChildren(
    pageHead('Dead letters', 'Jobs that ended without success; retry makes a new job.', bulk),
    form,
    box,
    region,
  );
  const retry = async (entry, button) => {
    button.disabled = true;
    try {
      const answer = await post(`/api/v1/dlq/${enc(entry.job_id)}/retry`, {}, { tenant: entry.tenant });
      minPosition = undefined;
      showMessage(
        box,
        'success',
        'Retried ',
        jobLink(entry.tenant, entry.job_id),
        ' as ',
        jobLink(entry.tenant, answer.job_id),
        '.',
      );
      void load();
    } catch (error) {
      button.disabled = false;
      showError(box, error);
    }
  };
  const load = async () => {
    try {
      const answer = await readList('/api/v1/dlq', {
        topic: q.topic,
        reason_code: q.reason_code,
        limit: 25,
        cursor: dlqState.cursors.at(-1),
        min_position: minPosition,
      });
      const rows = answer.items.map((entry) => {
        const button = h('button.button.small', { type: 'button' }, 'Retry');
        button.addEventListener('click', () => void retry(entry, button));
        return h(
          'tr',
          { 'data-job-id': entry.job_id },
          h('td', {}, jobLink(entry.tenant, entry.job_id)),
          h('td', {}, entry.topic),
          h('td', {}, badge(entry.final_state)),
          h('td', {}, h('span.mono', {}, entry.reason_code), h('div.hint', {}, entry.reason)),
          h('td', {}, String(entry.attempts)),
          h('td', {}, time(entry.created_at)),
          h(
            'td',
            { 'data-field': 'retried' },
            entry.retried_as === null ? '—' : ['Retried as ', jobLink(entry.tenant, entry.retried_as)],
          ),
          h('td', {}, button),
        );
      });
      region.replaceChildren(
        table(
          'Dead letters',
          ['Job', 'Topic', 'Final state', 'Reason', 'Attempts', 'Dead-lettered', 'Retries', 'Actions'],
          rows,
          'The dead-letter queue is empty.',
        ),
        pager(dlqState, answer.next_cursor, load),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  const reload = debounce(load, 250);
  follow({ stream: 'dlq' }, (event) => {
    minPosition = `dlq:${event.position}`;
    reload();
  });
  void load();
}

function workersPage() {
  const box = alertBox();
  const region = h('div.panel', { 'aria-live': 'polite' });
  main().replaceChildren(
    pageHead('Workers', 'Live workers, their load and placement; refreshed every 5 s.'),
    box,
    region,
  );
  const load = async () => {
    try {
      const answer = await get('/api/v1/workers', {}, pageAbort.signal);
      const rows = answer.items.map((w) => {
        const share = w.max_parallel_jobs === 0 ? 0 : Math.min(1, w.active_jobs / w.max_parallel_jobs);
        return h(
          'tr',
          { 'data-worker-id': w.worker_id },
          h('td.mono', {}, w.worker_id),
          h('td', {}, w.pool),
          h('td', {}, w.topics.join(', ') || '—'),
          h(
            'td',
            {},
            h(
              'span.meter',
              {
                role: 'meter',
                'aria-label': `Load of ${w.worker_id}`,
                'aria-valuemin': 0,
                'aria-valuemax': w.max_parallel_jobs,
                'aria-valuenow': w.active_jobs,
                class: w.overloaded ? 'hot' : '',
              },
              h('span', { style: `width: ${Math.round(share * 100)}%` }),
            ),
            `${w.active_jobs} / ${w.max_parallel_jobs}`,
          ),
          h('td', {}, `${Math.round(w.cpu_load * 100)}%`),
          h('td', {}, w.load_score.toFixed(2)),
          h(
            'td',
            {},
            w.cordoned ? badge('CORDONED') : null,
            w.overloaded ? [' ', h('span.badge.state-bad', {}, 'OVERLOADED')] : null,
            !w.cordoned && !w.overloaded ? h('span.badge.state-ok', {}, 'READY') : null,
          ),
          h('td', {}, time(w.heartbeat_at)),
        );
      });
      region.replaceChildren(
        table(
          'Workers',
          ['Worker', 'Pool', 'Topics', 'Jobs', 'CPU', 'Load score', 'State', 'Heartbeat'],
          rows,
          'No live workers.',
        ),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  every(5000, load);
  void load();
}

function configPage() {
  const q = query();
  const box = alertBox();
  const region = h('section.panel.pad', { 'aria-live': 'polite' });
  const org = q.org_id ?? sessionStorage.getItem('coretex.org') ?? 'default';
  const form = filterForm(
    'Effective config scope',
    [
      inputField('config-org', 'Org (tenant)', 'org_id', org),
      inputField('config-team', 'Team', 'team_id', q.team_id),
      inputField('config-workflow', 'Workflow', 'workflow_id', q.workflow_id),
      inputField('config-step', 'Step', 'step_id', q.step_id),
    ],
    (values) => {
      sessionStorage.setItem('coretex.org', values.org_id ?? '');
      setQuery('#/config', values);
    },
  );
  main().replaceChildren(
    pageHead(
      'Config',
      'The effective config: system → org → team → workflow → step, each level replacing whole top-level keys.',
    ),
    form,
    box,
    region,
  );
  void (async () => {
    try {
      const answer = await get(
        '/api/v1/config/effective',
        { org_id: org, team_id: q.team_id, workflow_id: q.workflow_id, step_id: q.step_id },
        pageAbort.signal,
      );
      region.replaceChildren(
        fields([
          ['Version', h('span.mono', {}, answer.version)],
          ['Hash', h('span.mono', {}, answer.hash)],
        ]),
        h('h2', {}, 'Effective config'),
        json(answer.data),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  })();
}

function statusPage() {
  const box = alertBox();
  const region = h('div', { 'aria-live': 'polite' });
  main().replaceChildren(pageHead('Status', 'Health of this Coretex installation; refreshed every 5 s.'), box, region);
  const load = async () => {
    try {
      const s = await get('/api/v1/status', {}, pageAbort.signal);
      const card = (label, value) => h('div.card.panel', {}, h('div.label', {}, label), h('div.value', {}, value));
      const rows = s.projections.flatMap((p) =>
        p.streams.map((stream) =>
          h(
            'tr',
            {},
            h('td', {}, p.projection),
            h('td', {}, p.version === null ? '—' : `v${p.version}`),
            h('td', {}, stream.stream),
            h('td', {}, String(stream.position)),
            h('td', {}, String(stream.head)),
            h('td', {}, stream.lag === 0 ? badge('OK') : h('span.badge.state-waiting', {}, `${stream.lag} behind`)),
            h(
              'td',
              {},
              p.rebuild === null
                ? '—'
                : `${p.rebuild.state}${p.rebuild.eta_seconds ? `, ETA ${Math.round(p.rebuild.eta_seconds)} s` : ''}`,
            ),
          ),
        ),
      );
      region.replaceChildren(
        h(
          'div.cards',
          {},
          card('Version', s.version),
          card('Mode', `${s.mode} · ${s.backend}`),
          card('Uptime', duration(Math.round(s.uptime_seconds))),
          card('Safety breaker', s.safety === null ? '—' : badge(s.safety.breaker.toUpperCase())),
          card('Live workers', s.workers === null ? '—' : String(s.workers.live)),
          card('Open event streams', String(s.event_streams_open)),
        ),
        h('h2', {}, 'Checks'),
        h(
          'div.panel',
          {},
          table(
            'Checks',
            ['Check', 'Result'],
            Object.entries(s.checks).map(([name, result]) =>
              h(
                'tr',
                {},
                h('td', {}, name),
                h('td', {}, result === 'ok' ? badge('OK') : h('span.badge.state-bad', {}, result)),
              ),
            ),
            'No checks.',
          ),
        ),
        h('h2', {}, 'Projections'),
        h(
          'div.panel',
          {},
          table(
            'Projection lag',
            ['Projection', 'Version', 'Stream', 'Applied', 'Head', 'Lag', 'Rebuild'],
            rows,
            'No projections.',
          ),
        ),
      );
    } catch (error) {
      if (error?.name !== 'AbortError') showError(box, error);
    }
  };
  every(5000, load);
  void load();
}

// ---------------------------------------------------------------------------------------------
// Router

const ROUTES = [
  [/^#\/login$/, () => loginPage(loginMessage)],
  [/^#\/jobs$/, () => jobsPage()],
  [/^#\/jobs\/([^/]+)\/([^/]+)$/, (tenant, id) => jobPage(tenant, id)],
  [/^#\/runs$/, () => runsPage()],
  [/^#\/runs\/([^/]+)\/([^/]+)$/, (tenant, id) => runPage(tenant, id)],
  [/^#\/approvals$/, () => approvalsPage()],
  [/^#\/dlq$/, () => dlqPage()],
  [/^#\/workers$/, () => workersPage()],
  [/^#\/config$/, () => configPage()],
  [/^#\/status$/, () => statusPage()],
];

function route() {
  pageAbort.abort();
  pageAbort = new AbortController();
  setLive('closed');
  const hash = location.hash === '' || location.hash === '#' || location.hash === '#/' ? '#/jobs' : location.hash;
  const path = hash.split('?')[0];
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = path.startsWith(`#/${link.dataset.nav}`);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const [pattern, render] of ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const name = path.split('/')[1] ?? '';
    document.title = `${name.charAt(0).toUpperCase()}${name.slice(1)} · Coretex`;
    void render(...match.slice(1).map(decodeURIComponent));
    main().focus({ preventScroll: true });
    return;
  }
  main().replaceChildren(pageHead('Not found', `No page ${path}.`));
}

// A refused key (401) sends the user to the key page once, then back where they were.
let loginMessage = '';
onUnauthorized(() => {
  if (location.hash.startsWith('#/login')) return;
  sessionStorage.setItem('coretex.returnTo', location.hash);
  loginMessage = getKey() === '' ? 'This API needs an API key.' : 'The API did not accept the key. Enter another.';
  location.hash = '#/login';
});

document.getElementById('change-key').addEventListener('click', () => {
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);

route();
