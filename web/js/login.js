// login.js - the sign-in form.
import { api } from './api.js';
import { h, clear, field, busy, capFirst } from './dom.js';

export function renderLogin(ctx, notice, onSignedIn) {
  document.title = 'Sign in · mentortrack';
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'form-error', id: 'login-error', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h('form', { id: 'login-form', class: 'stack', novalidate: true, 'aria-describedby': 'login-error' },
    field('Email', email).wrap, field('Password', password).wrap, error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.replaceChildren();
    if (!email.value || !password.value) {
      error.textContent = 'Enter your email and password.';
      (email.value ? password : email).focus();
      return;
    }
    await busy(submit, 'Signing in…', async () => {
      try {
        const data = await api('POST', '/api/v1/auth/login', {
          body: { email: email.value.trim(), password: password.value }, quiet401: true,
        });
        onSignedIn(data);
      } catch (err) {
        error.textContent = capFirst(err.message);
        password.value = '';
        password.focus();
      }
    });
  });
  clear(ctx.main,
    h('section', { class: 'login', 'aria-labelledby': 'login-title' },
      h('div', { class: 'login-card card' },
        h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'm'), 'mentortrack'),
        h('h1', { id: 'login-title' }, 'Sign in'),
        h('p', { class: 'muted' }, 'Run your mentoring programs: matching, pairs and results.'),
        notice ? h('div', { class: 'alert alert-info', role: 'status' }, notice) : null,
        form)));
  email.focus();
}
