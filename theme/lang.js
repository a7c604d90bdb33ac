// The language picker in the menu bar (po/README.md). The English book is
// built into book/ and each translation into book/LANG/ (`cargo dev i18n
// build`), with the same page paths, so the same page in another language is
// one folder up or down from this book's root. No request, no storage: a link.
(() => {
  'use strict';

  // Every language the book is built in; po/LANG.po exists for each but English.
  const LANGUAGES = [
    { code: 'en', name: 'English' },
    { code: 'zh-CN', name: '简体中文' },
  ];
  const LABELS = {
    en: { button: 'Change language', list: 'Languages' },
    'zh-CN': { button: '切换语言', list: '语言' },
  };

  /** The URL of this page in `code`, from this book's root (`path_to_root`). */
  function pageIn(code, here, bookRoot, currentCode) {
    const siteRoot = currentCode === 'en' ? bookRoot : new URL('../', bookRoot);
    const page = here.pathname.startsWith(bookRoot.pathname)
      ? here.pathname.slice(bookRoot.pathname.length)
      : '';
    const root = code === 'en' ? siteRoot : new URL(`${code}/`, siteRoot);
    return new URL(page + here.search + here.hash, root).href;
  }

  function install() {
    const bar = document.querySelector('#mdbook-menu-bar .right-buttons');
    if (!bar || typeof path_to_root === 'undefined') return;
    const current = LANGUAGES.some((l) => l.code === document.documentElement.lang)
      ? document.documentElement.lang
      : 'en';
    const here = new URL(window.location.href);
    const bookRoot = new URL(path_to_root || './', here);
    // A translation served on its own (`mdbook serve -d book/zh-CN`) has no
    // English book one folder up: no picker rather than a link to nowhere.
    if (current !== 'en' && !bookRoot.pathname.endsWith(`/${current}/`)) return;
    const labels = LABELS[current];

    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'lang-toggle';
    button.className = 'icon-button';
    button.title = labels.button;
    button.setAttribute('aria-label', labels.button);
    button.setAttribute('aria-haspopup', 'true');
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'lang-list');
    button.textContent = '文A';

    const list = document.createElement('ul');
    list.id = 'lang-list';
    list.className = 'theme-popup lang-popup';
    list.setAttribute('aria-label', labels.list);
    list.setAttribute('role', 'menu');
    for (const lang of LANGUAGES) {
      const item = document.createElement('li');
      item.setAttribute('role', 'none');
      const link = document.createElement('a');
      link.setAttribute('role', 'menuitem');
      link.className = 'theme lang-choice';
      link.lang = lang.code;
      link.hreflang = lang.code;
      link.textContent = lang.name;
      link.href = pageIn(lang.code, here, bookRoot, current);
      if (lang.code === current) link.setAttribute('aria-current', 'true');
      item.appendChild(link);
      list.appendChild(item);
    }

    const show = (open) => {
      list.style.display = open ? 'block' : 'none';
      button.setAttribute('aria-expanded', String(open));
    };
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      show(list.style.display !== 'block');
    });
    document.addEventListener('click', (event) => {
      if (!list.contains(event.target)) show(false);
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') show(false);
    });

    const wrapper = document.createElement('div');
    wrapper.className = 'lang-picker';
    wrapper.append(button, list);
    bar.prepend(wrapper);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', install);
  } else {
    install();
  }
})();
