// Pulse Analytics' device-mode plugin for analytics.js: a destination that sends page views,
// events and identities to Pulse's collector. Plain browser JavaScript, no build step: the page
// loads this file and calls window.PulsePlugins(settings); analytics.register() takes the result.
(function () {
  "use strict";
  var COLLECT = "https://api.pulse.example/v1/collect";

  function send(apiKey, kind, event) {
    var body = {
      kind: kind,
      messageId: event.messageId,
      anonymousId: event.anonymousId || null,
      userId: event.userId || null,
      name: event.event || event.name || null,
      properties: event.properties || event.traits || {},
      url: event.context && event.context.page ? event.context.page.url : null,
      timestamp: event.timestamp,
    };
    return fetch(COLLECT, {
      method: "POST",
      keepalive: true,
      headers: { "Content-Type": "application/json", "x-pulse-key": apiKey },
      body: JSON.stringify(body),
    });
  }

  window.PulsePlugins = function (settings) {
    var loaded = false;
    function handler(kind) {
      return function (ctx) {
        return send(settings.apiKey, kind, ctx.event).then(function () {
          return ctx;
        });
      };
    }
    return {
      name: "Pulse Analytics",
      type: "destination",
      version: "1.2.0",
      isLoaded: function () {
        return loaded;
      },
      load: function () {
        loaded = true;
        return Promise.resolve();
      },
      page: handler("page"),
      track: handler("track"),
      identify: handler("identify"),
    };
  };
})();
