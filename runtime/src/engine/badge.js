// localpack: the Badging API (navigator.setAppBadge / clearAppBadge) for engines without it. The count goes
// to the runtime, a number and nothing else: WebKit's script message handler `localpackBadge` (Linux,
// macOS), or WebView2's `chrome.webview.postMessage({localpackBadge: n})` (Windows: an object, which wry's IPC,
// reading strings only, lets pass to the runtime's own handler).
(function () {
  'use strict';
  var webkit = window.webkit && window.webkit.messageHandlers;
  var webview2 = window.chrome && window.chrome.webview;
  if (!webkit && !webview2) {
    return;
  }
  var post = function (count) {
    if (webkit && webkit.localpackBadge) {
      webkit.localpackBadge.postMessage(count);
    } else if (!webkit && webview2) {
      webview2.postMessage({ localpackBadge: count });
    }
  };
  var set = function (n) {
    var count = n === undefined ? 0 : Number(n);
    if (!isFinite(count) || count < 0 || count > Number.MAX_SAFE_INTEGER) {
      return Promise.reject(new TypeError('The badge must be a number from 0 up'));
    }
    post(Math.floor(count));
    return Promise.resolve();
  };
  var define = function (name, fn) {
    Object.defineProperty(Navigator.prototype, name, { value: fn, configurable: true, writable: true });
  };
  define('setAppBadge', function (n) { return set(n); });
  define('clearAppBadge', function () { return set(0); });
})();
