// localpack: runs at the start of every page shown in the app window, before the page's own scripts.
// It is one function expression: the runtime calls it with the app's page settings (JSON), leaving no globals.
// Plain ES2017.
(function (cfg) {
  'use strict';
  if (window.__localpackInit) {
    return;
  }
  Object.defineProperty(window, '__localpackInit', { value: true });
  // A url app's own retry page (localpack://localhost, http://localpack.localhost) gets none of this.
  var ownPage = location.protocol === 'localpack:' || location.hostname === 'localpack.localhost';
  if (cfg.remote && ownPage) {
    return;
  }

  var onReady = function (fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  };

  if (cfg.css) {
    // Injected CSS and hidden selectors: one <style>, put back whenever a page update removes it.
    var style = document.createElement('style');
    style.setAttribute('data-localpack', '');
    style.textContent = cfg.css;
    var attach = function () {
      var parent = document.head || document.documentElement;
      if (parent && (!style.isConnected || (style.parentNode !== parent && parent === document.head))) {
        parent.appendChild(style);
      }
    };
    attach();
    new MutationObserver(attach).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', attach);
  }

  if (!cfg.context_menu) {
    window.addEventListener('contextmenu', function (event) { event.preventDefault(); }, true);
  }

  // A short message at the bottom of the window (the runtime calls it when a download finishes).
  Object.defineProperty(window, '__localpackToast', {
    value: function (text) {
      onReady(function () {
        var box = document.createElement('div');
        box.id = '__localpack_toast';
        box.setAttribute('role', 'status');
        box.textContent = text;
        box.style.cssText = 'position:fixed;z-index:2147483647;left:50%;bottom:16px;transform:translateX(-50%);' +
          'max-width:80%;padding:8px 14px;border-radius:6px;background:rgba(30,30,30,.92);color:#fff;' +
          'font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)';
        var old = document.getElementById('__localpack_toast');
        if (old) {
          old.remove();
        }
        document.documentElement.appendChild(box);
        setTimeout(function () { box.remove(); }, 6000);
      });
    }
  });

  var findBar = null;
  var openFind = function () {
    if (!findBar) {
      findBar = document.createElement('div');
      findBar.id = '__localpack_find';
      findBar.style.cssText = 'position:fixed;z-index:2147483647;top:8px;right:8px;display:flex;gap:4px;' +
        'padding:6px;border-radius:6px;background:#f4f4f4;border:1px solid #999;font:14px system-ui,sans-serif;' +
        'box-shadow:0 2px 8px rgba(0,0,0,.25)';
      var input = document.createElement('input');
      input.type = 'search';
      input.setAttribute('aria-label', 'Find in page');
      input.style.cssText = 'font:inherit;padding:2px 6px;width:14em';
      var status = document.createElement('span');
      status.style.cssText = 'align-self:center;min-width:5em;color:#555';
      input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') {
          event.preventDefault();
          var found = input.value && window.find(input.value, false, event.shiftKey, true);
          status.textContent = input.value && !found ? 'not found' : '';
          input.focus();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          findBar.style.display = 'none';
        }
      });
      findBar.appendChild(input);
      findBar.appendChild(status);
      findBar.style.setProperty('color', '#111');
    }
    findBar.style.display = 'flex';
    if (!findBar.isConnected) {
      document.documentElement.appendChild(findBar);
    }
    var field = findBar.querySelector('input');
    field.focus();
    field.select();
  };

  window.addEventListener('keydown', function (event) {
    var key = event.key;
    var modifier = event.ctrlKey || event.metaKey;
    if (cfg.reload_shortcut && (key === 'F5' || (modifier && !event.altKey && (key === 'r' || key === 'R')))) {
      event.preventDefault();
      location.reload();
    } else if (cfg.find_in_page && modifier && !event.altKey && (key === 'f' || key === 'F')) {
      event.preventDefault();
      onReady(openFind);
    }
  }, true);
})
