// Transcript entries → DOM. Everything is built with createElement and textContent:
// nothing the user or the server sends is ever parsed as HTML.
import { strings } from './i18n.js';

/** @typedef {{role: 'user', text: string, lang: string} | {role: 'bot', reply: any, lang: string}} Entry */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function speaker(label) {
  return el('span', 'visually-hidden', `${label}: `);
}

// A Japanese phone number ("03-4578-4697") is kept on one line.
const PHONE = /0\d{1,4}-\d{1,4}-\d{3,4}/g;

/** The reply text as text nodes, with phone numbers in unbreakable spans. */
function textWithPhones(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(PHONE)) {
    nodes.push(document.createTextNode(text.slice(last, match.index)), el('span', 'nowrap', match[0]));
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** @param {Entry} entry @param {(choice: {id: string, label: string}) => void} onChoice */
export function renderEntry(entry, onChoice) {
  const t = strings(entry.lang);
  const item = el('article', `msg ${entry.role}`);
  item.lang = entry.lang;
  const bubble = el('div', 'bubble');
  item.append(bubble);
  if (entry.role === 'user') {
    const text = el('p', 'text');
    text.append(speaker(t.you), document.createTextNode(entry.text));
    bubble.append(text);
    return item;
  }
  const reply = entry.reply;
  const text = el('p', 'text');
  text.append(speaker(t.bot), ...textWithPhones(reply.text));
  bubble.append(text);
  if (reply.display?.skuTable) bubble.append(skuTable(reply.display.skuTable, t));
  if (reply.display?.handoff) bubble.append(handoffBox(reply.display.handoff, t));
  if (reply.links?.length) bubble.append(links(reply.links, t));
  if (reply.choices?.length) bubble.append(choices(reply.choices, t, onChoice));
  return item;
}

function skuTable(table, t) {
  const wrap = el('div', 'table-wrap');
  const node = el('table', 'skus');
  node.append(el('caption', '', table.caption ?? t.skus));
  const head = node.createTHead().insertRow();
  for (const column of table.columns) {
    const th = el('th', '', column);
    th.scope = 'col';
    head.append(th);
  }
  const body = node.createTBody();
  for (const row of table.rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => tr.append(el('td', i === 0 ? 'sku' : '', cell)));
  }
  wrap.append(node);
  return wrap;
}

function handoffBox(box, t) {
  const node = el('section', `handoff ${box.open ? 'open' : 'closed'}`);
  node.setAttribute('aria-label', box.title);
  node.append(el('p', 'handoff-title', box.title));
  const call = el('a', 'tel', box.phone);
  call.href = box.href;
  call.setAttribute('aria-label', t.callLabel(box.phone));
  node.append(call);
  if (box.status) node.append(el('p', 'handoff-status', box.status));
  if (box.nextOpen) node.append(el('p', 'handoff-next', box.nextOpen));
  node.append(el('p', 'handoff-hours', box.hours));
  return node;
}

function links(list, t) {
  const nav = el('nav', 'links');
  nav.setAttribute('aria-label', t.links);
  const ul = el('ul');
  for (const link of list) {
    let url;
    try {
      url = new URL(link.url);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    const a = el('a', '', link.title);
    a.href = url.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    const li = el('li');
    li.append(a);
    ul.append(li);
  }
  nav.append(ul);
  return nav;
}

function choices(list, t, onChoice) {
  const group = el('div', 'choices');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', t.choices);
  for (const choice of list) {
    const button = el('button', 'choice', choice.label);
    button.type = 'button';
    button.dataset.choice = choice.id;
    button.addEventListener('click', () => onChoice({ id: choice.id, label: choice.label }));
    group.append(button);
  }
  return group;
}
