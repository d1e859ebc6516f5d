// localpack: the Web Notifications API where the engine has none in an app (macOS: WKWebView). Pages get
// `Notification` with `permission`, `requestPermission()`, `new Notification(title, {body, tag})`, `close()`
// and the show/click/close/error events; the runtime decides and shows them (the app's policy, the answers the
// user gave, the system's notification centre). Messages go to one script message handler that replies; the
// runtime tells a click with `__localpackNotification(id, 'click')`. The runtime writes the app's policy and
// the answers kept in place of CONFIG (engine/notify_message.rs).
(function (config) {
  'use strict';
  var handlers = window.webkit && window.webkit.messageHandlers;
  var handler = handlers && handlers.localpackNotify;
  if (!handler || typeof window.Notification !== 'undefined') {
    return;
  }
  var decided = function () {
    if (config.policy === 'allow') { return 'granted'; }
    if (config.policy === 'deny') { return 'denied'; }
    var answer = config.answers[location.origin];
    return answer === true ? 'granted' : answer === false ? 'denied' : 'default';
  };
  var permission = decided();
  var post = function (message) {
    try {
      return Promise.resolve(handler.postMessage(JSON.stringify(message)));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  var live = new Map();
  var next = 1;
  var fire = function (notification, type) {
    notification.dispatchEvent(new Event(type));
  };
  class Notification extends EventTarget {
    constructor(title, options) {
      super();
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'Notification': 1 argument required, but only 0 present.");
      }
      var o = options || {};
      var id = next++;
      Object.defineProperties(this, {
        title: { value: String(title), enumerable: true },
        body: { value: o.body === undefined ? '' : String(o.body), enumerable: true },
        tag: { value: o.tag === undefined ? '' : String(o.tag), enumerable: true },
        icon: { value: o.icon === undefined ? '' : String(o.icon), enumerable: true },
        data: { value: o.data === undefined ? null : o.data, enumerable: true },
        silent: { value: o.silent === undefined ? null : Boolean(o.silent), enumerable: true },
        timestamp: { value: Date.now(), enumerable: true }
      });
      var self = this;
      // onclick and the others: listeners of their own, first in line, as a handler set right away is
      ['click', 'show', 'close', 'error'].forEach(function (type) {
        self['on' + type] = null;
        self.addEventListener(type, function (event) {
          var own = self['on' + type];
          if (typeof own === 'function') {
            own.call(self, event);
          }
        });
      });
      Object.defineProperty(this, '__id', { value: id });
      if (permission !== 'granted') {
        setTimeout(function () { fire(self, 'error'); }, 0);
        return;
      }
      live.set(id, this);
      var failed = function () {
        live.delete(id);
        fire(self, 'error');
      };
      post({ op: 'show', id: id, title: this.title, body: this.body, tag: this.tag }).then(function (answer) {
        if (answer === 'shown') {
          fire(self, 'show');
        } else {
          failed();
        }
      }, failed);
    }
    close() {
      if (live.delete(this.__id)) {
        post({ op: 'close', id: this.__id }).catch(function () {});
        fire(this, 'close');
      }
    }
    static get permission() { return permission; }
    static get maxActions() { return 0; }
    static requestPermission(callback) {
      var answer = permission !== 'default' ? Promise.resolve(permission) : post({ op: 'ask' }).then(function (a) {
        permission = a === 'granted' || a === 'denied' ? a : 'default';
        return permission;
      }, function () { return permission; });
      if (typeof callback === 'function') {
        answer.then(callback);
      }
      return answer;
    }
  }
  Object.defineProperty(window, 'Notification', { value: Notification, configurable: true, writable: true });
  Object.defineProperty(window, '__localpackNotification', {
    value: function (id, type) {
      var notification = live.get(id);
      if (notification && type === 'click') {
        fire(notification, 'click');
      }
    }
  });
})(CONFIG);
