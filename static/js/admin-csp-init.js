/*
 * The Wagtail admin without inline scripts (CSP script-src 'self').
 *
 * Wagtail starts its date and time pickers, InlinePanel, MultipleChooserPanel and the
 * page, document, image and snippet choosers from inline <script> elements, which the
 * site's Content-Security-Policy blocks. The template overrides (templates/wagtailadmin/
 * and cms/templates/wagtailadmin/) and cms/wagtail_hooks.py describe each call instead as
 *
 *   <template data-via-admin-init="initDateTimeChooser" data-via-admin-id="id_start"
 *             data-via-admin-options="{...}"></template>
 *
 * which a browser does not run. This script, loaded on every admin page, makes those
 * calls with Wagtail's own functions: in document order while the page is parsed (as the
 * inline scripts ran), and for forms added later, such as a new InlinePanel item, which
 * Wagtail copies from a <template> into the page.
 */
(function () {
  "use strict";

  var SELECTOR = "template[data-via-admin-init]";
  // Functions that are called; everything else allowed is a constructor.
  var CALLS = {
    initDateChooser: true,
    initTimeChooser: true,
    initDateTimeChooser: true,
    createTaskChooser: true,
  };
  var CONSTRUCTORS = { InlinePanel: true, MultipleChooserPanel: true };
  var CHOOSER = /^[A-Z][A-Za-z]*Chooser$/; // Chooser, PageChooser, DocumentChooser, …

  function allowed(name) {
    return CALLS[name] === true || CONSTRUCTORS[name] === true || CHOOSER.test(name);
  }

  /* Make the call one element describes; false when its function is not loaded yet. */
  function run(element) {
    if (element.hasAttribute("data-via-admin-done")) {
      return true;
    }
    var name = element.getAttribute("data-via-admin-init");
    var target = allowed(name) ? window[name] : undefined;
    if (typeof target !== "function") {
      return false;
    }
    var args = [];
    if (element.hasAttribute("data-via-admin-id")) {
      args.push(element.getAttribute("data-via-admin-id"));
    }
    if (element.hasAttribute("data-via-admin-options")) {
      args.push(JSON.parse(element.getAttribute("data-via-admin-options")));
    }
    element.setAttribute("data-via-admin-done", "");
    try {
      if (CALLS[name] === true) {
        target.apply(window, args);
      } else {
        Reflect.construct(target, args);
      }
    } catch (error) {
      // One broken widget must not stop the others, as with separate inline scripts.
      window.setTimeout(function () {
        throw error;
      });
    }
    return true;
  }

  function runWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    if (node.matches(SELECTOR)) {
      run(node);
    }
    var found = node.querySelectorAll(SELECTOR);
    for (var i = 0; i < found.length; i += 1) {
      run(found[i]);
    }
  }

  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i += 1) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j += 1) {
        runWithin(added[j]);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  // Anything whose function arrived late (or that the observer missed) once parsed.
  function runAll() {
    runWithin(document.documentElement);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", runAll);
  } else {
    runAll();
  }
})();
