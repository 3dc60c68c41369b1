// mentortrack web UI: sign in, then list programs with their summary.
const api = async (method, path, body, csrf) => {
  const headers = { 'Content-Type': 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(data?.error?.message || res.statusText);
  return data;
};

let csrf = null;

const show = (id) => {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== id;
};

const cell = (text) => {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
};

async function loadPrograms() {
  const page = await api('GET', '/api/v1/programs?limit=100&sort=name');
  const body = document.querySelector('#programs tbody');
  body.replaceChildren();
  for (const p of page.items) {
    const s = await api('GET', `/api/v1/programs/${p.id}/summary`);
    const tr = document.createElement('tr');
    tr.append(cell(p.name), cell(p.status), cell(p.start_date), cell(p.end_date),
              cell(s.mentors), cell(s.mentees));
    body.append(tr);
  }
  show('programs-view');
}

async function start() {
  try {
    const me = await api('GET', '/api/v1/auth/me');
    csrf = me.csrf_token;
    document.getElementById('who').textContent = `${me.user.name} (${me.user.role})`;
    await loadPrograms();
  } catch {
    show('login-view');
  }
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('POST', '/api/v1/auth/login', { email: f.get('email'), password: f.get('password') });
    await start();
  } catch (err) {
    document.getElementById('login-error').textContent = err.message;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout', null, csrf);
  document.getElementById('who').textContent = '';
  show('login-view');
});

start();
