/**
 * The script run inside the chat page. It is plain JavaScript in a string,
 * not a TypeScript function handed to `page.evaluate`: a bundler or test
 * transform may rewrite a function's body (helper calls such as `__name`)
 * into something the page does not have.
 */
import type { RumbleSelectors } from '../config.js';

/** The page-side function (exposed with `page.exposeBinding`) the observer hands rows to. */
export const ROWS_BINDING = '__streamsuitesRumbleRows';

/** What attaching reported. */
export interface AttachResult {
  /** False when the list is not on the page (the caller waited for it first; a race with a re-render). */
  attached: boolean;
  /** Rows already in the list, not reported (history). */
  history: number;
  /** True when this document already had our observer (attach is idempotent per document). */
  already: boolean;
}

/**
 * Attaches a MutationObserver to the chat list. Rows already in the list
 * are history: remembered, not reported. Every row added afterwards is
 * reported once: a WeakSet of row elements (a moved row is not new) and a
 * bounded set of `data-message-id`s (a row re-rendered as a new element is
 * not new either). Rows of one observer callback go to the binding in one
 * call, in insertion order.
 *
 * A second observer on the document only checks that the list is still
 * connected: when the page replaces the list element (a re-render without a
 * reload), the new list is observed and its rows are history, like at start.
 */
const SCRIPT = `(function attach(args) {
  var selectors = args.selectors;
  var state = window.__streamsuitesRumbleObserver;
  if (state) return { attached: true, history: state.history, already: true };
  var list = document.querySelector(selectors.chatList);
  if (!list) return { attached: false, history: 0, already: false };
  var seen = new WeakSet();
  var ids = new Set();
  var idOrder = [];
  var MAX_IDS = 10000;

  function remember(row) {
    seen.add(row);
    var id = row.getAttribute('data-message-id');
    if (!id || ids.has(id)) return;
    ids.add(id);
    idOrder.push(id);
    if (idOrder.length > MAX_IDS) ids.delete(idOrder.shift());
  }
  function isNew(row) {
    if (seen.has(row)) return false;
    var id = row.getAttribute('data-message-id');
    return !(id && ids.has(id));
  }
  function markHistory(target) {
    var rows = target.querySelectorAll(selectors.messageRow);
    var count = 0;
    for (var i = 0; i < rows.length; i++) { if (isNew(rows[i])) count++; remember(rows[i]); }
    return count;
  }
  function textOf(el) {
    var out = '';
    for (var node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) out += node.nodeValue;
      else if (node.nodeType === 1) out += node.tagName === 'IMG' ? (node.getAttribute('alt') || '') : textOf(node);
    }
    return out;
  }
  function read(row) {
    var user = row.querySelector(selectors.username);
    var text = row.querySelector(selectors.messageText);
    var price = row.querySelector(selectors.rantPrice);
    var badges = [];
    var imgs = row.querySelectorAll(selectors.badge);
    for (var j = 0; j < imgs.length; j++) {
      var name = imgs[j].getAttribute('alt') || imgs[j].getAttribute('title') || '';
      if (name) badges.push(name);
    }
    return {
      id: row.getAttribute('data-message-id'),
      username: user ? textOf(user).trim() : null,
      text: text ? textOf(text).trim() : null,
      badges: badges,
      price: price ? textOf(price).trim() : null
    };
  }
  function rowsIn(node) {
    if (node.matches(selectors.messageRow)) return [node];
    return node.querySelectorAll(selectors.messageRow);
  }
  var observer = new MutationObserver(function (records) {
    var batch = [];
    for (var r = 0; r < records.length; r++) {
      var added = records[r].addedNodes;
      for (var a = 0; a < added.length; a++) {
        if (added[a].nodeType !== 1) continue;
        var rows = rowsIn(added[a]);
        for (var k = 0; k < rows.length; k++) {
          if (!isNew(rows[k])) continue;
          remember(rows[k]);
          batch.push(read(rows[k]));
        }
      }
    }
    if (batch.length > 0) window[args.binding]({ rows: batch });
  });
  var guard = new MutationObserver(function () {
    if (list.isConnected) return;
    var next = document.querySelector(selectors.chatList);
    if (!next) return;
    observer.disconnect();
    list = next;
    var history = markHistory(list);
    observer.observe(list, { childList: true, subtree: true });
    window[args.binding]({ rows: [], relisted: history });
  });
  var history = markHistory(list);
  observer.observe(list, { childList: true, subtree: true });
  guard.observe(document.documentElement, { childList: true, subtree: true });
  window.__streamsuitesRumbleObserver = { history: history };
  return { attached: true, history: history, already: false };
})`;

/** The expression `page.evaluate` runs to attach the observer with these selectors. */
export function attachExpression(selectors: RumbleSelectors): string {
  return `${SCRIPT}(${JSON.stringify({ selectors, binding: ROWS_BINDING })})`;
}
