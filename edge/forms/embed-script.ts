import type { PublicForm } from './definitions.ts';

/** JSON safe to place in a script: no `</script>`, no line separators that older engines reject in strings. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * The embed script of one form: self-contained ES2017, no dependencies. It renders into a Shadow DOM on an element
 * of its own, so the host page's CSS cannot reach the form (only the host element, whose display is pinned with
 * inline `!important`) and the form's CSS cannot reach the page. Every text is set with textContent, never HTML.
 */
export function embedScript(form: PublicForm, submitUrl: string): string {
  const config = {
    id: form.publicId,
    url: submitUrl,
    fields: form.fields,
    consentText: form.consentText,
    consentRequired: form.consentRequired,
    submitLabel: form.submitLabel,
    successMessage: form.successMessage ?? 'Thank you!',
    redirectUrl: form.redirectUrl,
    turnstileSiteKey: form.turnstileSiteKey,
  };
  return `/* CRM lead-capture form ${form.publicId} v${form.version} */
(function () {
'use strict';
var F = ${scriptJson(config)};
var script = document.currentScript;
var CSS = ':host{all:initial!important;display:block!important;visibility:visible!important;opacity:1!important;contain:content}' +
  'form,.done{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:32rem}' +
  '.f{display:block;margin:0 0 .8rem}label{display:block;font-weight:600;margin:0 0 .25rem}' +
  'input,select,textarea{box-sizing:border-box;width:100%;font:inherit;color:#1f2328;background:#fff;border:1px solid #8c959f;border-radius:6px;padding:.45rem .6rem}' +
  'input[type=checkbox]{width:auto;margin:0 .4rem 0 0}.c label{display:flex;align-items:flex-start;font-weight:400}' +
  '[aria-invalid=true]{border-color:#cf222e}.e{color:#cf222e;font-size:.85rem;margin:.2rem 0 0}.e:empty{display:none}' +
  'button{font:inherit;font-weight:600;color:#fff;background:#0969da;border:0;border-radius:6px;padding:.55rem 1.1rem;cursor:pointer}' +
  'button[disabled]{opacity:.6;cursor:progress}.hp{position:absolute!important;left:-10000px!important;width:1px;height:1px;overflow:hidden}' +
  '.s{margin:.6rem 0 0}.s:empty{display:none}.s.err{color:#cf222e}';
function el(tag, attrs, text) {
  var node = document.createElement(tag);
  for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
  if (text) node.textContent = text;
  return node;
}
function mount() {
  var slot = document.querySelector('[data-crm-form="' + F.id + '"]');
  var host = document.createElement('crm-lead-form');
  host.style.setProperty('display', 'block', 'important');
  host.style.setProperty('visibility', 'visible', 'important');
  if (slot) slot.appendChild(host);
  else if (script && script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(host, script.nextSibling);
  else document.body.appendChild(host);
  var root = host.attachShadow({ mode: 'open' });
  var style = el('style');
  style.textContent = CSS;
  root.appendChild(style);
  var prefix = 'crm-' + Math.random().toString(36).slice(2, 8) + '-';
  var form = el('form', { novalidate: true, 'aria-label': document.title ? undefined : 'Contact form' });
  var inputs = {};
  var errors = {};
  function row(name, control, labelText, isCheck) {
    var wrap = el('div', { 'class': isCheck ? 'f c' : 'f' });
    var id = prefix + name;
    var err = el('p', { 'class': 'e', id: id + '-error' });
    control.id = id;
    control.setAttribute('aria-describedby', id + '-error');
    if (isCheck) {
      var lab = el('label', { 'for': id });
      lab.appendChild(control);
      lab.appendChild(document.createTextNode(labelText));
      wrap.appendChild(lab);
    } else {
      wrap.appendChild(el('label', { 'for': id }, labelText));
      wrap.appendChild(control);
    }
    wrap.appendChild(err);
    inputs[name] = control;
    errors[name] = err;
    form.appendChild(wrap);
  }
  F.fields.forEach(function (f) {
    var c;
    if (f.type === 'textarea') c = el('textarea', { name: f.name, rows: 4 });
    else if (f.type === 'select') {
      c = el('select', { name: f.name });
      c.appendChild(el('option', { value: '' }, f.placeholder || ''));
      f.options.forEach(function (o) { c.appendChild(el('option', { value: o }, o)); });
    } else c = el('input', { name: f.name, type: f.type });
    if (f.type !== 'select' && f.type !== 'checkbox' && f.placeholder) c.setAttribute('placeholder', f.placeholder);
    if (f.type !== 'select' && f.type !== 'checkbox') c.setAttribute('maxlength', String(f.maxLength || 500));
    if (f.type === 'email') c.setAttribute('autocomplete', 'email');
    if (f.type === 'tel') c.setAttribute('autocomplete', 'tel');
    if (f.required) { c.required = true; c.setAttribute('aria-required', 'true'); }
    row(f.name, c, f.label + (f.required ? ' *' : ''), f.type === 'checkbox');
  });
  if (F.consentText) {
    var consent = el('input', { type: 'checkbox', name: 'consent' });
    if (F.consentRequired) consent.setAttribute('aria-required', 'true');
    row('consent', consent, F.consentText, true);
  }
  // The honeypot: out of sight and out of the tab order; people leave it empty, form-filling bots do not.
  var hp = el('div', { 'class': 'hp', 'aria-hidden': 'true' });
  var trap = el('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
  hp.appendChild(el('label', { 'for': prefix + 'website' }, 'Website'));
  trap.id = prefix + 'website';
  hp.appendChild(trap);
  form.appendChild(hp);
  var challenge = null;
  var token = '';
  if (F.turnstileSiteKey) {
    challenge = el('div', { 'class': 'f' });
    form.appendChild(challenge);
    var render = function () {
      window.turnstile.render(challenge, { sitekey: F.turnstileSiteKey, callback: function (t) { token = t; } });
    };
    if (window.turnstile) render();
    else {
      var ts = el('script', { src: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit', async: true });
      ts.addEventListener('load', render);
      document.head.appendChild(ts);
    }
  }
  var button = el('button', { type: 'submit' }, F.submitLabel);
  form.appendChild(button);
  var status = el('p', { 'class': 's', role: 'status', 'aria-live': 'polite' });
  form.appendChild(status);
  root.appendChild(form);

  function clear() {
    for (var n in errors) { errors[n].textContent = ''; inputs[n].removeAttribute('aria-invalid'); }
    status.textContent = '';
    status.className = 's';
  }
  function fail(message) { status.className = 's err'; status.textContent = message; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clear();
    var body = { website: trap.value, pageUrl: location.href };
    F.fields.forEach(function (f) {
      var c = inputs[f.name];
      body[f.name] = f.type === 'checkbox' ? c.checked : c.value;
    });
    if (F.consentText) body.consent = inputs.consent.checked;
    if (F.turnstileSiteKey) body['cf-turnstile-response'] = token;
    button.disabled = true;
    fetch(F.url, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) { return { ok: res.ok, data: data }; });
    }).then(function (r) {
      button.disabled = false;
      if (r.ok) {
        var next = (r.data && r.data.redirectUrl) || F.redirectUrl;
        if (next) { location.assign(next); return; }
        var done = el('p', { 'class': 'done', role: 'status', tabindex: '-1' }, (r.data && r.data.message) || F.successMessage);
        root.replaceChild(done, form);
        done.focus();
        return;
      }
      var error = (r.data && r.data.error) || {};
      var first = null;
      (error.details || []).forEach(function (d) {
        if (errors[d.path]) {
          errors[d.path].textContent = d.message;
          inputs[d.path].setAttribute('aria-invalid', 'true');
          first = first || inputs[d.path];
        }
      });
      fail(error.message || 'Something went wrong; please try again.');
      if (first) first.focus();
      if (window.turnstile && challenge) { token = ''; window.turnstile.reset(challenge); }
    }, function () {
      button.disabled = false;
      fail('The form could not be sent; please check your connection and try again.');
    });
  });
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
})();
`;
}
