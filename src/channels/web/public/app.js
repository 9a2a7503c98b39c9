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
  node.scrollIntoView({ block: 'end' });
  return node;
}

function record(entry) {
  state.entries.push(entry);
  save();
  return append(entry);
}

async function request(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    const body = await res.json().catch(() => null);
    if (res.ok && body) return body;
    const t = strings(state.lang);
    if (res.status === 429) throw new Error(t.errorRateLimited(res.headers.get('Retry-After') ?? '60'));
    throw new Error(t.errorServer);
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

function showReplies(body) {
  setLang(body.lang);
  return body.replies.map((reply) => record({ role: 'bot', reply, lang: state.lang }));
}

/** Runs one exchange with the server; returns the new bot message nodes (empty on error). */
async function exchange(run) {
  setBusy(true);
  setStatus(strings(state.lang).thinking);
  try {
    const nodes = showReplies(await run());
    setStatus('');
    return nodes;
  } catch (err) {
    setStatus(err.message);
    return [];
  } finally {
    setBusy(false);
  }
}

async function sendTurn(turn, shownAs, { focusChoices }) {
  if (busy) return;
  record({ role: 'user', text: shownAs, lang: state.lang });
  const nodes = await exchange(() => postTurn(turn));
  // After clicking a choice, keyboard users land on the next question's first choice.
  const next = focusChoices ? nodes.flatMap((n) => [...n.querySelectorAll('button.choice')])[0] : undefined;
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
  const nodes = await exchange(() => postTurn({ choice: 'intent:restart', conversation: previous }));
  if (nodes.length === 0) await welcome();
  input.focus();
});

setLang(state.lang);
for (const entry of state.entries) append(entry);
refreshChoices();
if (state.entries.length === 0) void welcome();
