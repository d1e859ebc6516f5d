// localpack: the Badging API (navigator.setAppBadge / clearAppBadge) for engines without it. The count goes
// to the runtime through one script message handler that accepts nothing but a number (Linux: WebKitGTK).
(function () {
  'use strict';
  var handler = function () {
    var h = window.webkit && window.webkit.messageHandlers;
    return h && h.localpackBadge;
  };
  if (!handler() && !(window.webkit && window.webkit.messageHandlers)) {
    return;
  }
  var set = function (n) {
    var count = n === undefined ? 0 : Number(n);
    if (!isFinite(count) || count < 0 || count > Number.MAX_SAFE_INTEGER) {
      return Promise.reject(new TypeError('The badge must be a number from 0 up'));
    }
    var h = handler();
    if (h) {
      h.postMessage(Math.floor(count));
    }
    return Promise.resolve();
  };
  var define = function (name, fn) {
    Object.defineProperty(Navigator.prototype, name, { value: fn, configurable: true, writable: true });
  };
  define('setAppBadge', function (n) { return set(n); });
  define('clearAppBadge', function () { return set(0); });
})();
