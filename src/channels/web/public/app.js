// The web chat page: keeps the conversation in sessionStorage (one conversation per tab,
// so two tabs never interleave turns of the same conversation), talks to /api/chat.
import { applyLang, browserLang, strings } from './i18n.js';
import { renderEntry } from './view.js';

const STORAGE_KEY = 'apc-ups-chat:v1';
const MAX_ENTRIES = 200;
const REQUEST_TIMEOUT_MS = 30_000;

const log = document.getElementById('log');
const status = document.getElementById('status');
const form = document.getElementById('composer');
const input = document.getElementById('input');
const send = document.getElementById('send');
const restart = document.getElementById('restart');

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (saved && (typeof saved.conversation === 'string' || saved.conversation === null) && Array.isArray(saved.entries)) return saved;
  } catch {
    // A corrupt entry is treated like no entry.
  }
  // The server issues the conversation id with its first answer.
  return { conversation: null, lang: browserLang(), entries: [] };
}

const state = load();
let busy = false;

function save() {
  state.entries = state.entries.slice(-MAX_ENTRIES);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the chat still works, it just will not survive a reload.
  }
}

function setLang(lang) {
  state.lang = lang === 'en' ? 'en' : 'ja';
  applyLang(state.lang);
}

function setStatus(message) {
  status.textContent = message;
}

function setBusy(value) {
  busy = value;
  log.setAttribute('aria-busy', String(value));
  send.disabled = value;
  restart.disabled = value;
  refreshChoices();
}

/** Only the choices of the bot's latest answer stay clickable. */
function refreshChoices() {
  const items = [...log.children];
  let firstLive = items.length;
  while (firstLive > 0 && items[firstLive - 1].classList.contains('bot')) firstLive -= 1;
  items.forEach((item, i) => {
    for (const button of item.querySelectorAll('button.choice')) button.disabled = busy || i < firstLive;
  });
}

function append(entry) {
  const node = renderEntry(entry, onChoice);
  log.append(node);
  return node;
}

/**
 * Shows new messages: a reply that fits is scrolled fully into view; a longer one is shown
 * from its first line (the user reads down from there), never from its end.
 */
function reveal(nodes) {
  const first = nodes[0];
  if (!first) return;
  const last = nodes.at(-1);
  const start = first.offsetTop - parseFloat(getComputedStyle(log).paddingTop);
  const end = last.offsetTop + last.offsetHeight - log.clientHeight;
  log.scrollTop = Math.min(Math.max(end, 0), Math.max(start, 0));
}

function record(entry) {
  state.entries.push(entry);
  save();
  return append(entry);
}

/** The call-center box last shown (the greeting has one), for when the server cannot answer. */
function lastHandoffBox() {
  for (const entry of [...state.entries].reverse()) {
    const box = entry.role === 'bot' ? entry.reply?.display?.handoff : null;
    if (box) return { ...box, status: '', nextOpen: null, open: true };
  }
  return null;
}

/** A turn that failed: the apology and the call-center box, like Slack and Teams (not kept on reload). */
function showFailure(err) {
  const replies = err.body?.replies;
  if (Array.isArray(replies) && replies.length > 0) {
    if (err.body.lang) setLang(err.body.lang);
    return replies.map((reply) => append({ role: 'bot', reply, lang: state.lang }));
  }
  const reply = { text: err.message, choices: [], links: [], display: { skuTable: null, handoff: lastHandoffBox(), focus: 'input' } };
  return [append({ role: 'bot', reply, lang: state.lang })];
}

async function request(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    const body = await res.json().catch(() => null);
    if (res.ok && body) return body;
    const t = strings(state.lang);
    const error = new Error(res.status === 429 ? t.errorRateLimited(res.headers.get('Retry-After') ?? '60') : t.errorServer);
    // A failed turn still carries the engine's apology and call-center box (500 turn_failed).
    error.body = body;
    throw error;
  } catch (err) {
    if (err instanceof TypeError || err?.name === 'AbortError') throw new Error(strings(state.lang).errorNetwork);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function postTurn({ conversation: explicit, ...turn }) {
  const conversation = explicit === undefined ? state.conversation : explicit;
  const body = await request('/api/chat', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...(conversation ? { conversation } : {}), locale: state.lang, ...turn }),
  });
  // The server names the conversation (a new one when it did not know ours).
  if (explicit === undefined && (typeof body.conversation === 'string' || body.conversation === null)) state.conversation = body.conversation;
  return body;
}

/** The page speaks the engine's language for the turn (`lang`); it never guesses from the text. */
function showReplies(body) {
  setLang(body.lang);
  return body.replies.map((reply) => record({ role: 'bot', reply, lang: state.lang }));
}

/** Runs one exchange with the server; returns the new bot messages and whether it failed. */
async function exchange(run) {
  setBusy(true);
  setStatus(strings(state.lang).thinking);
  let nodes;
  let failed = false;
  try {
    nodes = showReplies(await run());
  } catch (err) {
    nodes = showFailure(err);
    failed = true;
  } finally {
    setStatus('');
    setBusy(false);
  }
  reveal(nodes);
  return { nodes, failed };
}

async function sendTurn(turn, shownAs, { focusChoices }) {
  if (busy) return;
  const mine = record({ role: 'user', text: shownAs, lang: state.lang });
  reveal([mine]);
  const { nodes } = await exchange(() => postTurn(turn));
  // After a click, keyboard users land on the next question's first choice, unless a typed
  // answer is expected (a model number, a question): then on the input.
  const expectsChoice = state.entries.at(-1)?.reply?.display?.focus === 'choices';
  const next = focusChoices && expectsChoice ? nodes.flatMap((n) => [...n.querySelectorAll('button.choice')])[0] : undefined;
  (next ?? input).focus();
}

function onChoice(choice) {
  void sendTurn({ choice: choice.id }, choice.label, { focusChoices: true });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) {
    setStatus(strings(state.lang).errorEmpty);
    input.focus();
    return;
  }
  if (busy) return;
  input.value = '';
  void sendTurn({ text }, text, { focusChoices: false });
});

async function welcome() {
  await exchange(() => request(`/api/chat/welcome?locale=${state.lang}`));
}

restart.addEventListener('click', async () => {
  if (busy) return;
  const previous = state.conversation;
  state.conversation = null;
  state.entries = [];
  save();
  log.replaceChildren();
  // The server forgets the old conversation; the answer opens the new one.
  const { failed } = await exchange(() => postTurn({ choice: 'intent:restart', conversation: previous }));
  if (failed) await welcome();
  input.focus();
});

setLang(state.lang);
const restored = state.entries.map((entry) => append(entry));
// After a reload, the last answer is shown from its start, as it was when it arrived.
let lastTurn = restored.length;
while (lastTurn > 0 && state.entries[lastTurn - 1].role === 'bot') lastTurn -= 1;
reveal(restored.slice(lastTurn));
refreshChoices();
if (state.entries.length === 0) void welcome();
