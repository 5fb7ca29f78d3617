// The chat page. Everything a user typed is put on the page with textContent, never as HTML.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  if (params.get('name')) $('name').value = params.get('name');
  if (params.get('room')) $('room').value = params.get('room');

  const socket = io({ transports: ['websocket'] });
  let joined = null; // { room, name }
  let newestAt = 0;
  const seen = new Set();
  const members = new Map();

  const setStatus = (text) => { $('status').textContent = text; };
  const showError = (text) => { $('error').textContent = text; };

  function addMessage(m) {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    newestAt = Math.max(newestAt, m.at);
    const li = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = new Date(m.at).toISOString();
    time.textContent = new Date(m.at).toLocaleTimeString();
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = m.name;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.text;
    li.append(time, name, text);
    $('messages').append(li);
    li.scrollIntoView({ block: 'end' });
  }

  function renderMembers() {
    const names = [...new Set(members.values())].sort();
    $('members').replaceChildren(...names.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    }));
  }

  // A rejoin (after a move or a resync) refused for its rate is tried again when the server says, for a
  // minute at most; one that fails for good says so, since the user is no longer in the room.
  const REJOIN_RETRY_MS = 60000;
  let rejoinDeadline = 0;

  function join(rejoining = false) {
    if (!rejoining) rejoinDeadline = Date.now() + REJOIN_RETRY_MS;
    const request = { room: joined.room, name: joined.name };
    if (newestAt > 0) request.since = newestAt;
    socket.emit('join', request, (reply) => {
      if (!reply.ok) {
        const again = reply.error.code === 'rate_limited' && $('chat').hidden === false;
        const wait = (reply.error.retryInMs || 1000) * (1 + Math.random() / 4);
        if (again && Date.now() + wait < rejoinDeadline) {
          showError('Rejoining #' + joined.room + '…');
          return setTimeout(() => join(true), wait);
        }
        return showError(again ? 'Could not rejoin #' + joined.room + ': ' + reply.error.message + '. Reload the page to rejoin.' : reply.error.message);
      }
      showError('');
      members.clear();
      for (const m of reply.members) members.set(m.id, m.name);
      renderMembers();
      reply.history.forEach(addMessage);
      $('join').hidden = true;
      $('chat').hidden = false;
      $('room-title').textContent = '#' + reply.room;
    });
  }

  socket.on('connect', () => {
    setStatus('connected');
    if (joined) join();
  });
  socket.on('disconnect', () => setStatus('reconnecting…'));
  socket.on('connect_error', () => setStatus('reconnecting…'));
  socket.on('message', (m) => { if (joined && m.room === joined.room) addMessage(m); });
  socket.on('presence', (p) => {
    if (!joined || p.room !== joined.room) return;
    if (p.joined) members.set(p.joined.id, p.joined.name);
    if (p.left) members.delete(p.left.id);
    renderMembers();
  });
  socket.on('chat:error', (e) => showError(e.message));
  // This node lost Redis for a while: rejoin (with since) to read what other nodes sent meanwhile.
  socket.on('resync', ({ rejoinInMs }) => {
    setTimeout(() => { if (joined) join(); }, rejoinInMs);
  });
  // This node is going away: reconnect (the load balancer sends us to another one) at the moment it picked.
  socket.on('drain', ({ reconnectInMs }) => {
    setStatus('moving to another server…');
    setTimeout(() => { socket.disconnect(); socket.connect(); }, reconnectInMs);
  });

  $('join').addEventListener('submit', (event) => {
    event.preventDefault();
    joined = { room: $('room').value.trim(), name: $('name').value.trim() };
    // Not yet connected: the connect handler joins. Joining here too would join twice, and spend the
    // address's join budget on the copy.
    if (socket.connected) join();
  });
  $('send').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('text').value;
    if (!text.trim() || !joined) return;
    $('text').value = '';
    socket.emit('message', { room: joined.room, text }, (reply) => {
      if (reply.ok) return showError('');
      showError(reply.error.message);
      if ($('text').value === '') $('text').value = text; // let the user fix it and retry
    });
  });
})();
