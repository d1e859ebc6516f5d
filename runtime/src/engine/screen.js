// localpack (Linux): screen sharing is off in this app (WebKit's own getDisplayMedia switched off, see
// linux.rs `screen_refusal`), so the page's getDisplayMedia answers as a browser that refuses it: a
// NotAllowedError at once, and no screen picker. Runs in every frame before the page's own scripts.
(function () {
  'use strict';
  var devices = window.MediaDevices && window.MediaDevices.prototype;
  if (!devices || 'getDisplayMedia' in devices) {
    return;
  }
  Object.defineProperty(devices, 'getDisplayMedia', {
    configurable: true,
    writable: true,
    value: function getDisplayMedia() {
      return Promise.reject(new DOMException(
        'The request is not allowed by the user agent or the platform in the current context.', 'NotAllowedError'));
    },
  });
})();
