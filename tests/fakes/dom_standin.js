// A tiny stand-in for the browser globals localpack's injected scripts use, for running them under node.
// Usage: node dom_standin.js SCRIPT SCENARIO HREF   → prints one JSON object with what happened.
'use strict';
const fs = require('fs');
const vm = require('vm');

const [script, scenario, href] = process.argv.slice(2);
const events = { reloads: 0, replaced: [], fetches: [], timers: [] };
const observers = [];
const notify = () => observers.forEach((cb) => cb([]));

function element(tag) {
  return {
    tagName: tag, children: [], parentNode: null, attrs: {}, textContent: '', hidden: tag === 'main', listeners: {},
    style: { setProperty() {} }, focus() {}, select() {},
    querySelector(tagName) { return this.children.find((c) => c.tagName === tagName) || null; },
    remove() { if (this.parentNode) { this.parentNode.removeChild(this); } },
    setAttribute(k, v) { this.attrs[k] = v; },
    appendChild(child) {
      if (child.parentNode) { child.parentNode.children.splice(child.parentNode.children.indexOf(child), 1); }
      this.children.push(child); child.parentNode = this; notify(); return child;
    },
    removeChild(child) { this.children.splice(this.children.indexOf(child), 1); child.parentNode = null; notify(); },
    addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); },
    get isConnected() { let n = this; while (n.parentNode) { n = n.parentNode; } return n === document; },
  };
}
const document = element('#document');
const html = document.appendChild(element('html'));
Object.defineProperty(document, 'documentElement', { get: () => html.parentNode === document ? html : null });
Object.defineProperty(document, 'head', { get: () => html.children.find((c) => c.tagName === 'head') || null });
document.createElement = element;
const byId = {};
document.getElementById = (id) => (byId[id] = byId[id] || element(id === 'offline' ? 'main' : 'span'));
const url = new URL(href);
const winListeners = {};
const window = {
  addEventListener(type, fn) { (winListeners[type] = winListeners[type] || []).push(fn); },
};
const location = {
  href, protocol: url.protocol, hostname: url.hostname,
  reload() { events.reloads += 1; },
  replace(to) { events.replaced.push(to); },
};
let fetchResults = [];
const sandbox = {
  window, document, location, console, URL,
  MutationObserver: class { constructor(cb) { this.cb = cb; } observe() { observers.push(this.cb); } },
  setTimeout(fn, ms) { events.timers.push(ms); return events.timers.length; },
  clearTimeout() {},
  AbortController: class { constructor() { this.signal = {}; } abort() {} },
  fetch(to, opts) {
    events.fetches.push({ to, mode: opts.mode });
    return fetchResults.shift() ? Promise.resolve({}) : Promise.reject(new TypeError('network'));
  },
};
sandbox.window.window = sandbox.window;
vm.createContext(sandbox);
const code = fs.readFileSync(script, 'utf8');
const run = () => vm.runInContext(code, sandbox);
const styles = () => {
  const all = [];
  const walk = (n) => n.children.forEach((c) => { if (c.tagName === 'style') { all.push({ parent: c.parentNode.tagName, text: c.textContent }); } walk(c); });
  walk(document);
  return all;
};
const key = (props) => (winListeners.keydown || []).forEach((fn) => fn({ preventDefault() {}, ctrlKey: false, metaKey: false, altKey: false, ...props }));
const findBar = () => { const bar = html.children.find((c) => c.attrs.id === '__localpack_find' || c.id === '__localpack_find');
  return bar ? bar.style.display : null; };
const contextMenu = () => { let prevented = false;
  (winListeners.contextmenu || []).forEach((fn) => fn({ preventDefault() { prevented = true; } })); return prevented; };

(async () => {
  const out = {};
  if (scenario === 'init') {
    run();
    out.atStart = styles();
    const head = html.appendChild(element('head'));   // the parser reaches <head>
    out.afterHead = styles();
    head.children.filter((c) => c.tagName === 'style').forEach((c) => head.removeChild(c));  // an SPA swaps <head>
    out.afterSpaUpdate = styles();
    run();                                             // a second injection does nothing more
    out.afterSecondRun = styles();
    key({ key: 'F5' }); key({ key: 'r', ctrlKey: true }); key({ key: 'R', metaKey: true }); key({ key: 'r' });
    key({ key: 'r', ctrlKey: true, altKey: true });
    out.findBefore = findBar();
    key({ key: 'f', ctrlKey: true });
    out.findAfter = findBar();
    out.contextMenuPrevented = contextMenu();
  } else if (scenario === 'offline') {
    fetchResults = [false, true];                       // first try: network down; second: the site answers
    run();
    await new Promise((r) => setImmediate(r));
    out.shownWhileDown = !byId.offline.hidden;
    out.title = byId.title.textContent;
    out.site = byId.site.textContent;
    out.replacedWhileDown = events.replaced.slice();
    byId.retry.listeners.click[0]();
    await new Promise((r) => setImmediate(r));
  }
  out.styles = styles();
  Object.assign(out, events);
  process.stdout.write(JSON.stringify(out));
})();
