// localpack: files dropped from another application, given to the page's drag events as a browser gives
// them (WebKitGTK gives none since CVE-2025-13947). It runs in the runtime's own script world: the page
// gets DOM events and Files, and cannot reach or change this code. See dropped.rs.
var localpackDrop = globalThis.localpackDrop || (globalThis.localpackDrop = (function () {
  'use strict';
  var over = null;
  var listed = [];
  var parts = [];
  var transfer = function (files) {
    var dt = new DataTransfer();
    files.forEach(function (f) { dt.items.add(f); });
    return dt;
  };
  var file = function (f, bytes) {
    return new File(bytes, f.name, { type: f.type, lastModified: f.modified });
  };
  // Before the drop the page sees each file's name and type, not its bytes, as in a browser.
  var named = function () { return transfer(listed.map(function (f) { return file(f, []); })); };
  var fire = function (target, type, x, y, dt) {
    var event = new DragEvent(type, {
      bubbles: true, cancelable: type !== 'dragleave', composed: true, view: window,
      clientX: x, clientY: y, screenX: x + window.screenX, screenY: y + window.screenY, dataTransfer: dt
    });
    return !target.dispatchEvent(event); // true: the page called preventDefault
  };
  var under = function (x, y) { return document.elementFromPoint(x, y) || document.documentElement; };
  var reset = function () { over = null; listed = []; parts = []; };
  return {
    motion: function (x, y, files) {
      listed = files;
      var target = under(x, y);
      var dt = named();
      if (target !== over) {
        fire(target, 'dragenter', x, y, dt);
        if (over) { fire(over, 'dragleave', x, y, named()); }
        over = target;
      }
      // A DataTransfer made by script keeps dropEffect "none" (WebKit lets only a real drag's change), so
      // preventDefault alone says the page takes the drop.
      return fire(target, 'dragover', x, y, dt);
    },
    leave: function () {
      if (over) { fire(over, 'dragleave', 0, 0, named()); }
      reset();
      return true;
    },
    part: function (index, base64) {
      var text = atob(base64);
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
      (parts[index] = parts[index] || []).push(bytes);
      return true;
    },
    drop: function (x, y) {
      var files = listed.map(function (f, i) { return file(f, parts[i] || []); });
      var taken = fire(under(x, y), 'drop', x, y, transfer(files));
      reset();
      return taken;
    }
  };
})());
