/**
 * The HTML of the fake Rumble live chat page: the DOM shape of rumble.com's
 * chat popup (`ul#chat-history-list` of `li.chat-history--row`, rants as
 * `.chat-history--rant`, the `#chat-message-text-input` box and the
 * `button.chat--send` button), fed by an EventSource from the fake server.
 */

export type FakeChatPageVariant = 'normal' | 'renamed-list' | 'renamed-input';

/**
 * How the chat box behaves: `normal`; `disabled` (as for a profile that is
 * not logged in); `stuck` (it keeps the text and sends nothing, as when
 * Rumble refuses a message).
 */
export type FakeChatBoxState = 'normal' | 'disabled' | 'stuck';

/** One message as the page receives it (from the server, JSON). */
export interface FakeChatRow {
  id: string;
  userId: string;
  username: string;
  text: string;
  badges: string[];
  rantPrice: string | null;
}

/** Ids the page uses, per variant: a redesign renames the list or the chat box. */
export function pageIds(variant: FakeChatPageVariant): { list: string; input: string } {
  return {
    list: variant === 'renamed-list' ? 'chat-history-list-v2' : 'chat-history-list',
    input: variant === 'renamed-input' ? 'chat-message-input-v2' : 'chat-message-text-input',
  };
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The page. `history` rows are rendered by the inline script while the
 * document is parsed, so they are in the list before DOMContentLoaded (the
 * real page shows recent messages on load too); later rows arrive over
 * the EventSource at `streamPath`, starting after the history.
 */
export function chatPageHtml(options: {
  variant: FakeChatPageVariant;
  streamId: string;
  history: FakeChatRow[];
  streamPath: string;
  sendPath: string;
  ackPath: string;
  chatBox: FakeChatBoxState;
}): string {
  const ids = pageIds(options.variant);
  const { history, streamPath, sendPath, ackPath, chatBox } = options;
  const config = { listId: ids.list, inputId: ids.input, history, streamPath, sendPath, ackPath, chatBox };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Live chat ${options.streamId} - Rumble (fake)</title>
</head>
<body>
<div class="chat--container" id="chat-container">
  <div class="chat--height">
    <ul class="chat-history" id="${ids.list}"></ul>
  </div>
  <form class="chat--input-form" id="chat-message-form" autocomplete="off">
    <textarea class="chat--input" id="${ids.input}" name="chat-message" maxlength="200" placeholder="Chat..."></textarea>
    <button type="submit" class="chat--send">Send</button>
  </form>
</div>
<script>
(function () {
  var config = ${scriptJson(config)};
  var list = document.getElementById(config.listId);
  var input = document.getElementById(config.inputId);
  var form = document.getElementById('chat-message-form');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function badges(row) {
    var wrapper = el('div', 'chat-history--badges-wrapper');
    row.badges.forEach(function (alt) {
      var img = el('img', 'chat-history--user-badge');
      img.setAttribute('alt', alt);
      img.setAttribute('title', alt);
      wrapper.appendChild(img);
    });
    return wrapper;
  }
  function render(row) {
    var li = el('li', 'chat-history--row js-chat-history-item' + (row.rantPrice !== null ? ' chat-history--rant' : ''));
    li.setAttribute('data-message-user-id', row.userId);
    li.setAttribute('data-message-id', row.id);
    li.appendChild(el('div', 'chat-history--user-avatar'));
    if (row.rantPrice !== null) {
      var box = el('div', 'chat-history--rant');
      var head = el('div', 'chat-history--rant-head');
      head.appendChild(badges(row));
      var name = el('a', 'chat-history--rant-username', row.username);
      name.setAttribute('href', '/user/' + encodeURIComponent(row.username));
      head.appendChild(name);
      head.appendChild(el('div', 'chat-history--rant-price', row.rantPrice));
      box.appendChild(head);
      box.appendChild(el('div', 'chat-history--rant-text', row.text));
      li.appendChild(box);
    } else {
      var wrap = el('div', 'chat-history--message-wrapper');
      wrap.appendChild(badges(row));
      var user = el('div', 'chat-history--username');
      var link = el('a', '', row.username);
      link.setAttribute('href', '/user/' + encodeURIComponent(row.username));
      user.appendChild(link);
      wrap.appendChild(user);
      wrap.appendChild(el('div', 'chat-history--message', row.text));
      li.appendChild(wrap);
    }
    list.appendChild(li);
  }
  config.history.forEach(render);

  var source = new EventSource(config.streamPath + '?after=' + config.history.length);
  source.addEventListener('messages', function (event) { JSON.parse(event.data).forEach(render); });
  source.addEventListener('reload', function () { source.close(); location.reload(); });
  // What a front-end framework may do without a reload: build the list again, or its rows, as new elements.
  source.addEventListener('rerender', function (event) {
    if (JSON.parse(event.data).what === 'list') {
      var fresh = list.cloneNode(true);
      list.replaceWith(fresh);
      list = fresh;
    } else {
      Array.prototype.slice.call(list.children).forEach(function (row) { row.replaceWith(row.cloneNode(true)); });
    }
  });

  var chatBox = 'normal';
  function setChatBox(state) {
    chatBox = state;
    input.disabled = state === 'disabled';
  }
  setChatBox(config.chatBox);
  source.addEventListener('chatbox', function (event) {
    var change = JSON.parse(event.data);
    setChatBox(change.state);
    fetch(config.ackPath, { method: 'POST', body: String(change.version) });
  });

  function send() {
    if (chatBox !== 'normal') return;
    var text = input.value;
    if (text.trim() === '') return;
    // Rumble empties the box at once; the message comes back through the stream as the user's own row.
    input.value = '';
    fetch(config.sendPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: text }) });
  }
  form.addEventListener('submit', function (event) { event.preventDefault(); send(); });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); send(); }
  });
})();
</script>
</body>
</html>
`;
}
